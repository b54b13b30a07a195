/**
 * `values.schema.json` for the chart: a JSON Schema (draft-07, what Helm validates with) made from the values
 * trees of the base and of every environment. Every key gets its type, unknown keys are refused
 * (`additionalProperties: false`), so `helm lint --strict`, `helm template` and `helm install` reject
 * `--set api.replicas=two` or a misspelt key. The maps users extend (env, Secret values, resources) accept
 * new keys of the right type (env: any scalar, which the template quotes).
 */
type J = Record<string, unknown>;

const isMap = (v: unknown): v is J => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStringMap = (v: unknown): boolean => isMap(v) && Object.values(v).every((x) => typeof x === 'string');

/** Keys whose maps take new entries: ConfigMap data (strings, or scalars the template quotes). */
const STRING_MAPS = new Set(['env']);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const QUANTITY = { type: ['string', 'number'] };
/**
 * An env value: the template quotes it into ConfigMap data, so `--set web.env.WORKERS=4` (a number to --set) and
 * `DEBUG: true` in a values file give "4" and "true" as a string does.
 */
const ENV_VALUE = { type: ['boolean', 'number', 'string'] };

/** The schema of the values found at one path (`samples`: one per values tree that has the path). */
function schemaOf(samples: unknown[], path: string[]): J {
  const key = path[path.length - 1] ?? '';
  const top = path[0];
  const service = top !== undefined && top !== 'secrets' && top !== 'persistence';
  if (key === 'resources' && path.length === 2 && service)
    return {
      type: 'object',
      properties: {
        limits: { type: 'object', additionalProperties: QUANTITY },
        requests: { type: 'object', additionalProperties: QUANTITY },
      },
      additionalProperties: false,
    };
  if (service && path.length === 3 && path[1] === 'env' && samples.every((v) => typeof v === 'string'))
    return ENV_VALUE;
  if (samples.length > 0 && samples.every(isMap)) {
    const keys = [...new Set(samples.flatMap((s) => Object.keys(s)))];
    const properties: J = {};
    for (const k of keys)
      properties[k] = schemaOf(
        samples.filter((s) => k in s).map((s) => s[k]),
        [...path, k],
      );
    // env of a service and the values of a Secret (secretEnv.values, secrets.<secret>.values) are data maps.
    // Annotations and labels (fields environments set differently) take new keys too.
    const free =
      (service && path.length === 2 && STRING_MAPS.has(key)) ||
      (path.length >= 3 && (key === 'annotations' || key === 'labels') && samples.every(isStringMap)) ||
      (key === 'values' && path.length === 3 && (top === 'secrets' || (service && path[1] === 'secretEnv')));
    return {
      type: 'object',
      ...(keys.length ? { properties } : {}),
      additionalProperties: free ? (key === 'env' ? ENV_VALUE : { type: 'string' }) : false,
    };
  }
  const types = [...new Set(samples.map(typeOf))].sort();
  // A null default (an unset field) takes any scalar.
  if (types.includes('null')) return {};
  // An integer default that another environment makes fractional is a number.
  const merged = types.includes('number') ? types.filter((t) => t !== 'integer') : types;
  // `--set image.tag=2` gives a number; the template prints it as the tag all the same.
  if (key === 'tag' && path[path.length - 2] === 'image' && !merged.includes('number')) merged.push('number');
  const schema: J = { type: merged.length === 1 ? merged[0] : merged };
  if (key === 'replicas' && merged.length === 1 && merged[0] === 'integer') schema.minimum = 0;
  return schema;
}

/** The schema of the chart's values; `trees` are the values of the base and of each environment (merged). */
export function valuesSchema(trees: J[], title: string): J {
  const root = schemaOf(trees, []);
  // `global` is Helm's own (shared with subcharts).
  const properties: J = { ...((root.properties as J | undefined) ?? {}), global: { type: 'object' } };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title,
    type: 'object',
    properties,
    additionalProperties: false,
  };
}
