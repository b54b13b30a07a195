/**
 * Merging compose models (several `-f` files, and `extends`), following compose-spec 13-merge.md,
 * with compose-go's per-attribute rules where the spec is silent. Positions ride along (src/load/yaml/tree.ts),
 * so the merged tree knows which file set what.
 */
import { Override, isReset } from '../yaml/tags.js';
import { getChildPos, isObj, setChildPos, type Obj } from '../yaml/tree.js';

export {
  attachPositions,
  cloneTree,
  collectPositions,
  getChildPos,
  isObj,
  setChildPos,
  stripTags,
  type Obj,
} from '../yaml/tree.js';

// ---- rules -------------------------------------------------------------------------------------

type Rule = (base: unknown, over: unknown, path: string[]) => unknown;

const REPLACE: Rule = (_b, o) => o;

/** A list of names (`[a, b]`) or a mapping by name, merged by name. */
const byName: Rule = (b, o, p) => mergeValue(namesToMap(b, null), namesToMap(o, null), p, true);

/** Path patterns (`*` matches one segment) with a special merge rule. */
const SPECIAL: Array<[string, Rule]> = [
  ['services.*.command', REPLACE],
  ['services.*.entrypoint', REPLACE],
  ['services.*.healthcheck.test', REPLACE],
  ['services.*.extra_hosts', mergeExtraHosts],
  ['services.*.build.extra_hosts', mergeExtraHosts],
  ['services.*.build', (b, o, p) => mergeValue(buildToMap(b), buildToMap(o), p, true)],
  [
    'services.*.depends_on',
    (b, o, p) =>
      mergeValue(
        namesToMap(b, { condition: 'service_started', required: true }),
        namesToMap(o, { condition: 'service_started', required: true }),
        p,
        true,
      ),
  ],
  ['services.*.networks', byName],
  // compose-go canonicalizes each file first (a `models: [m]` list becomes `{m: null}`), then merges by name
  ['services.*.models', byName],
  ['services.*.logging', mergeLogging],
  ['services.*.ulimits.*', (b, o, p) => (isObj(b) && isObj(o) ? mergeValue(b, o, p, true) : o)],
  // compose-go mergeIPAMConfig: an entry for a subnet already there is merged into it, key by key
  [
    'networks.*.ipam.config',
    (b, o, p) =>
      mergeUnique(
        b,
        o,
        (e) => (isObj(e) && typeof e.subnet === 'string' ? e.subnet : undefined),
        (x, y) => (isObj(x) && isObj(y) ? mergeValue(x, y, [...p, '0'], true) : y),
      ),
  ],
];
/** `environment`/`labels`-like attributes, merged by key (mergeKeyValues). */
const KEY_VALUES = [
  ...[
    'environment',
    'labels',
    'annotations',
    'sysctls',
    'build.args',
    'build.labels',
    'build.additional_contexts',
    'deploy.labels',
  ].map((p) => `services.*.${p}`),
  ...['networks', 'volumes', 'secrets', 'configs'].map((group) => `${group}.*.labels`),
];
for (const p of KEY_VALUES) SPECIAL.push([p, mergeKeyValues]);
/**
 * Attributes that take a string or a list: compose-go (override/merge.go `convertIntoSequence`) turns a
 * lone string into a one-entry list before appending, so `dns: 1.1.1.1` + `dns: [8.8.8.8]` keeps both.
 */
const STRING_OR_LIST = new Set(['dns', 'dns_search', 'env_file', 'label_file', 'tmpfs']);
function asSeq(v: unknown): unknown {
  return typeof v === 'string' ? [v] : v;
}
type KeyOf = (e: unknown) => string | undefined;
const byValue: KeyOf = (e) => (isObj(e) || Array.isArray(e) ? undefined : String(e));
/**
 * Sequences whose entries are unique by a key (compose-go override/uncity.go): merging replaces an entry
 * with the same key in place, and `enforceUnicity` does the same within one file.
 */
const UNIQUE: Array<[string, KeyOf]> = [
  ['services.*.ports', portKey],
  ['services.*.volumes', volumeKey],
  ['services.*.devices', volumeKey],
  ['services.*.secrets', mountKey('/run/secrets/')],
  ['services.*.configs', mountKey('/')],
  ['services.*.env_file', (e) => (typeof e === 'string' ? e : isObj(e) ? String(e.path) : undefined)],
  ['services.*.label_file', (e) => (typeof e === 'string' ? e : undefined)],
  // service attributes whose entries are their own key
  ...[
    'expose',
    'dns',
    'dns_opt',
    'dns_search',
    'cap_add',
    'cap_drop',
    'links',
    'profiles',
    'tmpfs',
    'build.tags',
    'build.platforms',
    'networks.*.aliases',
    'networks.*.link_local_ips',
  ].map((p): [string, KeyOf] => [`services.*.${p}`, byValue]),
];
for (const [p, key] of UNIQUE) {
  const wrap = STRING_OR_LIST.has(p.split('.').at(-1)!);
  SPECIAL.push([p, (b, o) => (wrap ? mergeUnique(asSeq(b), asSeq(o), key) : mergeUnique(b, o, key))]);
}

