/**
 * `ports`/`expose` → a ClusterIP Service per pod (named like the workload, so other services reach
 * it by the compose service name; headless for a StatefulSet, which needs it as its serviceName, and for several
 * replicas that peers need one by one, as compose's DNS resolves a scaled service to all of them), plus a `<svc>-public` Service of `--expose-type` (public-services.ts) for published
 * ports that are not HTTP (HTTP ones go through the Ingress, see ingress.ts).
 */
import type { Service as KService, ServicePort as KServicePort } from 'kubernetes-types/core/v1.js';
import { exposeText } from '../../model/ports.js';
import type { ConvertContext } from '../context.js';
import type { KubeObject } from '../../kube/object.js';
import type { PodPlan } from '../plan/pod.js';
import { publishedStart } from '../plan/ports.js';
import { portName } from '../../kube/naming.js';
import { isAddressed, reachOf } from '../network/reach.js';
import { IMAGE_PORTS, imageKey, imageRepository } from '../../kube/images.js';
import { LONG_RUNNING } from '../../kube/workloads.js';
import { addPort, containerPortsOf, targetPortName, typeOverride } from './service-ports.js';
import type { OutcomeId, PhraseId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
import { publicService } from './public-services.js';
import { heuristicImage } from '../plan/base-image.js';
import { overrideApplier } from '../intent/dialect.js';
import { fewNames } from '../../util/text.js';

/**
 * Ports the pod must answer on beyond its declared ones: where peers address its services, where they say
 * they serve (their own healthcheck or listeners), and their images' well-known ports. A pod that declares
 * none gets them only when something needs it (peers address it, link it or depend on it).
 */
function reachPorts(ctx: ConvertContext, plan: PodPlan, declared: boolean): Array<{ port: number; reason: string }> {
  const needed =
    declared || plan.services.some((s) => isAddressed(ctx, s) || ctx.index.dependantsOf(s.name).length > 0);
  if (!needed) return [];
  const out: Array<{ port: number; reason: string }> = [];
  const add = (port: number, reason: string): void => {
    if (!out.some((o) => o.port === port)) out.push({ port, reason });
  };
  for (const s of plan.services) {
    const r = reachOf(ctx, s.name);
    for (const ports of [r.referenced, r.self])
      for (const [p, why] of [...ports].sort((a, b) => a[0] - b[0])) add(p, why);
    const image = heuristicImage(ctx, s) ?? '';
    for (const p of r.wellKnown) add(p, `default port of image ${imageKey(IMAGE_PORTS, image) ?? image}`);
  }
  return out;
}
/**
 * The pod's in-cluster Service (named like the workload). A Service type kompose labels or x-k8s ask for is
 * service-type.ts's (a LoadBalancer over TCP and UDP ports split by protocol: their refs are pushed to `lbSplit`).
 */
function clusterService(
  ctx: ConvertContext,
  plan: PodPlan,
  later: Array<() => void>,
  lbSplit: string[] = [],
): KubeObject | undefined {
  const ports: KServicePort[] = [];
  const name = ctx.serviceName(plan.main);
  const ref = `Service/${name}`;
  /** A later downgrade of the pod's `expose` entry, naming its Service. */
  const exposeLater = (id: OutcomeId, values: Values): number =>
    later.push(() => ctx.downgrade(plan.main.name, 'expose', id, values, { objects: [ref] }));
  // In Compose, peers reach a service on its container port (`db:5432`), whatever host port
  // publishes it: the in-cluster Service answers there. Published ports belong to the Ingress and
  // the `<svc>-public` Service.
  for (const svc of plan.services)
    for (const cp of containerPortsOf(plan, svc))
      addPort(ports, { name: cp.name!, port: cp.containerPort, targetPort: cp.name!, protocol: cp.protocol ?? 'TCP' });
  const declared = ports.length > 0;
  const inferred = reachPorts(ctx, plan, declared);
  for (const i of inferred)
    addPort(ports, { name: portName(`tcp-${i.port}`), port: i.port, targetPort: i.port, protocol: 'TCP' });
  const added = inferred.filter((i) => ports.some((q) => q.targetPort === i.port));
  // Nodes of one cluster (services of the same image that address each other: `discovery.seed_hosts: es02,es03`
  // on every node) must reach each other before any is ready, since readiness waits for the cluster to form. In
  // compose the name always resolves; here the Service must publish not-ready pods or the cluster deadlocks.
  const cluster = plan.services.flatMap((s) => {
    const image = heuristicImage(ctx, s);
    const repo = image ? imageRepository(image) : undefined;
    return [...reachOf(ctx, s.name).peers].filter((p) => {
      const peer = ctx.project.services[p];
      const peerImage = peer ? heuristicImage(ctx, peer) : undefined;
      return (
        p !== s.name &&
        repo !== undefined &&
        peerImage !== undefined &&
        imageRepository(peerImage) === repo &&
        reachOf(ctx, p).peers.has(s.name)
      );
    });
  });
  const addedPorts = added.map((i) => `${i.port} (${i.reason})`).join(', ');
  if (cluster.length)
    exposeLater('expose.peer-cluster', {
      name,
      peers: [...new Set(cluster)].sort().join(', '),
      also: added.length ? 'peer-cluster.also' : 'peer-cluster.only',
      ports: addedPorts,
    });
  else if (added.length)
    exposeLater(declared ? 'expose.referenced' : 'expose.inferred', {
      name,
      ports: addedPorts,
      quoted: added.map((i) => `"${i.port}"`).join(', '),
    });
  // Peers name the service but no port of it is known: a headless Service makes the name resolve to the pod
  // IP, on which every port answers, as in compose.
  const unresolved =
    ports.length === 0 && plan.services.some((s) => isAddressed(ctx, s))
      ? plan.services.flatMap((s) => [
          ...reachOf(ctx, s.name).bare,
          ...ctx.index.linkersOf(s.name).map((l) => `links of ${l.name}`),
        ])
      : [];
  const typed = typeOverride(ctx, plan);
  // In compose every service's name resolves, whether or not the file shows who calls it: images call peers by
  // built-in defaults (an app's `http://<name>-ml:3003`, a proxy's `<name>-websocket:6042`). A long-running pod
  // with no known port still gets a headless Service, so its name resolves to the pod IP where every port answers.
  const implicit =
    ports.length === 0 &&
    unresolved.length === 0 &&
    typed.type === undefined &&
    LONG_RUNNING.has(plan.kind) &&
    plan.services.some((s) => s.network_mode !== 'none');
  // A StatefulSet needs its governing Service (spec.serviceName) even without ports: headless.
  // deploy.endpoint_mode dnsrr (DNS round robin, no virtual IP) is what a headless Service does.
  const dnsrr = plan.main.deploy?.endpoint_mode === 'dnsrr';
  // Several replicas that peers need one by one (a cluster's nodes joining each other, Prometheus dns_sd_configs): in
  // compose the name resolves to every replica; a ClusterIP's one virtual IP would show them a single one. A DaemonSet
  // (deploy.mode global) has a pod on every node: as many.
  const discovered = plan.services.flatMap((s) => reachOf(ctx, s.name).discovered);
  const everyNode = plan.kind === 'DaemonSet';
  const everyReplica =
    typed.type === undefined && (plan.replicas > 1 || everyNode) && (cluster.length > 0 || discovered.length > 0);
  // Not-ready pods too, as compose's DNS answers with every running container: a cluster's nodes (memberlist too) join
  // each other before any is ready. Prometheus (dns_sd_configs) only needs them to scrape a replica that is not ready,
  // which gives way to the Service's ordinary clients (readyOnlyClients).
  const clients =
    everyReplica && !cluster.length && discovered.every((d) => d.via === 'dns_sd_configs')
      ? readyOnlyClients(ctx, plan)
      : undefined;
  const notReady = cluster.length > 0 || (everyReplica && !clients);
  if (everyReplica) {
    const who: PhraseId[] = [];
    if (cluster.length) who.push('replicas-headless.cluster');
    if (discovered.length) who.push('replicas-headless.discovered');
    exposeLater(clients ? 'expose.replicas-headless-ready' : 'expose.replicas-headless', {
      name,
      pods: everyNode ? 'replicas-headless.every-node' : 'replicas-headless.replicas',
      replicas: plan.replicas,
      // publishNotReadyAddresses: the cluster's entry says so already.
      ready: cluster.length ? 'replicas-headless.not-ready-said' : 'replicas-headless.not-ready',
      who: who.join(' '),
      peers: [...new Set(cluster)].sort().join(', '),
      where:
        discovered
          .slice(0, 2)
          .map((d) => d.where)
          .join('; ') + (discovered.length > 2 ? `; ${discovered.length - 2} more` : ''),
      clients: clients?.who.join(' ') ?? '',
      clientNames: clients?.names ?? '',
    });
  }
  const headless =
    everyReplica ||
    typed.type === 'Headless' ||
    unresolved.length > 0 ||
    implicit ||
    (typed.type === undefined && (plan.kind === 'StatefulSet' || (dnsrr && ports.length > 0)));
  const mode = plan.main.deploy?.endpoint_mode;
  if (mode !== undefined)
    ctx.outcome(
      plan.main.name,
      'deploy.endpoint_mode',
      mode === 'dnsrr'
        ? ports.length
          ? 'deploy.endpoint_mode.dnsrr'
          : 'deploy.endpoint_mode.dnsrr-no-ports'
        : mode === 'vip'
          ? 'deploy.endpoint_mode.vip'
          : 'deploy.endpoint_mode.unknown',
      { name, mode: String(mode) },
      ports.length ? { objects: [ref] } : {},
    );
  if (ports.length === 0 && !headless) return undefined;
  if (implicit) exposeLater('expose.headless-implicit', { name });
  if (unresolved.length)
    exposeLater('expose.headless', {
      name,
      where: unresolved.slice(0, 3).join('; ') + (unresolved.length > 3 ? `; ${unresolved.length - 3} more` : ''),
    });
  const obj: KService & KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ctx.meta(name, ctx.labels(plan.main)),
    spec: {
      type: 'ClusterIP',
      ...(headless ? { clusterIP: 'None' } : {}),
      ...(notReady ? { publishNotReadyAddresses: true } : {}),
      selector: ctx.selector(plan.main),
      ...(ports.length ? { ports } : {}),
    },
  };
  // A type kompose labels or x-k8s ask for: dialect code (service-type.ts), carried by their OverrideApplier.
  const typedService = typed.type === undefined ? undefined : overrideApplier(ctx)?.service;
  return typedService ? typedService(ctx, plan, obj, headless, lbSplit) : ctx.emit(obj);
}
/**
 * Who reaches the pod's Service and expects ready pods only, as Kubernetes clients do (publishNotReadyAddresses marks
 * every pod ready in its endpoints): peers that address or link its services, services that wait for one of them to be
 * healthy (their wait goes through this Service), and the routes of published ports (an Ingress's backend is this
 * Service). Undefined when none does.
 */
