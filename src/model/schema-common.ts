/**
 * Building blocks of the Compose Spec schema (src/model/check.ts). Scalars that the spec allows as strings (so that
 * interpolated values such as `"${REPLICAS}"` validate) are unions with `string`; the normalizer converts them.
 */
import * as s from './check.js';

/** A strict object: unknown keys are reported (the issue mapper lets `x-*` keys through). */
export const obj = s.object;

/** The shared building blocks, built on each call (schemas are built when a file is validated, not at start-up). */
export function blocks() {
  const str = s.string();
  const num = s.number();
  /** number | string (e.g. `cpus: 0.5` or `cpus: "0.5"`). */
  const numStr = s.union([s.number(), s.string()]);
  /** boolean | string (`"true"` after interpolation). */
  const boolStr = s.union([s.boolean(), s.string()]);
  const listOfStrings = s.array(s.string());
  const stringOrList = s.union([s.string(), s.array(s.string())]);
  /** `list_or_dict`: `["K=V", "K"]` or `{K: V}` with scalar or null values. */
  const listOrDict = s.union([
    s.array(s.union([s.string(), s.number(), s.boolean()])),
    s.record(s.union([s.string(), s.number(), s.boolean(), s.nil()])),
  ]);
  /** A user map whose values are strings or numbers (driver_opts). */
  const optsMap = s.record(s.union([s.string(), s.number(), s.boolean(), s.nil()]));

  const extraHosts = s.union([s.array(s.string()), s.record(s.union([s.string(), s.array(s.string()), s.nil()]))]);

  const externalField = s.union([boolStr, s.partial({ name: str }), s.nil()]);

  const ulimits = s.record(s.union([numStr, obj({ soft: numStr, hard: numStr })]));

  const fileRefs = s.array(
    s.union([
      s.string(),
      obj({
        source: str,
        target: str.optional(),
        uid: str.optional(),
        gid: str.optional(),
        mode: numStr.optional(),
      }),
    ]),
  );

  const deviceRequest = s.partial({
    capabilities: listOfStrings,
    count: numStr,
    device_ids: listOfStrings,
    driver: str,
    options: listOrDict,
  });

  const command = s.union([s.nil(), s.string(), s.array(s.string())]);
  return {
    str,
    num,
    numStr,
    boolStr,
    listOfStrings,
    stringOrList,
    listOrDict,
    optsMap,
    extraHosts,
    externalField,
    ulimits,
    fileRefs,
    deviceRequest,
    command,
  };
}

export type Blocks = ReturnType<typeof blocks>;