/**
 * Drop repeated entries of the unique sequences within the (merged) model, the last one winning in the
 * place of the first: compose-go runs `override.EnforceUnicity` after loading every file, so
 * `volumes: [./a:/data, ./b:/data]` in one file mounts only ./b, and a port listed twice is one port.
 */
export function enforceUnicity(root: Obj): Obj {
  const visit = (node: Obj, segs: string[], key: KeyOf): void => {
    const [head, ...rest] = segs;
    for (const k of head === '*' ? Object.keys(node) : [head!]) {
      const v = node[k];
      if (rest.length > 0) {
        if (isObj(v)) visit(v, rest, key);
      } else if (Array.isArray(v)) {
        node[k] = mergeUnique(v, [], key);
      }
    }
  };
  for (const [p, key] of UNIQUE) visit(root, p.split('.'), key);
  return root;
}

function matches(pattern: string[], path: string[]): boolean {
  return pattern.length === path.length && pattern.every((s, i) => s === '*' || s === path[i]);
}
const COMPILED = SPECIAL.map(([p, r]) => [p.split('.'), r] as const);
const NULL_REPLACES = [
  'services.*.command',
  'services.*.entrypoint',
  'services.*.healthcheck.test',
  'services.*.ulimits.*',
].map((p) => p.split('.'));

/** Merge two whole compose models (later file wins), per 13-merge.md. */
export function mergeModels(base: Obj, over: Obj): Obj {
  return mergeValue(base, over, [], true) as Obj;
}

/** Merge an extending service on top of the extended (base) one. */
export function mergeService(base: Obj, over: Obj): Obj {
  return mergeValue(base, over, ['services', '_'], true) as Obj;
}

function mergeValue(base: unknown, over: unknown, path: string[], skipSpecial = false): unknown {
  if (over instanceof Override) return over;
  if (isReset(over)) return over;
  if (base === undefined || isReset(base)) return over;
  if (base instanceof Override) base = base.value;
  // compose-go override/merge.go: an override set to null leaves the base value in place, except for the
  // attributes whose rule is to replace (command, entrypoint, healthcheck.test, ulimits.*).
  if (over === null && !NULL_REPLACES.some((pat) => matches(pat, path))) return base;
  if (!skipSpecial) {
    for (const [pat, rule] of COMPILED) if (matches(pat, path)) return rule(base, over, path);
  }
  if (isObj(base) && isObj(over)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(base)) {
      out[k] = v;
      setChildPos(out, k, getChildPos(base, k));
    }
    for (const [k, v] of Object.entries(over)) {
      const had = Object.hasOwn(out, k);
      const m = had ? mergeValue(out[k], v, [...path, k]) : v;
      out[k] = m;
      // A container merged from both keeps where it was first defined; a replaced value, the overriding file.
      const mergedBoth = had && m !== v && m !== base[k] && (isObj(m) || Array.isArray(m));
      const keptBase = had && v === null && m !== null;
      const bp = getChildPos(base, k);
      const op = getChildPos(over, k);
      setChildPos(out, k, mergedBoth || keptBase ? (bp ?? op) : (op ?? bp));
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(over)) {
    const out: unknown[] = [...base, ...over];
    base.forEach((_, i) => setChildPos(out, i, getChildPos(base, i)));
    over.forEach((_, i) => setChildPos(out, base.length + i, getChildPos(over, i)));
    return out;
  }
  return over;
}

/** Sequence merge by identity: an entry whose key already exists replaces it in place. */
function mergeUnique(
  base: unknown,
  over: unknown,
  keyOf: (e: unknown) => string | undefined,
  /** How an entry meets an earlier one with its key (default: it replaces it). */
  combine: (earlier: unknown, later: unknown) => unknown = (_e, l) => l,
): unknown {
  if (!Array.isArray(base) || !Array.isArray(over)) return over;
  const out: unknown[] = [];
  const index = new Map<string, number>();
  const add = (src: unknown[], i: number): void => {
    const e = src[i];
    const k = isReset(e) ? undefined : keyOf(e);
    const at = k === undefined ? undefined : index.get(k);
    const slot = at ?? out.length;
    if (at === undefined && k !== undefined) index.set(k, slot);
    out[slot] = at === undefined ? e : combine(out[at], e);
    setChildPos(out, slot, getChildPos(src, i));
  };
  base.forEach((_, i) => add(base, i));
  over.forEach((_, i) => add(over, i));
  return out;
}

