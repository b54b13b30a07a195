/**
 * Compose aliases → extra Services. In Compose, `networks.<net>.aliases` and link aliases
 * (`links: ["db:database"]`) are extra DNS names of a container; several services may share one
 * alias (DNS round robin). Here each alias becomes a ClusterIP Service named after it, selecting
 * the pods of every service that carries it through the pod label `compose2k8s.io/alias-<alias>`,
 * with the ports those services' own Services expose. The pods' network labels are unchanged, so
 * NetworkPolicies admit the same traffic as through the services' own Services.
 */
import type { Service as KService, ServicePort as KServicePort } from 'kubernetes-types/core/v1.js';
import type { ConvertContext } from '../context.js';
import { FactKey } from '../facts.js';
import type { KubeObject } from '../../kube/object.js';
import { LABEL_COMPONENT, LABEL_PART_OF } from '../../kube/object.js';
import { plansByService, type PodPlan } from '../plan/pod.js';
import type { ContainerStep } from '../step.js';
import { podOwner } from '../plan/plan.js';
import { overrideApplier } from '../intent/dialect.js';
import { dns1123Label, portName, serviceLabel } from '../../kube/naming.js';
import { reachOf } from '../network/reach.js';
import { podTemplateOf } from '../../kube/workloads.js';
import type { Values } from '../book.js';
import type { OutcomeId, PhraseId } from '../../mappings/outcomes.js';
import { dockerHelpers } from '../plan/docker-helpers.js';
import { fewNames } from '../../util/text.js';
import { addPort } from './service-ports.js';

export const ALIAS_LABEL_PREFIX = 'compose2k8s.io/alias-';

/** Where an alias is declared: a network attachment of the carrier, or a link of another service. */
type Origin =
  | { kind: 'network'; service: string; net: string; index: number }
  | { kind: 'link'; service: string; link: string; index: number }
  | { kind: 'name'; service: string; key: 'container_name' | 'hostname'; written: string }
  | { kind: 'group'; service: string; group: string; main: string };

interface Alias {
  /** The alias as written in compose. */
  alias: string;
  /** DNS-1123 form: the Service name it gets (when free). */
  name: string;
  /** Compose services carrying it (their pods get the label). */
  carriers: Set<string>;
  origins: Origin[];
  /**
   * Why it gets no Service of its own, when known from the project alone: a phrase of report.yaml (`alias.clash-*`),
   * worded with `clashName` (the Service that has the name) and `clashOwner`.
   */
  clash?: PhraseId;
  clashOwner?: string;
}

/** Pod label key for an alias (a label name part has at most 63 characters). */
export function aliasLabelKey(alias: string): string {
  return ALIAS_LABEL_PREFIX + dns1123Label(alias, 63 - 'alias-'.length);
}

/** Every alias of the project, found once. */
const ALIASES = new FactKey<Map<string, Alias>>();

/** Every alias of the project, keyed by its DNS-1123 name (aliases that sanitize alike share one Service). */
function aliasTable(ctx: ConvertContext): Map<string, Alias> {
  return ctx.facts.get(ALIASES, () => findAliases(ctx));
}

