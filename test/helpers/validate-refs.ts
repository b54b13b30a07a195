/** Rules across objects: references must resolve within the set (or be declared external). */
import { type J, containers, list, obj, podTemplate, selects, str, strMap } from './validate-pod.js';

export interface External {
  secrets?: string[];
  configMaps?: string[];
  claims?: string[];
}

export interface RefIssue {
  index: number;
  path: string;
  message: string;
}

const nameOf = (o: J): string => str(obj(o.metadata).name) ?? '';

export function crossRules(objects: J[], external: External = {}): RefIssue[] {
  const issues: RefIssue[] = [];
  const byKind = (kind: string): J[] => objects.filter((o) => o.kind === kind);
  const names = (kind: string, extra: string[] = []): Set<string> => new Set([...byKind(kind).map(nameOf), ...extra]);
  const configMaps = names('ConfigMap', external.configMaps);
  const secrets = names('Secret', external.secrets);
  const claims = names('PersistentVolumeClaim', external.claims);
  // A StatefulSet's claim templates make one claim per replica: <template>-<statefulset>-<ordinal>.
  for (const sts of byKind('StatefulSet')) {
    const spec = obj(sts.spec);
    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
    for (const t of Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : [])
      for (let i = 0; i < replicas; i++) claims.add(`${str(obj(obj(t).metadata).name) ?? ''}-${nameOf(sts)}-${i}`);
  }
  const services = byKind('Service');

  const seen = new Set<string>();
  objects.forEach((o, index) => {
    const add = (path: string, message: string): void => {
      issues.push({ index, path, message });
    };
    const ns = str(obj(o.metadata).namespace) ?? '';
    const id = `${String(o.apiVersion).split('/')[0]}|${String(o.kind)}|${ns}|${nameOf(o)}`;
    if (seen.has(id)) add('/metadata/name', `duplicate ${String(o.kind)} "${nameOf(o)}"`);
    seen.add(id);

    const t = podTemplate(o);
    if (t) {
      const p = `${t.path}/spec`;
      const keyExists = (kind: 'ConfigMap' | 'Secret', name: string, key: string): boolean => {
        const target = byKind(kind).find((x) => nameOf(x) === name);
        if (!target) return true; // external: the key cannot be checked
        return key in obj(target.data) || key in obj(target.stringData) || key in obj(target.binaryData);
      };
      const ref = (
        set: Set<string>,
        kind: string,
        name: string | undefined,
        optional: unknown,
        path: string,
      ): boolean => {
        if (optional === true || (name !== undefined && set.has(name))) return true;
        add(path, `${kind} "${String(name)}" does not exist`);
        return false;
      };
      list(t.spec.volumes).forEach((v, i) => {
        const vp = `${p}/volumes/${i}`;
        if (v.configMap)
          ref(configMaps, 'ConfigMap', str(obj(v.configMap).name), obj(v.configMap).optional, `${vp}/configMap/name`);
        if (v.secret)
          ref(secrets, 'Secret', str(obj(v.secret).secretName), obj(v.secret).optional, `${vp}/secret/secretName`);
        if (v.persistentVolumeClaim)
          ref(
            claims,
            'PersistentVolumeClaim',
            str(obj(v.persistentVolumeClaim).claimName),
            false,
            `${vp}/persistentVolumeClaim/claimName`,
          );
        list(obj(v.projected).sources).forEach((s, j) => {
          if (s.configMap)
            ref(
              configMaps,
              'ConfigMap',
              str(obj(s.configMap).name),
              obj(s.configMap).optional,
              `${vp}/projected/sources/${j}/configMap/name`,
            );
          if (s.secret)
            ref(
              secrets,
              'Secret',
              str(obj(s.secret).name),
              obj(s.secret).optional,
              `${vp}/projected/sources/${j}/secret/name`,
            );
        });
      });
      list(t.spec.imagePullSecrets).forEach((s, i) =>
        ref(secrets, 'Secret', str(s.name), false, `${p}/imagePullSecrets/${i}/name`),
      );
      for (const { path, c } of containers(t)) {
        expansionRefs(c, byKind, path, add);
        jobWaitRefs(c, byKind('Job'), path, add);
        list(c.envFrom).forEach((e, i) => {
          if (e.configMapRef)
            ref(
              configMaps,
              'ConfigMap',
              str(obj(e.configMapRef).name),
              obj(e.configMapRef).optional,
              `${path}/envFrom/${i}/configMapRef/name`,
            );
          if (e.secretRef)
            ref(
              secrets,
              'Secret',
              str(obj(e.secretRef).name),
              obj(e.secretRef).optional,
              `${path}/envFrom/${i}/secretRef/name`,
            );
        });
        list(c.env).forEach((e, i) => {
          const from = obj(e.valueFrom);
          for (const [field, kind, set] of [
            ['configMapKeyRef', 'ConfigMap', configMaps],
            ['secretKeyRef', 'Secret', secrets],
          ] as const) {
            if (!from[field]) continue;
            const r = obj(from[field]);
            const name = str(r.name);
            const key = str(r.key) ?? '';
            const ep = `${path}/env/${i}/valueFrom/${field}`;
            if (
              ref(set, kind, name, r.optional, `${ep}/name`) &&
              r.optional !== true &&
              name &&
              !keyExists(kind, name, key)
            ) {
              add(`${ep}/key`, `${kind} "${name}" has no key "${key}"`);
            }
          }
        });
      }
    }

    if (o.kind === 'Service') serviceRefs(o, objects, add);
    // TLS secrets are not checked: the API server accepts any name, and they are usually made outside
    // the converted set (cert-manager, an operator) — the controller falls back to its default certificate.
    if (o.kind === 'Ingress') ingressRefs(o, services, add);
    if (o.kind === 'HTTPRoute') httpRouteRefs(o, services, add);
    if (o.kind === 'StatefulSet') {
      const sn = str(obj(o.spec).serviceName);
      if (sn !== undefined && sn !== '') {
        const svc = services.find((s) => nameOf(s) === sn);
        if (!svc) add('/spec/serviceName', `Service "${sn}" does not exist`);
        else if (obj(svc.spec).clusterIP !== 'None')
          add('/spec/serviceName', `Service "${sn}" is not headless (clusterIP: None)`);
      }
    }
    if (o.kind === 'HorizontalPodAutoscaler') {
      const target = obj(obj(o.spec).scaleTargetRef);
      const found = objects.some((x) => x.kind === target.kind && nameOf(x) === target.name);
      if (!found)
        add('/spec/scaleTargetRef', `scale target ${String(target.kind)} "${String(target.name)}" does not exist`);
    }
  });
  return issues;
}

