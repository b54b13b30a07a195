/** Rules the API server enforces on a single object beyond the OpenAPI schema. */
import {
  type Check,
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  envVarName,
  ianaSvcName,
  labelKey,
  labelValue,
  portNumber,
} from './validate-names.js';
import { type J, containers, list, obj, podTemplate, str, strMap } from './validate-pod.js';

export interface RuleIssue {
  path: string;
  message: string;
}

const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);
const PULL_POLICIES = new Set(['Always', 'IfNotPresent', 'Never']);
const SERVICE_TYPES = new Set(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);
const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

function nameCheck(kind: string): { check: Check; max?: number } {
  switch (kind) {
    case 'Service':
      return { check: dns1035Label };
    case 'Namespace':
      return { check: dns1123Label };
    case 'CronJob':
      return { check: dns1123Subdomain, max: 52 };
    case 'Job':
      return { check: dns1123Subdomain, max: 63 };
    default:
      return { check: dns1123Subdomain };
  }
}

export function objectRules(o: J): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const add = (path: string, message: string | undefined): void => {
    if (message) issues.push({ path, message });
  };
  const kind = String(o.kind);
  const meta = obj(o.metadata);
  const name = str(meta.name);
  if (!name) add('/metadata/name', 'metadata.name is required');
  else {
    const { check, max } = nameCheck(kind);
    add('/metadata/name', check(name));
    if (max && name.length > max) add('/metadata/name', `${kind} name "${name}" is longer than ${max} characters`);
  }
  if (meta.namespace !== undefined) add('/metadata/namespace', dns1123Label(String(meta.namespace)));
  checkLabels(meta.labels, '/metadata/labels', add);
  for (const k of Object.keys(obj(meta.annotations))) add(`/metadata/annotations/${k}`, labelKey(k));
  for (const [k, v] of Object.entries(obj(meta.annotations))) {
    if (typeof v !== 'string') add(`/metadata/annotations/${k}`, 'annotation values must be strings');
  }

  const spec = obj(o.spec);
  const t = podTemplate(o);
  if (t) {
    if (kind !== 'Pod') checkLabels(t.labels, `${t.path}/metadata/labels`, add);
    // A StatefulSet's volumeClaimTemplates are mountable by name like volumes.
    const claims = list(spec.volumeClaimTemplates).map((c) => str(obj(c.metadata).name) ?? '');
    podRules(kind, t.path, t.spec, claims, add);
  }
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(kind) && t) {
    const match = strMap(obj(spec.selector).matchLabels);
    checkLabels(match, '/spec/selector/matchLabels', add);
    if (Object.keys(match).length === 0 && list(obj(spec.selector).matchExpressions).length === 0) {
      add('/spec/selector', 'selector must not be empty');
    }
    for (const [k, v] of Object.entries(match)) {
      if (t.labels[k] !== v)
        add(`/spec/selector/matchLabels/${k}`, `selector ${k}=${v} does not match the template labels`);
    }
  }
  if (kind === 'Service') serviceRules(spec, add);
  if (kind === 'HTTPRoute') httpRouteRules(spec, add);
  return issues;
}

type Add = (path: string, message: string | undefined) => void;

function checkLabels(labels: unknown, path: string, add: Add): void {
  for (const [k, v] of Object.entries(obj(labels))) {
    add(`${path}/${k}`, labelKey(k));
    add(`${path}/${k}`, labelValue(v as string));
  }
}