function findAliases(ctx: ConvertContext): Map<string, Alias> {
  const services = ctx.project.services;
  const table = new Map<string, Alias>();
  const add = (alias: string, carrier: string, origin: Origin): void => {
    const name = serviceLabel(alias);
    let a = table.get(name);
    if (!a) table.set(name, (a = { alias, name, carriers: new Set(), origins: [] }));
    a.carriers.add(carrier);
    a.origins.push(origin);
  };
  for (const name of Object.keys(services).sort()) {
    const svc = services[name]!;
    for (const net of Object.keys(svc.networks).sort())
      (svc.networks[net]?.aliases ?? []).forEach((alias, index) =>
        add(alias, name, { kind: 'network', service: name, net, index }),
      );
    // A link naming another service under a different name (`db:database`): its alias is reported here.
    (svc.links ?? []).forEach((link, index) => {
      const [target = '', alias = target] = link.split(':');
      if (services[target] !== undefined && alias !== target)
        add(alias, target, { kind: 'link', service: name, link, index });
    });
  }
  // A container_name or hostname peers address the service by (`exc1:80`, `appwrite-mongodb:27017`) is one more
  // name of it, as in compose. A dotted one (`realtime-dev.supabase-realtime`) cannot be a Service name and reads
  // as <service>.<namespace> in the cluster: its first label gets the Service (the service's own, when it is its
  // name), and network/rename.ts rewrites the peers' mentions of the dotted name to it (an app that reads its
  // subdomain still sees that first label).
  for (const name of Object.keys(services).sort()) {
    const svc = services[name]!;
    const addressed = reachOf(ctx, name).names;
    for (const key of ['container_name', 'hostname'] as const) {
      const written = svc[key];
      if (!written || !addressed.has(written.toLowerCase())) continue;
      const alias = written.split('.')[0]!;
      if (written.toLowerCase() === name.toLowerCase()) continue;
      add(alias, name, { kind: 'name', service: name, key, written });
    }
  }
  // A service a group (kompose.service.group, x-k8s.group) runs in another service's pod keeps its own name in
  // compose, where peers (in the pod or not) call it: one more name of that pod, as an alias is. Its Service name
  // is free, as the pod's Service is named after the pod's main service. Only the dialects set groups.
  const grouped = new Set<string>();
  for (const g of overrideApplier(ctx)?.grouped(ctx) ?? []) {
    grouped.add(g.service);
    add(g.service, g.service, { kind: 'group', ...g });
  }
  const serviceNames = new Map(Object.keys(services).map((n) => [ctx.serviceName(n), n]));
  for (const a of table.values()) {
    const owner = serviceNames.get(a.name);
    if (owner !== undefined && !grouped.has(owner)) {
      a.clash = [...a.carriers].every((c) => podOwner(services, c) === owner) ? 'alias.clash-own' : 'alias.clash-other';
      a.clashOwner = owner;
    }
  }
  return table;
}

/** ContainerStep: the alias labels of a service on its pod template (for aliases that may get a Service). */
export const applyAliasLabels: ContainerStep = (ctx, svc, _c, plan) => {
  for (const a of carried(ctx).get(svc.name) ?? []) if (!a.clash) plan.podLabels[aliasLabelKey(a.name)] = 'true';
};

/** Each carrier's aliases, indexed once (a look through every alias per service would be quadratic). */
const CARRIED = new FactKey<Map<string, Alias[]>>();

function carried(ctx: ConvertContext): Map<string, Alias[]> {
  return ctx.facts.get(CARRIED, () => {
    const out = new Map<string, Alias[]>();
    for (const a of aliasTable(ctx).values())
      for (const c of a.carriers) {
        const list = out.get(c);
        if (list) list.push(a);
        else out.set(c, [a]);
      }
    return out;
  });
}

/** The cluster Service of the pod a service runs in, if it has ports. */
function podService(
  ctx: ConvertContext,
  planOf: ReadonlyMap<string, PodPlan>,
  service: string,
): { plan: PodPlan; svc: KService & KubeObject } | undefined {
  const plan = planOf.get(service);
  if (!plan) return undefined;
  const svc = ctx.find('Service', plan.name) as (KService & KubeObject) | undefined;
  return svc?.spec?.ports?.length ? { plan, svc } : undefined;
}

/** Union of the carriers' Service ports by (port, protocol); names kept, made unique. */
function unionPorts(sources: Array<KService & KubeObject>): { ports: KServicePort[]; differ: boolean } {
  const ports: KServicePort[] = [];
  for (const s of sources)
    for (const p of s.spec!.ports!)
      addPort(ports, {
        name: p.name ?? portName(`p-${p.port}`),
        port: p.port,
        targetPort: p.targetPort ?? p.port,
        protocol: p.protocol ?? 'TCP',
      });
  const key = (s: KService) =>
    s
      .spec!.ports!.map((p) => `${p.port}/${p.protocol ?? 'TCP'}`)
      .sort()
      .join(',');
  const differ = sources.some((s) => key(s) !== key(sources[0]!));
  return { ports, differ };
}

/** Remove an alias label from the pod templates of its carriers' plans (its alias got no Service). */
function dropLabel(ctx: ConvertContext, planOf: ReadonlyMap<string, PodPlan>, a: Alias, key: string): void {
  for (const c of a.carriers) {
    const plan = planOf.get(c);
    if (!plan || !(key in plan.podLabels)) continue;
    delete plan.podLabels[key];
    const w = ctx.find(plan.kind, plan.name);
    const t = w ? podTemplateOf(w) : undefined;
    if (t?.metadata?.labels) delete t.metadata.labels[key];
  }
}

/**
 * What happened to an alias, as outcome ids for its two kinds of origin (network alias, link alias). Every id is
 * written out, so that each is found by its name in src/ (test/mappings/table.test.ts).
 */
