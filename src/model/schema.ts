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
  const { boolStr, externalField, listOrDict, optsMap, str } = b;
  const networkSchema = obj({
    name: str.optional(),
    driver: str.optional(),
    driver_opts: optsMap.optional(),
    ipam: obj({
      driver: str.optional(),
      config: s
        .array(
          obj({
            subnet: str.optional(),
            ip_range: str.optional(),
            gateway: str.optional(),
            aux_addresses: s.record(s.string()).optional(),
          }),
        )
        .optional(),
      options: s.record(s.string()).optional(),
    }).optional(),
    external: externalField.optional(),
    internal: boolStr.optional(),
    enable_ipv4: boolStr.optional(),
    enable_ipv6: boolStr.optional(),
    attachable: boolStr.optional(),
    labels: listOrDict.optional(),
  }).nullable();

  const volumeSchema = obj({
    name: str.optional(),
    driver: str.optional(),
    driver_opts: optsMap.optional(),
    external: externalField.optional(),
    labels: listOrDict.optional(),
  }).nullable();

  const secretSchema = obj({
    name: str.optional(),
    environment: str.optional(),
    file: str.optional(),
    external: externalField.optional(),
    labels: listOrDict.optional(),
    driver: str.optional(),
    driver_opts: optsMap.optional(),
    template_driver: str.optional(),
  }).nullable();

  const configSchema = obj({
    name: str.optional(),
    content: str.optional(),
    environment: str.optional(),
    file: str.optional(),
    external: externalField.optional(),
    labels: listOrDict.optional(),
    template_driver: str.optional(),
  }).nullable();

  const modelSchema = obj({
    name: str.optional(),
    model: str.optional(),
    context_size: s.number().optional(),
    runtime_flags: s.array(s.string()).optional(),
  }).nullable();

  return {
    version: s.union([s.string(), s.number()]).optional(),
    name: str.optional(),
    include: s.array(s.unknown()).optional(),
    services: s
      .record(obj(serviceShape(b)))
      .nullable()
      .optional(),
    networks: s.record(networkSchema).nullable().optional(),
    volumes: s.record(volumeSchema).nullable().optional(),
    secrets: s.record(secretSchema).nullable().optional(),
    configs: s.record(configSchema).nullable().optional(),
    models: s.record(modelSchema).nullable().optional(),
  };
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