/**
 * A `kubectl wait ... job/NAME` or `kubectl wait ... job --selector=k=v,...` init container must find a Job of the
 * set: with none, the wait fails forever and the pod never starts.
 */
function jobWaitRefs(c: J, jobs: J[], path: string, add: (path: string, message: string) => void): void {
  const args = Array.isArray(c.args) ? c.args.filter((a): a is string => typeof a === 'string') : [];
  if (args[0] !== 'wait') return;
  const named = args.find((a) => a.startsWith('job/'))?.slice('job/'.length);
  if (named !== undefined) {
    if (!jobs.some((j) => nameOf(j) === named)) add(`${path}/args`, `Job "${named}" does not exist`);
    return;
  }
  if (!args.includes('job')) return;
  const selector = args.find((a) => a.startsWith('--selector='))?.slice('--selector='.length);
  if (selector === undefined) return add(`${path}/args`, 'a wait for every Job of the namespace');
  const wanted = selector.split(',').map((kv) => kv.split('=') as [string, string]);
  const labelsOf = (j: J): Record<string, string> => strMap(obj(j.metadata).labels);
  if (!jobs.some((j) => wanted.every(([k, v]) => labelsOf(j)[k] === v)))
    add(`${path}/args`, `no Job has the labels ${selector}`);
}

function serviceRefs(o: J, objects: J[], add: (path: string, message: string) => void): void {
  const spec = obj(o.spec);
  const selector = strMap(spec.selector);
  if (spec.type === 'ExternalName' || Object.keys(selector).length === 0) return;
  const pods = objects.map(podTemplate).filter((t) => t !== undefined && selects(selector, t.labels));
  if (pods.length === 0) {
    add('/spec/selector', `selector ${JSON.stringify(selector)} matches no workload's pod template`);
    return;
  }
  list(spec.ports).forEach((port, i) => {
    if (typeof port.targetPort !== 'string') return;
    const named = pods.some(
      (t) => t && containers(t).some(({ c }) => list(c.ports).some((cp) => cp.name === port.targetPort)),
    );
    if (!named)
      add(
        `/spec/ports/${i}/targetPort`,
        `targetPort "${port.targetPort}" is not a container port name in the selected pods`,
      );
  });
}

