/**
 * The YAML 1.1 collection tags `!!set`, `!!omap` and `!!pairs`: the checks the `yaml` package made on
 * them, kept so that the same files are refused with the same messages (`yaml-syntax` ids of the texts).
 */
import type { TagError } from './directives.js';
import { scalarText as resolveScalar } from './text/scalar-text.js';
import type * as CST from './text/syntax.js';

type Token = CST.Token;
type FlowCollection = CST.FlowCollection;

/** The text of a scalar token as a key (null for anything that is not a scalar). */
function scalarText(t: Token | null | undefined): string | null | undefined {
  if (!t) return '';
  if (
    t.type === 'scalar' ||
    t.type === 'single-quoted-scalar' ||
    t.type === 'double-quoted-scalar' ||
    t.type === 'block-scalar'
  )
    return resolveScalar(t).value;
  return undefined;
}

/**
 * The YAML 1.1 collection tags the `yaml` package knows (`!!set` on a mapping, `!!omap` / `!!pairs` on
 * a sequence) and the errors it reports for them (at the tag): a set's entries have no values, a pair
 * list holds single-pair mappings, an ordered map repeats no key.
 */
export function checkKnownCollectionTag(
  c: CST.BlockMap | CST.BlockSequence | FlowCollection,
  tag: string,
  isMap: boolean,
  report: TagError,
): void {
  if (tag === 'tag:yaml.org,2002:set' && isMap) {
    const items = c.items as CST.CollectionItem[];
    if (items.some((it) => it.value || it.sep?.some((t) => t.type === 'map-value-ind')))
      report('yaml-syntax.set-values');
    return;
  }
  const omap = tag === 'tag:yaml.org,2002:omap';
  if ((!omap && tag !== 'tag:yaml.org,2002:pairs') || isMap) return;
  const seen = new Set<string | null>();
  const isEmptyItem = (it: CST.CollectionItem): boolean =>
    !it.key &&
    !it.value &&
    !it.sep &&
    !it.start.some((t) => t.type === 'anchor' || t.type === 'tag' || t.type === 'explicit-key-ind');
  for (const it of c.items as CST.CollectionItem[]) {
    let key: string | null | undefined;
    if (c.type === 'flow-collection' && (it.sep || it.start.some((t) => t.type === 'explicit-key-ind'))) {
      key = scalarText(it.key); // a single-pair mapping
    } else {
      if (
        c.type === 'block-seq' &&
        !it.value &&
        !it.start.some((t) => t.type === 'seq-item-ind' || t.type === 'anchor' || t.type === 'tag')
      )
        continue;
      if (c.type === 'flow-collection' && isEmptyItem(it)) continue;
      const v = it.value;
      if (v && (v.type === 'block-map' || (v.type === 'flow-collection' && v.start.source === '{'))) {
        const pairs = (v.items as CST.CollectionItem[]).filter((p) =>
          v.type === 'block-map'
            ? p.key ||
              p.sep ||
              p.start.some((t) => t.type === 'anchor' || t.type === 'tag' || t.type === 'explicit-key-ind')
            : !isEmptyItem(p),
        );
        if (pairs.length > 1) report('yaml-syntax.pair-indicator');
        key = pairs[0] ? scalarText(pairs[0].key) : null;
      } else key = v ? scalarText(v) : '';
    }
    if (!omap || key === undefined) continue;
    if (seen.has(key)) report('yaml-syntax.omap-duplicate', { key: String(key) });
    else seen.add(key);
  }
}
