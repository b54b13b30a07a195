/**
 * zod 4 schema of today's Compose Spec (compose-spec/compose-spec `schema/compose-spec.json`), used to
 * validate the merged compose tree before normalization. Objects are strict; the issue mapper in
 * src/load/normalize/issues.ts lets `x-*` keys through on objects (never inside user maps).
 */
import * as z from 'zod';
import { boolStr, externalField, listOrDict, obj, optsMap, str } from './schema-common.js';
import { serviceSchema, serviceShape } from './schema-service.js';

export { serviceSchema } from './schema-service.js';
export type { RawService, RawPort, RawVolume, RawDeploy, RawHealthcheck } from './schema-service.js';

export const networkSchema = obj({
  name: str.optional(),
  driver: str.optional(),
  driver_opts: optsMap.optional(),
  ipam: obj({
    driver: str.optional(),
    config: z
      .array(
        obj({
          subnet: str.optional(),
          ip_range: str.optional(),
          gateway: str.optional(),
          aux_addresses: z.record(z.string(), z.string()).optional(),
        }),
      )
      .optional(),
    options: z.record(z.string(), z.string()).optional(),
  }).optional(),
  external: externalField.optional(),
  internal: boolStr.optional(),
  enable_ipv4: boolStr.optional(),
  enable_ipv6: boolStr.optional(),
  attachable: boolStr.optional(),
  labels: listOrDict.optional(),
}).nullable();

export const volumeSchema = obj({
  name: str.optional(),
  driver: str.optional(),
  driver_opts: optsMap.optional(),
  external: externalField.optional(),
  labels: listOrDict.optional(),
}).nullable();

export const secretSchema = obj({
  name: str.optional(),
  environment: str.optional(),
  file: str.optional(),
  external: externalField.optional(),
  labels: listOrDict.optional(),
  driver: str.optional(),
  driver_opts: optsMap.optional(),
  template_driver: str.optional(),
}).nullable();

export const configSchema = obj({
  name: str.optional(),
  content: str.optional(),
  environment: str.optional(),
  file: str.optional(),
  external: externalField.optional(),
  labels: listOrDict.optional(),
  template_driver: str.optional(),
}).nullable();

export const modelSchema = obj({
  name: str.optional(),
  model: str.optional(),
  context_size: z.number().optional(),
  runtime_flags: z.array(z.string()).optional(),
}).nullable();

export const topLevelShape = {
  version: z.union([z.string(), z.number()]).optional(),
  name: str.optional(),
  include: z.array(z.unknown()).optional(),
  services: z.record(z.string(), serviceSchema).nullable().optional(),
  networks: z.record(z.string(), networkSchema).nullable().optional(),
  volumes: z.record(z.string(), volumeSchema).nullable().optional(),
  secrets: z.record(z.string(), secretSchema).nullable().optional(),
  configs: z.record(z.string(), configSchema).nullable().optional(),
  models: z.record(z.string(), modelSchema).nullable().optional(),
};

export const composeSchema = obj(topLevelShape);
export type RawCompose = z.infer<typeof composeSchema>;
export type RawNetwork = NonNullable<z.infer<typeof networkSchema>>;
export type RawVolumeConfig = NonNullable<z.infer<typeof volumeSchema>>;
export type RawSecret = NonNullable<z.infer<typeof secretSchema>>;
export type RawConfig = NonNullable<z.infer<typeof configSchema>>;
export type RawModel = NonNullable<z.infer<typeof modelSchema>>;

/** Every key a service may have (besides `x-*`), in spec order. */
export const SERVICE_KEYS: readonly string[] = Object.keys(serviceShape);
/** Every top-level key (besides `x-*`). */
export const TOP_LEVEL_KEYS: readonly string[] = Object.keys(topLevelShape);
