/**
 * Lifts the values a Helm user typically changes out of converted objects and into `values.yaml`,
 * leaving markers (see helm-markers.ts) where the templates read them back:
 *
 *   <service>.image {repository, tag, digest?}   every container that is a compose service
 *   <service>.replicas                           Deployment / StatefulSet
 *   <service>.resources                          the service's container
 *   <service>.env / .secretEnv                   data of the ConfigMap / Secret only it reads with envFrom
 *   <service>.persistence.<claim> {size, storageClass}   claims only its pod mounts (and claim templates)
 *   <service>.ingress {enabled, className, host, tls}
 *   <service>.route {enabled, hostnames, parentRefs}   HTTPRoutes (--ingress gateway)
 *   secrets.<secret>, persistence.<claim>        the same for project-wide Secrets and shared claims
 *
 * With default values the templates render exactly the objects given, plus Helm's labels and the
 * release namespace. Everything not lifted stays literal.
 */
import type { KubeObject } from '../kube/object.js';
import { LABEL_MANAGED_BY, LABEL_NAME, MANAGED_BY } from '../kube/object.js';
import { dns1123Label } from '../kube/naming.js';
import { podTemplateOf } from '../kube/workloads.js';
import { mapBlock, Markers, replaceKey, stringBlock, yamlBlock } from './helm-markers.js';
import { KeyRegistry, splitImage, valuesKey } from './helm-values.js';
import { renderYaml } from './yaml.js';

type J = Record<string, unknown>;