function ingressRefs(o: J, services: J[], add: (path: string, message: string) => void): void {
  const spec = obj(o.spec);
  const backend = (b: unknown, path: string): void => {
    const svc = obj(obj(b).service);
    if (obj(b).resource !== undefined) return;
    const target = services.find((s) => nameOf(s) === svc.name);
    if (!target) {
      add(`${path}/service/name`, `Service "${String(svc.name)}" does not exist`);
      return;
    }
    const port = obj(svc.port);
    const ports = list(obj(target.spec).ports);
    const ok =
      port.name !== undefined ? ports.some((p) => p.name === port.name) : ports.some((p) => p.port === port.number);
    if (!ok)
      add(
        `${path}/service/port`,
        `Service "${String(svc.name)}" has no port ${JSON.stringify(port.name ?? port.number)}`,
      );
  };
  if (spec.defaultBackend !== undefined) backend(spec.defaultBackend, '/spec/defaultBackend');
  list(spec.rules).forEach((r, i) => {
    list(obj(r.http).paths).forEach((p, j) => backend(p.backend, `/spec/rules/${i}/http/paths/${j}/backend`));
  });
}

/**
 * HTTPRoute backendRefs to Services resolve: a Service of the set (same namespace: we never emit cross-namespace
 * backends, which would need a ReferenceGrant) with a port of that number (backendRefs take no port names).
 */
function httpRouteRefs(o: J, services: J[], add: (path: string, message: string) => void): void {
  const ns = str(obj(o.metadata).namespace);
  list(obj(o.spec).rules).forEach((rule, i) => {
    list(rule.backendRefs).forEach((b, j) => {
      const path = `/spec/rules/${i}/backendRefs/${j}`;
      if ((b.group ?? '') !== '' || (b.kind ?? 'Service') !== 'Service') return;
      if (b.namespace !== undefined && b.namespace !== ns) {
        add(`${path}/namespace`, `backend in another namespace (${String(b.namespace)}) needs a ReferenceGrant`);
        return;
      }
      const target = services.find((s) => nameOf(s) === b.name);
      if (!target) {
        add(`${path}/name`, `Service "${String(b.name)}" does not exist`);
        return;
      }
      if (!list(obj(target.spec).ports).some((p) => p.port === b.port))
        add(`${path}/port`, `Service "${String(b.name)}" has no port ${JSON.stringify(b.port)}`);
    });
  });
}

/** The `$(NAME)` references Kubernetes expands in a string (`$$` escapes a `$`). */
export function expansions(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '$') continue;
    if (s[i + 1] === '$') {
      i++;
      continue;
    }
    const m = /^\(([A-Za-z_][A-Za-z0-9_]*)\)/.exec(s.slice(i + 1));
    if (m) out.push(m[1]!);
  }
  return out;
}

/**
 * Kubernetes leaves `$(NAME)` as it is when NAME is not defined, so a converted `postgres://u:$(DB_PASS)@db` would
 * reach the app literally: an env value may only use variables of envFrom or of earlier env entries, command and
 * args any of the container's. Unchecked when an envFrom source is not in the set (its keys are unknown).
 */
function expansionRefs(c: J, byKind: (kind: string) => J[], path: string, add: (p: string, m: string) => void): void {
  const fromEnvFrom = new Set<string>();
  for (const e of list(c.envFrom)) {
    const [kind, name] = e.configMapRef
      ? ['ConfigMap', str(obj(e.configMapRef).name)]
      : ['Secret', str(obj(e.secretRef).name)];
    const source = byKind(kind).find((x) => nameOf(x) === name);
    if (!source) return;
    for (const k of [...Object.keys(obj(source.data)), ...Object.keys(obj(source.stringData))])
      fromEnvFrom.add(`${str(e.prefix) ?? ''}${k}`);
  }
  const defined = new Set(fromEnvFrom);
  list(c.env).forEach((e, i) => {
    const v = str(e.value);
    for (const r of v === undefined ? [] : expansions(v))
      if (!defined.has(r)) add(`${path}/env/${i}/value`, `$(${r}) is not defined before env ${String(e.name)}`);
    defined.add(str(e.name) ?? '');
  });
  for (const field of ['command', 'args']) {
    const words: unknown[] = Array.isArray(c[field]) ? c[field] : [];
    words.forEach((w, i) => {
      for (const r of expansions(String(w)))
        if (!defined.has(r)) add(`${path}/${field}/${i}`, `$(${r}) is not defined`);
    });
  }
}
