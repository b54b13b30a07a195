/**
 * `values.yaml` for the Helm chart: keys that Go templates can reach with `.Values.a.b` (compose
 * names made camelCase when they are not identifiers), image references split into repository /
 * tag / digest, and a YAML renderer that quotes every string a YAML 1.1 or 1.2 reader would take
 * for another type, so default values read back as the strings the conversion produced.
 */
import { emitYaml } from '../emit.js';
import { valuesKey } from '../../kube/naming.js';

// The key a name gets in values.yaml lives in the kernel: the report names a service's values (build entries).
export { valuesKey };

/** Hands out distinct values keys within one map; `reserved` keys are never handed out. */
export class KeyRegistry {
  private readonly byName = new Map<string, string>();
  private readonly used: Set<string>;

  constructor(reserved: Iterable<string> = []) {
    this.used = new Set(reserved);
  }

  get(name: string): string {
    const hit = this.byName.get(name);
    if (hit !== undefined) return hit;
    const base = valuesKey(name);
    let key = base;
    for (let i = 2; this.used.has(key); i++) key = `${base}${i}`;
    this.used.add(key);
    this.byName.set(name, key);
    return key;
  }
}

export interface ImageValues {
  repository: string;
  tag: string;
  digest?: string;
}

/** `registry:5000/org/app:1.2@sha256:…` → repository, tag, digest (a colon before the last `/` is a port). */
export function splitImage(image: string): ImageValues {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  const slash = rest.lastIndexOf('/');
  let tag = '';
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { repository: rest, tag, ...(digest !== undefined ? { digest } : {}) };
}

/**
 * A plain data tree → YAML with the same quoting rules as the manifests. `comments` maps top-level
 * keys to a comment shown above them; `header` goes at the top of the file.
 */
export function renderValuesYaml(
  tree: Record<string, unknown>,
  comments: ReadonlyMap<string, string> = new Map(),
  header = '',
): string {
  return emitYaml(tree, { comments, header });
}
