/**
 * Config checksums of pod templates. A container reads its environment (envFrom, env valueFrom) when it starts, and
 * `kubectl apply` of a changed ConfigMap or Secret starts no pod: the old values stay in every running container
 * until something restarts it. So the pod template of a long-running workload carries `compose2k8s.io/config-hash`,
 * a digest of the ConfigMaps and Secrets of the same output it reads (env and volumes): a changed config changes
 * the template, and the apply rolls the pods, as a changed image does. Not a Job's: its pod template cannot change
 * (the apply would fail "field is immutable"), and a finished Job does not run again anyway. A chart has its own
 * `checksum/` annotations and a Kustomize generator its hash suffix; those renderers take this one out.
 */
import { ref, type KubeObject } from './object.js';
import { LONG_RUNNING, podConfigRefs, podTemplateOf } from './workloads.js';
import { contentHash } from '../util/hash.js';

export const CONFIG_HASH = 'compose2k8s.io/config-hash';

/** What a ConfigMap or Secret gives a pod: its data maps, keys sorted. */
function content(o: KubeObject): string {
  const maps = ['data', 'binaryData', 'stringData'].map((k) => {
    const m = o[k];
    return m !== null && typeof m === 'object'
      ? Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      : [];
  });
  return JSON.stringify(maps);
}

/** Set the config hash on the pod template of each long-running workload of `objects` that reads one of them. */
export function annotateConfigHashes(objects: readonly KubeObject[]): void {
  const configs = new Map<string, KubeObject>();
  for (const o of objects) if (o.kind === 'ConfigMap' || o.kind === 'Secret') configs.set(ref(o), o);
  if (!configs.size) return;
  // Each config's own digest, made once: a project-wide Secret every pod reads grows with the project, and hashing
  // its content again for each reader would make the step quadratic.
  const digests = new Map<string, string>();
  const digestOf = (r: string): string => {
    let d = digests.get(r);
    if (d === undefined) digests.set(r, (d = contentHash(content(configs.get(r)!))));
    return d;
  };
  for (const o of objects) {
    if (!LONG_RUNNING.has(o.kind)) continue;
    const tpl = podTemplateOf(o);
    const read = [...podConfigRefs(o)].filter((r) => configs.has(r)).sort();
    if (!tpl || !read.length) continue;
    const digest = contentHash(read.map((r) => `${r}\n${digestOf(r)}`).join('\n'));
    tpl.metadata = { ...tpl.metadata, annotations: { ...tpl.metadata?.annotations, [CONFIG_HASH]: digest } };
  }
}

/** `o` without the config hash (a copy when it had one): for renderers that roll pods their own way. */
export function withoutConfigHash(o: KubeObject): KubeObject {
  const annotations = podTemplateOf(o)?.metadata?.annotations;
  if (!annotations || !(CONFIG_HASH in annotations)) return o;
  const copy = structuredClone(o);
  const meta = podTemplateOf(copy)!.metadata!;
  const { [CONFIG_HASH]: _drop, ...rest } = meta.annotations!;
  if (Object.keys(rest).length) meta.annotations = rest;
  else delete meta.annotations;
  return copy;
}
