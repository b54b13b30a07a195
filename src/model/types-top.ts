/**
 * Top-level definitions of the normalized model: `networks`, `volumes`, `secrets`, `configs`,
 * `models`. Re-exported by src/model/types.ts (import from there).
 */
/** `x-*` keys, kept as written. */
export type Extensions = Record<string, unknown>;

export interface NetworkConfig {
  name?: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  ipam?: { driver?: string; config?: Array<Record<string, unknown>>; options?: Record<string, string> };
  external?: boolean;
  internal?: boolean;
  enable_ipv4?: boolean;
  enable_ipv6?: boolean;
  attachable?: boolean;
  labels?: Record<string, string>;
  extensions: Extensions;
}

export interface VolumeConfig {
  name?: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  labels?: Record<string, string>;
  extensions: Extensions;
}

export interface SecretConfig {
  name?: string;
  /** Absolute path. */
  file?: string;
  /** Name of an environment variable holding the value. */
  environment?: string;
  external?: boolean;
  labels?: Record<string, string>;
  driver?: string;
  driver_opts?: Record<string, string>;
  template_driver?: string;
  extensions: Extensions;
}

/** A top-level `models` entry (Docker Model Runner). */
export interface ModelConfig {
  name?: string;
  /** The OCI artifact of the model, e.g. `ai/smollm2`. */
  model?: string;
  context_size?: number;
  runtime_flags?: string[];
  extensions: Extensions;
}

export interface ConfigConfig {
  name?: string;
  /** Absolute path. */
  file?: string;
  environment?: string;
  /** Inline content (interpolated). */
  content?: string;
  external?: boolean;
  labels?: Record<string, string>;
  template_driver?: string;
  extensions: Extensions;
}