function readyOnlyClients(ctx: ConvertContext, plan: PodPlan): { who: PhraseId[]; names: string } | undefined {
  const names = new Set<string>();
  let routed = false;
  for (const s of plan.services) {
    for (const p of reachOf(ctx, s.name).peers) names.add(p);
    for (const l of ctx.index.linkersOf(s.name)) names.add(l.name);
    for (const d of ctx.index.dependantsOf(s.name)) if (d.condition === 'service_healthy') names.add(d.service.name);
    routed ||= s.ports.some((p) => publishedStart(p) !== undefined);
  }
  for (const s of plan.services) names.delete(s.name);
  const who: PhraseId[] = [];
  if (names.size) who.push('replicas-headless.client-names');
  if (routed) who.push('replicas-headless.client-routes');
  return who.length ? { who, names: fewNames([...names].sort(), 3) } : undefined;
}

export function buildServices(ctx: ConvertContext, plan: PodPlan): void {
  const typed = typeOverride(ctx, plan);
  if (typed.type === 'None') {
    const any = plan.services.some((s) => s.ports.length || s.expose.length);
    if (any) ctx.downgrade(plan.main.name, 'ports', 'ports.service-none');
    return;
  }
  const later: Array<() => void> = [];
  const lbSplit: string[] = [];
  const cluster = clusterService(ctx, plan, later, lbSplit);
  if (cluster) {
    const ref = `Service/${cluster.metadata.name}`;
    for (const svc of plan.services) {
      const portList = (cluster.spec as { ports: KServicePort[] }).ports;
      svc.ports.forEach((p, i) => {
        const tp = targetPortName(plan, svc, p.target, p.protocol);
        const sp = portList.find((q) => q.targetPort === tp && q.protocol === p.protocol.toUpperCase());
        const at = { pos: ctx.servicePos(svc, 'ports', i) };
        const path = `ports[${i}]`;
        if (!sp) {
          ctx.outcome(svc.name, path, 'ports.no-container-port', { target: p.target, protocol: p.protocol }, at);
          return;
        }
        const values = { ref, port: sp.port, target: p.target, protocol: p.protocol, name: cluster.metadata.name };
        // The port's entry: what the in-cluster Service does with it; publishing (Service or Ingress) adds to it.
        ctx.outcome(
          svc.name,
          path,
          publishedStart(p) === undefined ? 'ports.random-host-port' : 'ports.in-cluster',
          values,
          { ...at, objects: [ref] },
        );
      });
      if (svc.expose.length)
        ctx.outcome(svc.name, 'expose', 'expose.in-cluster', { ref, ports: exposeText(svc) }, { objects: [ref] });
    }
  }
  for (const f of later) f();
  if (typed.type === undefined) return publicService(ctx, plan, cluster);
  overrideApplier(ctx)?.serviceEntries(ctx, plan, cluster, lbSplit);
}

/**
 * Project step after every pod's Services: a service peers address (network/reach.ts) whose name no Service
 * carries cannot be reached by it (an x-k8s service type None, a Job...). Counted per project: goal 0.
 */
export function reportUnreachable(ctx: ConvertContext, plans: PodPlan[]): void {
  for (const plan of plans)
    for (const svc of plan.services) {
      if (!isAddressed(ctx, svc)) continue;
      const name = ctx.serviceName(plan.main);
      if (ctx.find('Service', name)) continue;
      const r = reachOf(ctx, svc.name);
      const where = [
        ...r.referenced.values(),
        ...r.bare,
        ...ctx.index.linkersOf(svc.name).map((l) => `links of ${l.name}`),
      ];
      const none = typeOverride(ctx, plan).type === 'None';
      ctx.downgrade(svc.name, 'expose', 'expose.no-service', {
        name,
        where: where.slice(0, 3).join('; '),
        why: none ? 'no-service.type-none' : 'no-service.other',
      });
    }
}