const IDS = {
  service: ['networks.alias-service', 'links.alias-service'],
  'service-ports-differ': ['networks.alias-service-ports-differ', 'links.alias-service-ports-differ'],
  'service-ports-inferred': ['networks.alias-service-ports-inferred', 'links.alias-service-ports-inferred'],
  'service-partial': ['networks.alias-service-partial', 'links.alias-service-partial'],
  'own-service': ['networks.alias-own-service', 'links.alias-own-service'],
  'own-service-renamed': ['networks.alias-own-service-renamed', 'links.alias-own-service-renamed'],
  clash: ['networks.alias-clash', 'links.alias-clash'],
  taken: ['networks.alias-taken', 'links.alias-taken'],
  portless: ['networks.alias-portless', 'links.alias-portless'],
  proxy: ['networks.alias-proxy', 'links.alias-proxy'],
} as const satisfies Record<string, readonly [OutcomeId, OutcomeId]>;
type What = keyof typeof IDS;

/** Outcomes of a container_name / hostname peers address: a Service answers on it, or none can. */
const NAME_IDS = {
  container_name: { service: 'container_name.peer-service', 'no-service': 'container_name.peer-no-service' },
  hostname: { service: 'hostname.peer-service', 'no-service': 'hostname.peer-no-service' },
} as const satisfies Record<string, { service: OutcomeId; 'no-service': OutcomeId }>;

/** True when the alias got a Service answering on its name. */
const isServed = (what: What): boolean =>
  what !== 'clash' && what !== 'taken' && what !== 'portless' && what !== 'proxy';

/**
 * The one entry of an alias where it is declared: `networks.<net>.aliases[i]` or `links[i]` of the declaring
 * service; for a container_name / hostname peers address, `container_name.peers` / `hostname.peers`; for a service
 * grouped into another's pod, its group setting (`labels.kompose.service.group`, its `deploy.labels` twin, or
 * `x-k8s.group`). A name or group setting says whether a Service answers on it, or none can.
 */
function report(ctx: ConvertContext, o: Origin, what: What, values: Values, objects?: string[]): void {
  if (o.kind === 'network' || o.kind === 'link') {
    const network = o.kind === 'network';
    const path = network ? `networks.${o.net}.aliases[${o.index}]` : `links[${o.index}]`;
    const id = IDS[what][network ? 0 : 1];
    return ctx.outcome(o.service, path, id, { ...values, link: network ? '' : o.link }, { objects });
  }
  const served = isServed(what) ? 'service' : 'no-service';
  // The notes and why: phrases of report.yaml (`alias.*`), worded with the alias's values and these.
  const notes = String(values.notes ?? 'alias.none');
  const why: PhraseId =
    what === 'clash' ? (values.clash as PhraseId) : what === 'taken' ? 'alias.taken' : 'alias.no-ports';
  if (o.kind === 'name') {
    const alias = String(values.alias);
    const name = serviceLabel(alias);
    const ref = String(values.ref ?? `Service/${name}`);
    return ctx.outcome(
      o.service,
      `${o.key}.peers`,
      NAME_IDS[o.key][served],
      {
        ...values,
        written: o.written,
        ref,
        // Peers' mentions of a name that is not its Service's (dotted, `_`) are rewritten (aliasPeerNames).
        notes: [notes, ...(isServed(what) && o.written.toLowerCase() !== name ? ['alias.rewritten'] : [])].join(' '),
        why,
        dnsName: name,
      },
      { objects },
    );
  }
  // A group setting is dialect input (kompose, x-k8s): its entry is made by their applier
  // (finish/override-entries.ts reportGroupSetting).
  overrideApplier(ctx)?.groupEntry(
    ctx,
    o.service,
    served,
    { ...values, notes, why, dnsName: serviceLabel(o.service), group: o.group, main: o.main },
    objects,
  );
}

/**
 * The Service peers' mentions of an alias, container_name or hostname are rewritten to (rename.ts), where that name
 * cannot be a Service name (dotted, `_`) and a Service of its carriers answers for it: its own, or the carrier's
 * (an alias equal to the carrier's Service name); not a Service of another service that has the name.
 */
export function aliasPeerNames(ctx: ConvertContext): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const a of aliasTable(ctx).values()) {
    const s = ctx.find('Service', a.name);
    const ours = a.clash ? a.clash === 'alias.clash-own' : s?.metadata.labels?.[LABEL_COMPONENT] === 'alias';
    if (!s || !ours) continue;
    for (const o of a.origins) {
      const written = (o.kind === 'name' ? o.written : a.alias).toLowerCase();
      if (o.kind !== 'group' && written !== a.name) out.set(written, a.name);
    }
  }
  return out;
}