function podRules(kind: string, base: string, spec: J, claimTemplates: string[], add: Add): void {
  const p = `${base}/spec`;
  const restart = str(spec.restartPolicy);
  if (kind === 'Job' || kind === 'CronJob') {
    if (restart !== 'Never' && restart !== 'OnFailure')
      add(
        `${p}/restartPolicy`,
        `${kind} pods need restartPolicy Never or OnFailure, got ${restart ?? '(unset → Always)'}`,
      );
  } else if (kind !== 'Pod' && restart !== undefined && restart !== 'Always') {
    add(`${p}/restartPolicy`, `${kind} pods need restartPolicy Always, got ${restart}`);
  } else if (restart !== undefined && !['Always', 'OnFailure', 'Never'].includes(restart)) {
    add(`${p}/restartPolicy`, `unknown restartPolicy ${restart}`);
  }

  const volumeNames = new Set<string>();
  list(spec.volumes).forEach((v, i) => {
    const vn = str(v.name) ?? '';
    add(`${p}/volumes/${i}/name`, dns1123Label(vn));
    if (volumeNames.has(vn)) add(`${p}/volumes/${i}/name`, `duplicate volume name "${vn}"`);
    volumeNames.add(vn);
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length !== 1)
      add(`${p}/volumes/${i}`, `volume "${vn}" must have exactly one source, has ${sources.length}`);
  });
  const mountable = new Set([...volumeNames, ...claimTemplates]);

  const cs = containers({ path: base, labels: {}, spec });
  if (list(spec.containers).length === 0) add(`${p}/containers`, 'a pod needs at least one container');
  const containerNames = new Set<string>();
  const hostPorts = new Set<string>();
  for (const { path, c } of cs) {
    const cn = str(c.name) ?? '';
    add(`${path}/name`, dns1123Label(cn));
    if (containerNames.has(cn)) add(`${path}/name`, `duplicate container name "${cn}"`);
    containerNames.add(cn);
    if (!str(c.image)) add(`${path}/image`, 'image is required');
    if (c.imagePullPolicy !== undefined && !PULL_POLICIES.has(String(c.imagePullPolicy))) {
      add(`${path}/imagePullPolicy`, `invalid imagePullPolicy ${String(c.imagePullPolicy)}`);
    }
    const portNames = new Set<string>();
    list(c.ports).forEach((port, i) => {
      const pp = `${path}/ports/${i}`;
      add(`${pp}/containerPort`, portNumber(port.containerPort));
      if (port.hostPort !== undefined) {
        add(`${pp}/hostPort`, portNumber(port.hostPort));
        const key = `${String(port.hostIP ?? '')}:${String(port.hostPort)}/${String(port.protocol ?? 'TCP')}`;
        if (hostPorts.has(key)) add(`${pp}/hostPort`, `hostPort ${key} is used twice in the pod`);
        hostPorts.add(key);
      }
      if (port.protocol !== undefined && !PROTOCOLS.has(String(port.protocol)))
        add(`${pp}/protocol`, `invalid protocol ${String(port.protocol)}`);
      if (port.name !== undefined) {
        const pn = String(port.name);
        add(`${pp}/name`, ianaSvcName(pn));
        if (portNames.has(pn)) add(`${pp}/name`, `duplicate port name "${pn}" in container "${cn}"`);
        portNames.add(pn);
      }
    });
    list(c.env).forEach((e, i) => {
      add(`${path}/env/${i}/name`, envVarName(str(e.name) ?? ''));
      if (e.value !== undefined && e.valueFrom !== undefined)
        add(`${path}/env/${i}`, 'env var has both value and valueFrom');
      if (e.valueFrom !== undefined && Object.keys(obj(e.valueFrom)).length !== 1)
        add(`${path}/env/${i}/valueFrom`, 'valueFrom must have exactly one source');
      if (e.value !== undefined && typeof e.value !== 'string')
        add(`${path}/env/${i}/value`, 'env value must be a string');
    });
    list(c.envFrom).forEach((e, i) => {
      if (e.prefix !== undefined) add(`${path}/envFrom/${i}/prefix`, envVarName(String(e.prefix)));
    });
    const mountPaths = new Set<string>();
    list(c.volumeMounts).forEach((m, i) => {
      const mp = str(m.mountPath) ?? '';
      if (!mountable.has(str(m.name) ?? ''))
        add(`${path}/volumeMounts/${i}/name`, `volumeMount names unknown volume "${String(m.name)}"`);
      if (!mp) add(`${path}/volumeMounts/${i}/mountPath`, 'mountPath is required');
      if (mountPaths.has(mp))
        add(`${path}/volumeMounts/${i}/mountPath`, `mountPath ${mp} is used twice in container "${cn}"`);
      mountPaths.add(mp);
      const sub = str(m.subPath);
      if (sub && (sub.startsWith('/') || sub.split('/').includes('..')))
        add(`${path}/volumeMounts/${i}/subPath`, `subPath ${sub} must be relative without '..'`);
    });
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (c[probe] === undefined) continue;
      const pr = obj(c[probe]);
      const handlers = PROBE_HANDLERS.filter((h) => pr[h] !== undefined);
      if (handlers.length !== 1) add(`${path}/${probe}`, `probe must have exactly one handler, has ${handlers.length}`);
      for (const h of ['httpGet', 'tcpSocket']) {
        const port = obj(pr[h]).port;
        if (pr[h] === undefined) continue;
        if (typeof port === 'string') {
          if (!portNames.has(port))
            add(`${path}/${probe}/${h}/port`, `probe port "${port}" is not a named container port`);
        } else add(`${path}/${probe}/${h}/port`, portNumber(port));
      }
    }
  }
}

