/**
 * Pitfall lint: the classic mistakes of a compose → Kubernetes move, checked on the OUTPUT
 * objects per workload, each with a fix and the compose position of the service. Runs at the end of
 * the pipeline; findings a module already made (same pitfall, object, and service or IP) are not
 * repeated.
 *
 * - no-resource-limits: a container without `resources.limits`;
 * - no-probes: a long-running (Deployment/StatefulSet/DaemonSet) container without both a readiness
 *   and a liveness probe;
 * - hard-coded-ip: IP literals in env values, referenced ConfigMap data, command/args, hostAliases;
 * - stateful-without-volume: a well-known stateful image whose data directory is not on a
 *   PersistentVolumeClaim (STATEFUL_IMAGES);
 * - no-network-policy: no NetworkPolicy selects the workload's pods (or the pods use the host
 *   network, which NetworkPolicies do not cover). When the project-wide finding of
 *   `--no-network-policies` exists, it stands for every workload;
 * - database-without-password: an official database image whose service's environment sets none of the variables
 *   its entrypoint needs to initialize an empty database (INIT_PASSWORD): it exits at first start, under docker
 *   compose as well (a mistake of the compose file, named here because the pod's crash loop does not say which).
 */
import type { ConfigMap, Container, PodSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { Service } from '../../model/types.js';
import type { FindingId } from '../../mappings/outcomes.js';
import type { Finding } from '../../report/entry.js';
import type { ConvertContext } from '../context.js';
import type { Values } from '../book.js';
import type { KubeObject } from '../../kube/object.js';
import { podTemplateOf } from '../../kube/workloads.js';
import { DOCKER_DNS, ipLiterals, usesDockerDns } from '../../kube/ip.js';
import { composeAddress } from './ips.js';
import { STATEFUL_IMAGES, holdsDataOf, initPasswordVars, statefulImage } from '../../kube/images.js';
import { LONG_RUNNING } from '../../kube/workloads.js';
import { withoutCommentLines } from '../../util/text.js';
import { consumedFile, suggestedTest } from '../container/probes.js';

interface Workload {
  obj: KubeObject;
  ref: string;
  spec: PodSpec;
  labels: Record<string, string>;
  claimTemplates: Set<string>;
}

export function lintPitfalls(ctx: ConvertContext): void {
  const services = new Map<string, Service>();
  for (const svc of Object.values(ctx.project.services)) services.set(ctx.serviceName(svc), svc);
  const serviceOf = (c: Container | undefined): Service | undefined => (c ? services.get(c.name) : undefined);
  const policies = ctx.objects.filter((o) => o.kind === 'NetworkPolicy');
  const projectWideNoPolicy = ctx.findings.some(
    (f) => f.pitfall === 'no-network-policy' && f.object.startsWith('project/'),
  );

  /** Findings by pitfall and object, so that a duplicate is found without a look through all of them. */
  const made = new Map<string, Finding[]>();
  const index = (f: Finding): void => {
    const key = `${f.pitfall}\0${f.object}`;
    const list = made.get(key);
    if (list) list.push(f);
    else made.set(key, [f]);
  };
  for (const f of ctx.findings) index(f);

  /** Add unless a finding with the same pitfall and object (and service / IP when given) exists. */
  const add = (
    id: FindingId,
    values: Values,
    object: string,
    svc: Service | undefined,
    match: { service?: boolean; ip?: string } = {},
  ): void => {
    const pitfall = id.split('.')[0];
    const dup = made
      .get(`${pitfall}\0${object}`)
      ?.some(
        (o) =>
          (!match.service || o.service === undefined || o.service === svc?.name) && (!match.ip || o.ip === match.ip),
      );
    if (dup) return;
    ctx.finding(id, values, { object, ip: match.ip, service: svc?.name, pos: svc && ctx.servicePos(svc) });
    index(ctx.findings[ctx.findings.length - 1]!);
  };

  const configMap = (name: string): ConfigMap | undefined => ctx.find('ConfigMap', name) as ConfigMap | undefined;

  /** Literal env of a container, including ConfigMaps it loads with envFrom. */
  const env = (c: Container): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const ef of c.envFrom ?? []) {
      const cm = ef.configMapRef?.name ? configMap(ef.configMapRef.name) : undefined;
      for (const [k, v] of Object.entries(cm?.data ?? {})) out[(ef.prefix ?? '') + k] = v;
    }
    for (const e of c.env ?? []) if (e.value !== undefined) out[e.name] = e.value;
    return out;
  };

  const limits = (w: Workload, main: Service | undefined): void => {
    const without = w.spec.containers.filter((c) => !c.resources?.limits || !Object.keys(c.resources.limits).length);
    if (!without.length) return;
    const names = without.map((c) => c.name);
    const svcs = without.map((c) => serviceOf(c)?.name ?? c.name);
    add(
      names.length > 1 ? 'no-resource-limits.containers' : 'no-resource-limits.container',
      { containers: names.join(', '), object: w.ref, services: svcs.join(', ') },
      w.ref,
      serviceOf(without[0]) ?? main,
    );
  };

  const probes = (w: Workload, c: Container, svc: Service | undefined): void => {
    // A healthcheck that deletes what it tests is readiness only on purpose (container/probes.ts).
    if (c.readinessProbe && (c.livenessProbe || consumedFile(c.readinessProbe))) return;
    const id = c.readinessProbe ? 'no-probes.liveness' : c.livenessProbe ? 'no-probes.readiness' : 'no-probes.both';
    const values = { container: c.name, service: svc?.name ?? c.name, ...suggestedTest(ctx, svc) };
    add(id, values, w.ref, svc, { service: true });
  };

  const stateful = (w: Workload, c: Container, svc: Service | undefined): void => {
    const key = c.image ? statefulImage(c.image) : undefined;
    if (!key) return;
    const entry = STATEFUL_IMAGES[key]!;
    const moved = entry.env ? env(c)[entry.env] : undefined;
    const persistent = (name: string): boolean =>
      w.claimTemplates.has(name) || !!w.spec.volumes?.some((v) => v.name === name && v.persistentVolumeClaim);
    // A data directory moved by its variable (PGDATA) is the one to cover; else any the image keeps its data in.
    const holds = (m: { mountPath: string }): boolean =>
      moved
        ? moved === m.mountPath || moved.startsWith(m.mountPath.replace(/\/$/, '') + '/')
        : holdsDataOf(c.image!, m.mountPath);
    const covered = (c.volumeMounts ?? []).some((m) => holds(m) && persistent(m.name));
    if (covered) return;
    const path = moved || entry.paths[0]!;
    const values = { container: c.name, image: key, path, service: svc?.name ?? c.name };
    add('stateful-without-volume', values, w.ref, svc, { service: true });
  };

  const password = (w: Workload, c: Container, svc: Service | undefined): void => {
    // An image built here, or an entrypoint or command of its own, may set the password or not run the server.
    if (!svc?.image || svc.build || svc.entrypoint !== undefined || svc.command === null) return;
    const vars = initPasswordVars(svc.image, svc.command);
    // The entrypoints test each variable with `[ -z ... ]`: one set empty counts as none. A key-only one left unset
    // is environment.unset's entry.
    const has = (v: string): boolean => {
      const [name, value] = v.split('=');
      const set = svc.environment[name!];
      if (set === undefined) return !!svc.unsetEnvironment?.includes(name!);
      return value === undefined ? set !== '' : set === value;
    };
    if (!vars || vars.some(has)) return;
    const empty = vars.find((v) => svc.environment[v] === '');
    const values = {
      container: c.name,
      image: svc.image,
      variable: vars[0]!,
      vars: vars.join(', '),
      service: svc.name,
      ...(empty ? { empty, others: vars.filter((v) => v !== empty).join(', ') } : {}),
    };
    add(empty ? 'database-without-password.empty' : 'database-without-password', values, w.ref, svc, {
      service: true,
    });
  };

  const ips = (w: Workload, main: Service | undefined): void => {
    const seen = new Set<string>();
    const flag = (text: string, where: string, svc: Service | undefined): void => {
      if (!seen.has(DOCKER_DNS) && usesDockerDns(text)) {
        seen.add(DOCKER_DNS);
        add('hard-coded-ip.docker-dns', { where, ip: DOCKER_DNS }, w.ref, svc ?? main, { ip: DOCKER_DNS });
      }
      for (const ip of ipLiterals(text)) {
        if (seen.has(ip)) continue;
        seen.add(ip);
        const at = composeAddress(ctx, ip);
        if (!at) continue; // not a container's address: it does not move
        const peer = at.peer && at.peer !== (svc ?? main) ? ctx.serviceName(at.peer) : undefined;
        if (peer) add('hard-coded-ip.peer', { where, ip, peer }, w.ref, svc ?? main, { ip });
        else add('hard-coded-ip', { where, ip }, w.ref, svc ?? main, { ip });
      }
    };
    const spec = w.spec;
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      const svc = serviceOf(c);
      for (const e of c.env ?? [])
        if (e.value !== undefined) flag(e.value, `env ${e.name} of container ${c.name}`, svc);
      for (const [what, list] of [
        ['command', c.command],
        ['args', c.args],
      ] as const)
        for (const a of list ?? []) flag(a, `${what} of container ${c.name}`, svc);
      const cms = new Set<string>();
      for (const ef of c.envFrom ?? []) if (ef.configMapRef?.name) cms.add(ef.configMapRef.name);
      for (const e of c.env ?? []) if (e.valueFrom?.configMapKeyRef?.name) cms.add(e.valueFrom.configMapKeyRef.name);
      const mounted = new Set((c.volumeMounts ?? []).map((m) => m.name));
      for (const v of spec.volumes ?? []) {
        if (!mounted.has(v.name)) continue;
        if (v.configMap?.name) cms.add(v.configMap.name);
        for (const s of v.projected?.sources ?? []) if (s.configMap?.name) cms.add(s.configMap.name);
      }
      for (const name of cms)
        for (const [k, text] of Object.entries(configMap(name)?.data ?? {}))
          flag(withoutCommentLines(text), `ConfigMap ${name} (${k})`, svc);
    }
    for (const a of spec.hostAliases ?? [])
      if (a.ip) flag(a.ip, `hostAliases entry ${(a.hostnames ?? []).join(', ')}`, main);
  };

  const networkPolicy = (w: Workload, main: Service | undefined): void => {
    if (projectWideNoPolicy) return;
    const ns = w.obj.metadata.namespace;
    const selected = policies.some(
      (p) =>
        p.metadata.namespace === ns &&
        selects((p.spec as { podSelector?: LabelSelector } | undefined)?.podSelector, w.labels),
    );
    if (selected && !w.spec.hostNetwork) return;
    add(
      w.spec.hostNetwork ? 'no-network-policy.host-network' : 'no-network-policy.unselected',
      { object: w.ref, service: main?.name ?? w.obj.metadata.name },
      w.ref,
      main,
    );
  };

  for (const obj of [...ctx.objects]) {
    const tmpl = podTemplateOf<{ metadata?: { labels?: Record<string, string> }; spec?: PodSpec }>(obj);
    if (!tmpl?.spec) continue;
    const claims = (
      (obj.spec as { volumeClaimTemplates?: Array<{ metadata?: { name?: string } }> }).volumeClaimTemplates ?? []
    )
      .map((t) => t.metadata?.name)
      .filter((n): n is string => !!n);
    const w: Workload = {
      obj,
      ref: `${obj.kind}/${obj.metadata.name}`,
      spec: tmpl.spec,
      labels: tmpl.metadata?.labels ?? obj.metadata.labels ?? {},
      claimTemplates: new Set(claims),
    };
    const main = serviceOf(w.spec.containers[0]);
    limits(w, main);
    for (const c of w.spec.containers) {
      const svc = serviceOf(c) ?? main;
      if (LONG_RUNNING.has(obj.kind)) probes(w, c, svc);
      stateful(w, c, svc);
      password(w, c, serviceOf(c));
    }
    ips(w, main);
    networkPolicy(w, main);
  }
}

/** Does a label selector select these labels? (An empty selector selects everything.) */
export function selects(sel: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    const val = labels[e.key];
    const ok =
      e.operator === 'In'
        ? has && (e.values ?? []).includes(val!)
        : e.operator === 'NotIn'
          ? !has || !(e.values ?? []).includes(val!)
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}
