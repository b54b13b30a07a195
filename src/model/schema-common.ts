/**
 * Building blocks of the Compose Spec zod schema. Scalars that the spec allows as strings (so that
 * interpolated values such as `"${REPLICAS}"` validate) are unions with `string`; the normalizer converts them.
 */
import * as z from 'zod';

export const str = z.string();
export const num = z.number();
export const bool = z.boolean();
/** number | string (e.g. `cpus: 0.5` or `cpus: "0.5"`). */
export const numStr = z.union([z.number(), z.string()]);
/** boolean | string (`"true"` after interpolation). */
export const boolStr = z.union([z.boolean(), z.string()]);
export const scalar = z.union([z.string(), z.number(), z.boolean()]);
export const listOfStrings = z.array(z.string());
export const stringOrList = z.union([z.string(), z.array(z.string())]);
/** `list_or_dict`: `["K=V", "K"]` or `{K: V}` with scalar or null values. */
export const listOrDict = z.union([
  z.array(z.union([z.string(), z.number(), z.boolean()])),
  z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
]);
/** A user map whose values are strings or numbers (driver_opts). */
export const optsMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

/** A strict object: unknown keys are reported (the issue mapper lets `x-*` keys through). */
export function obj<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject(shape);
}

export const extraHosts = z.union([
  z.array(z.string()),
  z.record(z.string(), z.union([z.string(), z.array(z.string()), z.null()])),
]);

export const externalField = z.union([boolStr, obj({ name: str.optional() }), z.null()]);

export const ulimits = z.record(z.string(), z.union([numStr, obj({ soft: numStr, hard: numStr })]));

export const fileRefs = z.array(
  z.union([
    z.string(),
    obj({
      source: str,
      target: str.optional(),
      uid: str.optional(),
      gid: str.optional(),
      mode: numStr.optional(),
    }),
  ]),
);

export const deviceRequest = obj({
  capabilities: listOfStrings.optional(),
  count: numStr.optional(),
  device_ids: listOfStrings.optional(),
  driver: str.optional(),
  options: listOrDict.optional(),
});

export const command = z.union([z.null(), z.string(), z.array(z.string())]);
