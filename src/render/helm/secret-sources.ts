/**
 * Where in the project the files of a mounted Secret come from, so NOTES.txt can say `--set-file KEY=./conf/.env`
 * with the real file: each pod's Secret mount is matched, by its mount path, with the compose service's bind mount
 * (a file, or a directory whose secret files a projected volume lists) or compose secret (`file:`).
 */
import { dns1123Label } from '../../kube/naming.js';
import type { KubeObject } from '../../kube/object.js';
import type { Project } from '../../model/types.js';
import { shownPath } from '../../util/path.js';
import { podTemplateOf } from '../../kube/workloads.js';
import { isMap as isObj, mapsIn as asList } from '../../util/object.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Per Secret name: data key → the project file it holds (`./conf/.env`). */
export function secretSources(
  objects: readonly KubeObject[],
  project: Project | undefined,
): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  if (!project) return out;
  const services = new Map(Object.entries(project.services).map(([n, s]) => [dns1123Label(n), s]));
  const wd = project.workingDir;
  const put = (secret: string, key: string, file: string): void => {
    const m = out.get(secret) ?? {};
    m[key] ??= shownPath(wd, file);
    out.set(secret, m);
  };
  for (const o of objects) {
    const spec = podTemplateOf<{ spec?: unknown }>(o)?.spec;
    if (!isObj(spec)) continue;
    const volumes = new Map(asList(spec.volumes).map((v) => [v.name, v]));
    for (const c of [...asList(spec.containers), ...asList(spec.initContainers)]) {
      const svc = services.get(str(c.name) ?? '');
      if (!svc) continue;
      for (const m of asList(c.volumeMounts)) {
        const v = volumes.get(m.name);
        const at = str(m.mountPath);
        if (!v || !at) continue;
        const bind = svc.volumes.find((b) => b.type === 'bind' && b.target === at && b.source);
        const file = svc.secrets.find((s) => s.target === at);
        const from = bind?.source ?? (file ? project.secrets[file.source]?.file : undefined);
        if (!from) continue;
        const sub = str(m.subPath);
        const secret = isObj(v.secret) ? str(v.secret.secretName) : undefined;
        if (secret && sub) put(secret, sub, from);
        for (const src of isObj(v.projected) ? asList(v.projected.sources) : []) {
          const name = isObj(src.secret) ? str(src.secret.name) : undefined;
          if (!name || sub) continue;
          for (const item of asList(isObj(src.secret) ? src.secret.items : undefined)) {
            const key = str(item.key);
            const path = str(item.path);
            if (key && path) put(name, key, `${from}/${path}`);
          }
        }
      }
    }
  }
  return out;
}
