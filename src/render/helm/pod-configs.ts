/**
 * What a chart's pods read from its ConfigMaps and Secrets, and how a change there reaches them: a Deployment's
 * (StatefulSet's, DaemonSet's) pod template gets `checksum/<kind>-<name>` annotations of those templates, so a
 * `helm upgrade` that changes what it reads rolls it (env is read at container start); a Job, whose pod template
 * cannot change, has them in its name's hash instead (jobs.ts).
 */
import type { KubeObject } from '../../kube/object.js';
import { dns1123Label } from '../../kube/naming.js';
import { podConfigRefs } from '../../kube/workloads.js';
import { asMap } from '../../util/object.js';
import { fileName } from '../files.js';
import type { Markers } from './markers.js';

type J = Record<string, unknown>;

export class PodConfigs {
  /** The chart's ConfigMaps and Secrets by `Kind/name`. */
  private readonly byRef = new Map<string, KubeObject>();
  /** Per workload (`Kind/name`), the ConfigMaps and Secrets its pods read in any version. */
  private readonly refs = new Map<string, Set<string>>();

  /** `objects`: the chart's; `versions`: every version of them (with environments), whose references all count. */
  constructor(objects: Iterable<KubeObject>, versions: Iterable<KubeObject>) {
    for (const o of versions) {
      const refs = podConfigRefs(o);
      const k = `${o.kind}/${o.metadata.name}`;
      if (refs.size) this.refs.set(k, new Set([...(this.refs.get(k) ?? []), ...refs]));
    }
    for (const o of objects)
      if (o.apiVersion === 'v1' && (o.kind === 'ConfigMap' || o.kind === 'Secret'))
        this.byRef.set(`${o.kind}/${o.metadata.name}`, o);
  }

  /**
   * The template files of the chart's ConfigMaps and Secrets the pods of workload `o` read, in every version (so
   * each environment's template reads the same).
   */
  files(o: KubeObject): string[] {
    const refs = this.refs.get(`${o.kind}/${o.metadata.name}`) ?? podConfigRefs(o);
    return [...refs].sort().flatMap((r) => {
      const target = this.byRef.get(r);
      return target ? [fileName(target)] : [];
    });
  }

  /** The checksum annotations of workload `o`'s pod template `meta` (one per file it reads), as markers. */
  checksums(o: KubeObject, meta: J, markers: Markers): void {
    const files = this.files(o);
    if (!files.length) return;
    const annotations = { ...(asMap(meta.annotations) ?? {}) };
    for (const f of files)
      annotations[`checksum/${dns1123Label(f.replace(/\.yaml$/, ''))}`] = markers.scalar(
        `{{ include (print $.Template.BasePath ${JSON.stringify(`/${f}`)}) . | sha256sum | quote }}`,
      );
    meta.annotations = annotations;
  }
}