function serviceRules(spec: J, add: Add): void {
  const type = str(spec.type) ?? 'ClusterIP';
  if (!SERVICE_TYPES.has(type)) add('/spec/type', `invalid Service type ${type}`);
  if (type === 'ExternalName') {
    if (!str(spec.externalName)) add('/spec/externalName', 'ExternalName Service needs externalName');
    return;
  }
  if (spec.clusterIP === 'None' && type !== 'ClusterIP') add('/spec/clusterIP', `headless Service cannot be ${type}`);
  checkLabels(spec.selector, '/spec/selector', add);
  const ports = list(spec.ports);
  if (ports.length === 0 && spec.clusterIP !== 'None') add('/spec/ports', 'Service needs at least one port');
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((port, i) => {
    const pp = `/spec/ports/${i}`;
    add(`${pp}/port`, portNumber(port.port));
    const proto = String(port.protocol ?? 'TCP');
    if (!PROTOCOLS.has(proto)) add(`${pp}/protocol`, `invalid protocol ${proto}`);
    const key = `${String(port.port)}/${proto}`;
    if (keys.has(key)) add(`${pp}/port`, `duplicate Service port ${key}`);
    keys.add(key);
    const tp = port.targetPort;
    if (typeof tp === 'string') add(`${pp}/targetPort`, ianaSvcName(tp));
    else if (tp !== undefined) add(`${pp}/targetPort`, portNumber(tp));
    if (port.name === undefined) {
      if (ports.length > 1) add(`${pp}/name`, 'ports of a multi-port Service must be named');
    } else {
      const n = String(port.name);
      add(`${pp}/name`, dns1123Label(n));
      if (names.has(n)) add(`${pp}/name`, `duplicate Service port name "${n}"`);
      names.add(n);
    }
    if (port.nodePort !== undefined) {
      if (type !== 'NodePort' && type !== 'LoadBalancer')
        add(`${pp}/nodePort`, `nodePort needs type NodePort or LoadBalancer, not ${type}`);
      const np = Number(port.nodePort);
      if (!Number.isInteger(np) || np < 30000 || np > 32767)
        add(`${pp}/nodePort`, `nodePort ${String(port.nodePort)} is outside 30000-32767`);
    }
  });
}

const PATH_VALUE = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;

/**
 * The CEL validations of the Gateway API HTTPRoute CRD (v1.0) that its OpenAPI schema cannot say: path match values,
 * backendRefs to Services need a port, hostnames are not IP addresses, a URLRewrite ReplacePrefixMatch filter needs
 * its rule's one match to be a PathPrefix, a filter has the field of its type (only), no filter type is repeated, a
 * RequestRedirect goes with neither a URLRewrite nor backendRefs, header modifiers name a header once, and the CRD's
 * list bounds.
 */