/**
 * No Service can carry the alias: the carriers expose no ports, or they are the Docker reverse proxy (Traefik with
 * the Docker provider), which is not deployed: the ingress controller takes its place, so the alias (appwrite's
 * `appwrite.test` on traefik) has to resolve to the controller.
 */
function reportPortless(ctx: ConvertContext, a: Alias): void {
  const helpers = dockerHelpers(ctx);
  const proxy = [...a.carriers].every((c) => helpers.get(c)?.kind === 'proxy');
  const carriers = fewNames([...a.carriers], 5);
  for (const o of a.origins) report(ctx, o, proxy ? 'proxy' : 'portless', { alias: a.alias, carriers });
}

/** Project step (after every pod's Services): one Service per alias. */
export function buildAliasServices(ctx: ConvertContext, plans: PodPlan[]): void {
  const planOf = plansByService(plans);
  for (const a of [...aliasTable(ctx).values()].sort((x, y) => (x.name < y.name ? -1 : 1))) {
    const key = aliasLabelKey(a.name);
    // A name beyond case is rewritten in peers (aliasPeerNames); a case-only one resolves as it is written.
    const renamed: PhraseId =
      a.name === a.alias ? 'alias.none' : a.name !== a.alias.toLowerCase() ? 'alias.rewritten' : 'alias.renamed';
    if (a.clash) {
      const own = a.clash === 'alias.clash-own';
      const clash = { alias: a.alias, clash: a.clash, clashName: a.name, clashOwner: a.clashOwner!, dnsName: a.name };
      if (own && !ctx.find('Service', a.name)) {
        reportPortless(ctx, a);
        continue;
      }
      for (const o of a.origins)
        if (own)
          report(
            ctx,
            o,
            a.name !== a.alias ? 'own-service-renamed' : 'own-service',
            { ...clash, renamed, written: a.alias },
            [`Service/${a.name}`],
          );
        else report(ctx, o, 'clash', clash);
      continue;
    }
    const found = [...a.carriers].map((c) => podService(ctx, planOf, c));
    const sources = [...new Set(found.filter((f) => f !== undefined).map((f) => f.svc))];
    const portless = [...a.carriers].filter((_, i) => !found[i]);
    if (sources.length === 0 || ctx.find('Service', a.name)) {
      dropLabel(ctx, planOf, a, key);
      if (sources.length) for (const o of a.origins) report(ctx, o, 'taken', { alias: a.alias, name: a.name });
      else reportPortless(ctx, a);
      continue;
    }
    const name = ctx.objectName('service', a.alias);
    const ref = `Service/${name}`;
    const { ports, differ } = unionPorts(sources);
    const obj: KService & KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: ctx.meta(name, { ...ctx.projectLabels(), [LABEL_COMPONENT]: 'alias' }),
      spec: {
        type: 'ClusterIP',
        selector: { [key]: 'true', [LABEL_PART_OF]: ctx.projectLabels()[LABEL_PART_OF]! },
        ports,
      },
    };
    ctx.emit(obj);
    const inferred = found.some((f) => f && !f.plan.services.some((m) => m.ports.length || m.expose.length));
    // The notes: phrases of report.yaml (`alias.*`, each led by `; `), worded with the values below.
    const notes: PhraseId[] = [
      ...(inferred ? (['alias.inferred'] as const) : []),
      ...(a.carriers.size > 1 ? (['alias.shared'] as const) : []),
      ...(differ ? (['alias.union'] as const) : []),
      ...(portless.length ? ([portless.length > 1 ? 'alias.portless-many' : 'alias.portless-one'] as const) : []),
    ];
    const what = differ
      ? 'service-ports-differ'
      : inferred
        ? 'service-ports-inferred'
        : portless.length || a.name !== a.alias
          ? 'service-partial'
          : 'service';
    const values = {
      alias: a.alias,
      ref,
      label: key,
      notes: notes.length ? notes.join(' ') : 'alias.none',
      renamed,
      written: a.alias,
      name,
      dnsName: a.name,
      ...(a.carriers.size > 1 ? { carriers: fewNames([...a.carriers], 5) } : {}),
      ...(differ ? { unionPorts: ports.map((p) => p.port).join(', ') } : {}),
      ...(portless.length ? { portless: portless.join(', ') } : {}),
    };
    for (const o of a.origins) report(ctx, o, what, values, [ref]);
  }
}
