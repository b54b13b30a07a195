/**
 * The Compose Spec schema (compose-spec/compose-spec `schema/compose-spec.json`) as plain data for the
 * validator in ./check.ts, used to validate the merged compose tree before normalization. Objects are strict;
 * the issue mapper in src/load/normalize/issues.ts lets `x-*` keys through on objects (never inside user maps).
 * Built by `composeSchema()` when a file is validated, not at start-up.
 */
import * as s from './check.js';
import { blocks, obj } from './schema-common.js';
import { serviceShape } from './schema-service.js';

export type { RawService, RawPort, RawVolume, RawDeploy, RawHealthcheck } from './schema-service.js';

/** The top-level keys and their schemas. */
function topLevelShape() {
  const b = blocks();
  const { boolStr, externalField, listOfStrings, listOrDict, optsMap, str } = b;
  const networkSchema = s
    .partial({
      name: str,
      driver: str,
      driver_opts: optsMap,
      ipam: s.partial({
        driver: str,
        config: s.array(
          s.partial({
            subnet: str,
            ip_range: str,
            gateway: str,
            aux_addresses: s.record(s.string()),
          }),
        ),
        options: s.record(s.string()),
      }),
      external: externalField,
      internal: boolStr,
      enable_ipv4: boolStr,
      enable_ipv6: boolStr,
      attachable: boolStr,
      labels: listOrDict,
    })
    .nullable();

  const volumeSchema = s
    .partial({
      name: str,
      driver: str,
      driver_opts: optsMap,
      external: externalField,
      labels: listOrDict,
    })
    .nullable();

  const secretSchema = s
    .partial({
      name: str,
      environment: str,
      file: str,
      external: externalField,
      labels: listOrDict,
      driver: str,
      driver_opts: optsMap,
      template_driver: str,
    })
    .nullable();

  const configSchema = s
    .partial({
      name: str,
      content: str,
      environment: str,
      file: str,
      external: externalField,
      labels: listOrDict,
      template_driver: str,
    })
    .nullable();

  const modelSchema = s
    .partial({
      name: str,
      model: str,
      context_size: s.number(),
      runtime_flags: listOfStrings,
    })
    .nullable();

  return s.optionalKeys({
    version: s.union([s.string(), s.number()]),
    name: str,
    include: s.array(s.unknown()),
    services: s.record(obj(serviceShape(b))).nullable(),
    networks: s.record(networkSchema).nullable(),
    volumes: s.record(volumeSchema).nullable(),
    secrets: s.record(secretSchema).nullable(),
    configs: s.record(configSchema).nullable(),
    models: s.record(modelSchema).nullable(),
  });
}

/** The whole schema (a fresh tree on each call: build it once per validation and pass it along). */
export function composeSchema(): s.Schema<RawCompose> {
  return obj(topLevelShape());
}

export type RawCompose = s.InferShape<ReturnType<typeof topLevelShape>>;
type Entry<M> = M extends Record<string, infer V> ? NonNullable<V> : never;
type Section<K extends keyof RawCompose> = Entry<NonNullable<RawCompose[K]>>;
export type RawNetwork = Section<'networks'>;
export type RawVolumeConfig = Section<'volumes'>;
export type RawSecret = Section<'secrets'>;
export type RawConfig = Section<'configs'>;
export type RawModel = Section<'models'>;

/** Every key a service may have (besides `x-*`), in spec order. */
export function serviceKeys(): string[] {
  return Object.keys(serviceShape(blocks()));
}
/** Every top-level key (besides `x-*`). */
export function topLevelKeys(): string[] {
  return Object.keys(topLevelShape());
}