const isObj = (v: unknown): v is J => v !== null && typeof v === 'object' && !Array.isArray(v);
const asObj = (v: unknown): J | undefined => (isObj(v) ? v : undefined);
const asList = (v: unknown): J[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** Kinds without a namespace. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'CustomResourceDefinition',
  'PriorityClass',
  'IngressClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);
/** Top-level values keys that are not services. `global` is Helm's. */
export const RESERVED_KEYS = ['global', 'secrets', 'persistence', 'objects'];
/** Order of a service's values. */
const SERVICE_KEY_ORDER = ['image', 'replicas', 'resources', 'env', 'secretEnv', 'persistence', 'ingress', 'route'];

export function podTemplate(o: KubeObject): J | undefined {
  return o.kind === 'Pod' ? undefined : asObj(podTemplateOf(o));
}

export interface LiftResult {
  /** Template text of the object, or undefined when the chart leaves it out (Namespace). */
  template: string | undefined;
}

export class HelmLifter {
  /** Values per service key, and the project-wide maps. */
  readonly services = new Map<string, J>();
  readonly secrets: J = {};
  readonly persistence: J = {};
  /** Ingress values keys of services, for NOTES.txt. */
  readonly ingresses: string[] = [];
  /** HTTPRoute values keys of services, for NOTES.txt. */
  readonly routes: string[] = [];
  /** Values paths holding `<set-me…>` placeholders. */
  readonly placeholders: string[] = [];
  /** Whether a Namespace object was left out (Helm creates namespaces with --create-namespace). */
  droppedNamespace = false;

  private readonly keyByDns = new Map<string, string>();
  private readonly composeByKey = new Map<string, string>();
  private readonly envUsers = new Map<string, Set<string>>();
  private readonly claimUsers = new Map<string, Set<string>>();
  private readonly projectKeys = new KeyRegistry();
  private readonly markers: Markers;

  constructor(
    private readonly objects: KubeObject[],
    /** Compose service names: values keys are made from them. */
    serviceNames: Iterable<string>,
    private readonly chart: string,
  ) {
    this.markers = new Markers(JSON.stringify(objects));
    const reg = new KeyRegistry(RESERVED_KEYS);
    // Names that are identifiers already keep them; converted names (camelCase) come second.
    const names = [...new Set(serviceNames)].sort();
    const ident = (n: string): boolean => valuesKey(n) === n;
    for (const name of [...names.filter(ident), ...names.filter((n) => !ident(n))]) {
      const dns = dns1123Label(name);
      if (this.keyByDns.has(dns)) continue;
      const key = reg.get(name);
      this.keyByDns.set(dns, key);
      this.composeByKey.set(key, name);
    }
    for (const o of objects) this.scanUsers(o);
  }

  /** Values key of the compose service a DNS name (container name, `app.kubernetes.io/name`) stands for. */
  keyFor(dnsName: unknown): string | undefined {
    return typeof dnsName === 'string' ? this.keyByDns.get(dnsName) : undefined;
  }

  composeName(key: string): string {
    return this.composeByKey.get(key) ?? key;
  }

  private svc(key: string): J {
    let v = this.services.get(key);
    if (!v) this.services.set(key, (v = {}));
    return v;
  }

  /** Which services read each ConfigMap/Secret with envFrom, and mount each claim. */
  private scanUsers(o: KubeObject): void {
    const spec = asObj(podTemplate(o)?.spec);
    if (!spec) return;
    const owner = this.keyFor(o.metadata.labels?.[LABEL_NAME]);
    const add = (m: Map<string, Set<string>>, name: unknown, who: string | undefined): void => {
      if (typeof name !== 'string') return;
      const set = m.get(name) ?? new Set<string>();
      set.add(who ?? '\0');
      m.set(name, set);
    };
    for (const c of [...asList(spec.containers), ...asList(spec.initContainers)]) {
      const who = this.keyFor(c.name);
      for (const e of asList(c.envFrom)) {
        const cm = asObj(e.configMapRef)?.name;
        const secret = asObj(e.secretRef)?.name;
        if (typeof cm === 'string') add(this.envUsers, `ConfigMap/${cm}`, who);
        if (typeof secret === 'string') add(this.envUsers, `Secret/${secret}`, who);
      }
    }
    for (const v of asList(spec.volumes)) add(this.claimUsers, asObj(v.persistentVolumeClaim)?.claimName, owner);
  }

  private soleUser(m: Map<string, Set<string>>, name: string): string | undefined {
    const users = m.get(name);
    if (!users || users.size !== 1) return undefined;
    const [only] = users;
    return only === '\0' ? undefined : only;
  }

  /** The template text for one object (a deep copy is modified, never `obj`). */
  lift(obj: KubeObject): LiftResult {
    if (obj.kind === 'Namespace') {
      this.droppedNamespace = true;
      return { template: undefined };
    }
    const o = structuredClone(obj) as unknown as J & KubeObject;
    const meta = o.metadata as unknown as J;
    if (!CLUSTER_SCOPED.has(o.kind)) meta.namespace = this.markers.scalar('{{ .Release.Namespace | quote }}');
    this.labels(meta);
    const tpl = podTemplate(o);
    if (tpl) this.liftPod(o, tpl);
    let wrap: string | undefined;
    switch (o.kind) {
      case 'ConfigMap':
      case 'Secret':
        this.liftData(o);
        break;
      case 'PersistentVolumeClaim': {
        const user = this.soleUser(this.claimUsers, o.metadata.name);
        const where = user ? ((this.svc(user).persistence ??= {}) as J) : this.persistence;
        const base = user ? `.Values.${user}.persistence` : '.Values.persistence';
        this.liftClaim(o, where, base, new KeyRegistry(Object.keys(where)).get(o.metadata.name));
        break;
      }
      case 'Ingress':
        wrap = this.liftIngress(o);
        break;
      case 'HTTPRoute':
        wrap = this.liftRoute(o);
        break;
      case 'RoleBinding':
        for (const s of asList(o.subjects))
          if (s.kind === 'ServiceAccount') s.namespace = this.markers.scalar('{{ .Release.Namespace | quote }}');
        break;
    }
    const text = this.markers.apply(renderYaml([o]));
    return { template: wrap ? `{{- if ${wrap} }}\n${text}{{- end }}\n` : text };
  }

  /** Helm's labels replace `managed-by: compose2k8s`; the others stay literal. */
  private labels(meta: J): void {
    const labels = { ...(asObj(meta.labels) ?? {}) };
    if (labels[LABEL_MANAGED_BY] === MANAGED_BY) delete labels[LABEL_MANAGED_BY];
    labels[this.markers.block((n) => `{{- include "${this.chart}.labels" . | nindent ${n} }}`)] = null;
    meta.labels = labels;
  }

  private liftPod(o: J & KubeObject, tpl: J): void {
    const owner = this.keyFor(o.metadata.labels?.[LABEL_NAME]);
    const spec = asObj(o.spec)!;
    if (owner && (o.kind === 'Deployment' || o.kind === 'StatefulSet') && typeof spec.replicas === 'number') {
      this.svc(owner).replicas = spec.replicas;
      spec.replicas = this.markers.scalar(`{{ .Values.${owner}.replicas }}`);
    }
    // A Job's pod template is immutable: labels that change with the chart version would fail upgrades.
    if (o.kind !== 'Job') this.labels((tpl.metadata ??= {}) as J);
    const pod = asObj(tpl.spec);
    for (const c of asList(pod?.containers)) {
      const key = this.keyFor(c.name);
      if (!key || this.svc(key).image !== undefined) continue;
      const v = this.svc(key);
      if (typeof c.image === 'string') {
        v.image = splitImage(c.image);
        c.image = this.markers.scalar(`{{ include "${this.chart}.image" .Values.${key}.image | quote }}`);
      }
      v.resources = asObj(c.resources) ?? {};
      replaceKey(c, 'resources', this.markers.block(yamlBlock('resources', `.Values.${key}.resources`)), null);
    }
    if (o.kind === 'StatefulSet' && owner) {
      const where = (this.svc(owner).persistence ??= {}) as J;
      const reg = new KeyRegistry(Object.keys(where));
      for (const t of asList(spec.volumeClaimTemplates)) {
        const name = asObj(t.metadata)?.name;
        if (typeof name === 'string') this.liftClaim(t, where, `.Values.${owner}.persistence`, reg.get(name));
      }
    }
  }

  /** Env ConfigMaps/Secrets of one service, and project Secrets with stringData. */
  private liftData(o: J & KubeObject): void {
    const field = o.kind === 'Secret' ? 'stringData' : 'data';
    const data = asObj(o[field]);
    if (!data || Object.values(data).some((v) => typeof v !== 'string')) return;
    const user = this.soleUser(this.envUsers, `${o.kind}/${o.metadata.name}`);
    let path: string;
    if (user) {
      const key = o.kind === 'Secret' ? 'secretEnv' : 'env';
      if (this.svc(user)[key] !== undefined) return;
      this.svc(user)[key] = data;
      path = `.Values.${user}.${key}`;
    } else if (o.kind === 'Secret') {
      const key = this.projectKeys.get(o.metadata.name);
      this.secrets[key] = data;
      path = `.Values.secrets.${key}`;
    } else return;
    for (const [k, v] of Object.entries(data))
      if (String(v).startsWith('<set-me')) this.placeholders.push(`${path.slice('.Values.'.length)}.${k}`);
    replaceKey(o, field, this.markers.block(mapBlock(field, path)), null);
  }

  private liftClaim(claim: J, where: J, base: string, key: string): void {
    const spec = asObj(claim.spec);
    const requests = asObj(asObj(spec?.resources)?.requests);
    if (!spec || typeof requests?.storage !== 'string') return;
    const path = `${base}.${key}`;
    where[key] = {
      size: requests.storage,
      storageClass: typeof spec.storageClassName === 'string' ? spec.storageClassName : '',
    };
    requests.storage = this.markers.scalar(`{{ ${path}.size | quote }}`);
    replaceKey(
      spec,
      'storageClassName',
      this.markers.block(stringBlock('storageClassName', `${path}.storageClass`)),
      null,
    );
  }

  /** Returns the condition the whole Ingress file is wrapped in. */
  private liftIngress(o: J & KubeObject): string | undefined {
    const key = this.keyFor(o.metadata.labels?.[LABEL_NAME]);
    const spec = asObj(o.spec);
    if (!key || !spec || this.svc(key).ingress !== undefined) return undefined;
    const path = `.Values.${key}.ingress`;
    const rules = asList(spec.rules);
    const ingress: J = {
      enabled: true,
      className: typeof spec.ingressClassName === 'string' ? spec.ingressClassName : '',
    };
    if (rules.length === 1) {
      const rule = rules[0]!;
      ingress.host = typeof rule.host === 'string' ? rule.host : '';
      delete rule.host;
      rule[this.markers.block(stringBlock('host', `${path}.host`))] = null;
    }
    ingress.tls = Array.isArray(spec.tls) ? spec.tls : [];
    this.svc(key).ingress = ingress;
    this.ingresses.push(key);
    replaceKey(
      spec,
      'ingressClassName',
      this.markers.block(stringBlock('ingressClassName', `${path}.className`)),
      null,
    );
    replaceKey(spec, 'tls', this.markers.block(yamlBlock('tls', `${path}.tls`)), null);
    return `${path}.enabled`;
  }

  /**
   * The first HTTPRoute of a service lifts its hostnames and parentRefs (the Gateway); every route of the service
   * is wrapped in `route.enabled`.
   */
  private liftRoute(o: J & KubeObject): string | undefined {
    const key = this.keyFor(o.metadata.labels?.[LABEL_NAME]);
    const spec = asObj(o.spec);
    if (!key || !spec) return undefined;
    const path = `.Values.${key}.route`;
    if (this.svc(key).route !== undefined) return `${path}.enabled`;
    this.svc(key).route = {
      enabled: true,
      hostnames: Array.isArray(spec.hostnames) ? spec.hostnames : [],
      parentRefs: Array.isArray(spec.parentRefs) ? spec.parentRefs : [],
    };
    this.routes.push(key);
    replaceKey(spec, 'parentRefs', this.markers.block(yamlBlock('parentRefs', `${path}.parentRefs`)), null);
    const hostnames = this.markers.block(yamlBlock('hostnames', `${path}.hostnames`));
    if ('hostnames' in spec) replaceKey(spec, 'hostnames', hostnames, null);
    else spec[hostnames] = null;
    return `${path}.enabled`;
  }

  /** The values tree: services (in compose-name order of their keys), then project-wide maps. */
  valuesTree(): J {
    const tree: J = {};
    for (const key of [...this.services.keys()].sort()) {
      const v = this.services.get(key)!;
      const ordered: J = {};
      for (const k of SERVICE_KEY_ORDER) if (v[k] !== undefined) ordered[k] = v[k];
      tree[key] = ordered;
    }
    if (Object.keys(this.secrets).length) tree.secrets = this.secrets;
    if (Object.keys(this.persistence).length) tree.persistence = this.persistence;
    return tree;
  }
}