/** `environment`/`labels`-like attributes: list (`K=V`) and map forms, merged by key into map form. */
function mergeKeyValues(base: unknown, over: unknown): unknown {
  const b = kvToMap(base);
  const o = kvToMap(over);
  if (!b || !o) return over;
  const out: Obj = {};
  for (const src of [b, o]) {
    for (const [k, v] of Object.entries(src)) {
      if (isReset(v)) {
        delete out[k];
        continue;
      }
      out[k] = v;
      setChildPos(out, k, getChildPos(src, k));
    }
  }
  return out;
}

function kvToMap(v: unknown): Obj | undefined {
  if (isObj(v)) return v;
  if (!Array.isArray(v)) return undefined;
  const out: Obj = {};
  v.forEach((e, i) => {
    if (typeof e !== 'string') return;
    const at = e.indexOf('=');
    const k = at < 0 ? e : e.slice(0, at);
    out[k] = at < 0 ? null : e.slice(at + 1);
    setChildPos(out, k, getChildPos(v, i));
  });
  return out;
}

/**
 * compose-go (override/merge.go `mergeExtraHosts`): both sides become `host=ip` lists (a mapping entry
 * with several IPs gives one entry each) and the override's entries are appended unless already present,
 * so one host may keep several addresses (`host:1.2.3.4` + `host=::1` keeps both). Entries are compared
 * as `host=ip`, whichever separator they were written with.
 */
function mergeExtraHosts(base: unknown, over: unknown): unknown {
  const toSeq = (v: unknown): unknown[] | undefined => {
    if (Array.isArray(v)) return v;
    if (!isObj(v)) return undefined;
    const out: unknown[] = [];
    for (const [host, ips] of Object.entries(v)) {
      for (const ip of Array.isArray(ips) ? ips : [ips]) {
        setChildPos(out, out.length, getChildPos(v, host));
        out.push(`${host}=${ip === null || ip === undefined ? '' : String(ip)}`);
      }
    }
    return out;
  };
  const canonical = (e: unknown): string | undefined => {
    if (typeof e !== 'string') return undefined;
    const eq = e.indexOf('=');
    const at = eq >= 0 ? eq : e.indexOf(':');
    return at < 0 ? e : `${e.slice(0, at)}=${e.slice(at + 1)}`;
  };
  const b = toSeq(base);
  const o = toSeq(over);
  if (!b || !o) return over;
  return mergeUnique(b, o, canonical);
}

function buildToMap(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  return { context: v };
}

function namesToMap(v: unknown, dflt: unknown): unknown {
  if (!Array.isArray(v)) return v;
  const out: Obj = {};
  v.forEach((e, i) => {
    if (typeof e !== 'string') return;
    out[e] = dflt === null ? null : { ...(dflt as Obj) };
    setChildPos(out, e, getChildPos(v, i));
  });
  return out;
}

function mergeLogging(base: unknown, over: unknown, path: string[]): unknown {
  if (isObj(base) && isObj(over)) {
    if (base.driver !== undefined && over.driver !== undefined && base.driver !== over.driver) return over;
    return mergeValue(base, over, path, true);
  }
  return over;
}

// ---- identity keys -----------------------------------------------------------------------------

function portKey(e: unknown): string | undefined {
  if (typeof e === 'number') return `::${e}/tcp`;
  if (typeof e === 'string') {
    let s = e;
    let proto = 'tcp';
    const slash = s.lastIndexOf('/');
    if (slash >= 0) {
      proto = s.slice(slash + 1);
      s = s.slice(0, slash);
    }
    let ip = '';
    if (s.startsWith('[')) {
      const end = s.indexOf(']');
      ip = s.slice(1, end);
      s = s.slice(end + 2);
    }
    const parts = s.split(':');
    if (parts.length === 3) ip = parts.shift()!;
    const target = parts.pop()!;
    const published = parts.pop() ?? '';
    return `${ip}:${published}:${target}/${proto}`;
  }
  if (isObj(e)) {
    const pub = e.published === undefined ? '' : String(e.published);
    return `${e.host_ip ?? ''}:${pub}:${String(e.target)}/${e.protocol ?? 'tcp'}`;
  }
  return undefined;
}

function volumeKey(e: unknown): string | undefined {
  // `target` alone, or `source:target[:mode]`.
  if (typeof e === 'string') {
    const parts = e.split(':');
    return parts[1] ?? parts[0];
  }
  if (isObj(e) && typeof e.target === 'string') return e.target;
  return undefined;
}

function mountKey(prefix: string): (e: unknown) => string | undefined {
  return (e) => {
    if (typeof e === 'string') return prefix + e;
    if (isObj(e)) {
      if (typeof e.target === 'string') return e.target.startsWith('/') ? e.target : prefix + e.target;
      if (typeof e.source === 'string') return prefix + e.source;
    }
    return undefined;
  };
}