function httpRouteRules(spec: J, add: Add): void {
  const hostnames: unknown[] = Array.isArray(spec.hostnames) ? spec.hostnames : [];
  hostnames.forEach((h, i) => {
    if (typeof h === 'string' && /^[0-9.]+$/.test(h)) add(`/spec/hostnames/${i}`, 'hostnames must not be IP addresses');
  });
  if (new Set(hostnames).size !== hostnames.length) add('/spec/hostnames', 'hostnames must be unique');
  if (list(spec.parentRefs).length === 0) add('/spec/parentRefs', 'an HTTPRoute attaches to no Gateway');
  list(spec.rules).forEach((rule, i) => {
    const p = `/spec/rules/${i}`;
    list(rule.matches).forEach((m, j) => {
      const path = obj(m.path);
      const type = str(path.type) ?? 'PathPrefix';
      const value = str(path.value) ?? '/';
      if (type !== 'PathPrefix' && type !== 'Exact') return;
      const at = `${p}/matches/${j}/path/value`;
      if (!value.startsWith('/')) add(at, "value must be an absolute path and start with the '/' character");
      if (!PATH_VALUE.test(value)) add(at, `value "${value}" holds characters a path match cannot`);
      for (const bad of ['//', '/./', '/../', '%2f', '%2F', '#'])
        if (value.includes(bad)) add(at, `value must not contain ${bad}`);
      if (value.endsWith('/..') || value.endsWith('/.')) add(at, 'value must not end with a dot segment');
    });
    const filters = list(rule.filters);
    const count = (type: string): number => filters.filter((f) => f.type === type).length;
    for (const type of ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite'])
      if (count(type) > 1) add(`${p}/filters`, `${type} filter cannot be repeated`);
    if (count('RequestRedirect') && count('URLRewrite'))
      add(
        `${p}/filters`,
        'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
      );
    if (count('RequestRedirect') && list(rule.backendRefs).length)
      add(p, 'RequestRedirect filter must not be used together with backendRefs');
    filters.forEach((f, j) => {
      for (const field of [
        'requestHeaderModifier',
        'responseHeaderModifier',
        'requestMirror',
        'requestRedirect',
        'urlRewrite',
        'extensionRef',
      ]) {
        const mine = String(f.type).toLowerCase() === field.toLowerCase();
        if (mine && f[field] === undefined)
          add(`${p}/filters/${j}`, `filter.${field} must be specified for ${String(f.type)} filter.type`);
        if (!mine && f[field] !== undefined)
          add(`${p}/filters/${j}`, `filter.${field} must be nil if the filter.type is not ${field}`);
      }
      for (const field of ['requestHeaderModifier', 'responseHeaderModifier']) {
        const m = obj(f[field]);
        for (const key of ['set', 'add', 'remove']) {
          const names = list(m[key]).map((h) => (key === 'remove' ? String(h) : str(obj(h).name)));
          if (new Set(names).size !== names.length) add(`${p}/filters/${j}/${field}/${key}`, 'Duplicate value: name');
        }
      }
    });
    filters.forEach((f, j) => {
      if (f.type !== 'URLRewrite') return;
      const rw = obj(f.urlRewrite);
      const path = obj(rw.path);
      if (path.type !== 'ReplacePrefixMatch') return;
      if (path.replacePrefixMatch === undefined)
        add(
          `${p}/filters/${j}/urlRewrite/path`,
          "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'",
        );
      const matches = list(rule.matches);
      if (matches.length !== 1 || (str(obj(matches[0]!.path).type) ?? 'PathPrefix') !== 'PathPrefix')
        add(
          p,
          'When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified',
        );
    });
    list(rule.backendRefs).forEach((b, j) => {
      if ((b.group ?? '') === '' && (b.kind ?? 'Service') === 'Service' && b.port === undefined)
        add(`${p}/backendRefs/${j}`, 'Must have port for Service reference');
    });
  });
}
