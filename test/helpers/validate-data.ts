/** API-server rules for resource quantities and ConfigMap/Secret data. */
import { type J, containers, list, obj, podTemplate } from './validate-pod.js';

export interface DataIssue {
  path: string;
  message: string;
}

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const FACTORS: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_DATA = 1024 * 1024;

/** The value of a Kubernetes quantity (`500m`, `1Gi`, `1e3`, 2), or undefined when malformed. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY.exec(q);
  if (!m) return undefined;
  const suffix = m[2] ?? '';
  const factor = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : FACTORS[suffix];
  return factor === undefined ? undefined : Number(m[1]) * factor;
}

export function dataRules(o: J): DataIssue[] {
  const issues: DataIssue[] = [];
  const quantity = (q: unknown, path: string): void => {
    if (parseQuantity(q) === undefined) issues.push({ path, message: `${JSON.stringify(q)} is not a quantity` });
  };
  const t = podTemplate(o);
  if (t) {
    for (const { path, c } of containers(t)) {
      const res = obj(c.resources);
      const limits = obj(res.limits);
      const requests = obj(res.requests);
      for (const [k, v] of Object.entries(limits)) quantity(v, `${path}/resources/limits/${k}`);
      for (const [k, v] of Object.entries(requests)) {
        quantity(v, `${path}/resources/requests/${k}`);
        const req = parseQuantity(v);
        const lim = parseQuantity(limits[k]);
        if (req !== undefined && lim !== undefined && req > lim) {
          issues.push({
            path: `${path}/resources/requests/${k}`,
            message: `request ${String(v)} is above the limit ${String(limits[k])}`,
          });
        }
      }
    }
    list(t.spec.volumes).forEach((v, i) => {
      const size = obj(v.emptyDir).sizeLimit;
      if (size !== undefined) quantity(size, `${t.path}/spec/volumes/${i}/emptyDir/sizeLimit`);
    });
  }
  const claimSpecs: Array<[string, J]> =
    o.kind === 'PersistentVolumeClaim'
      ? [['/spec', obj(o.spec)]]
      : list(obj(o.spec).volumeClaimTemplates).map((c, i) => [`/spec/volumeClaimTemplates/${i}/spec`, obj(c.spec)]);
  for (const [path, spec] of claimSpecs) {
    const storage = obj(obj(spec.resources).requests).storage;
    if (storage === undefined && spec.volumeName === undefined)
      issues.push({ path: `${path}/resources/requests/storage`, message: 'a claim needs resources.requests.storage' });
    else if (storage !== undefined) quantity(storage, `${path}/resources/requests/storage`);
    if (list(spec.accessModes).length === 0)
      issues.push({ path: `${path}/accessModes`, message: 'a claim needs accessModes' });
  }
  if (o.kind === 'ConfigMap' || o.kind === 'Secret') {
    let size = 0;
    const seen = new Set<string>();
    for (const field of ['data', 'stringData', 'binaryData']) {
      for (const [k, v] of Object.entries(obj(o[field]))) {
        const path = `/${field}/${k}`;
        if (!CONFIG_KEY.test(k) || k.length > 253)
          issues.push({ path, message: `key "${k}" must be alphanumerics, '-', '_' or '.'` });
        if (o.kind === 'ConfigMap' && seen.has(k))
          issues.push({ path, message: `key "${k}" is in both data and binaryData` });
        seen.add(k);
        if (typeof v !== 'string') {
          issues.push({ path, message: 'values must be strings' });
          continue;
        }
        const base64 = field === 'binaryData' || (o.kind === 'Secret' && field === 'data');
        if (base64 && !BASE64.test(v)) issues.push({ path, message: 'value is not valid base64' });
        size += base64 ? Math.floor((v.length * 3) / 4) : Buffer.byteLength(v);
      }
    }
    if (size > MAX_DATA)
      issues.push({ path: '', message: `${String(o.kind)} data is ${size} bytes, above the 1 MiB limit` });
  }
  return issues;
}
