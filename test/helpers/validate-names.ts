/** Name and label formats enforced by the Kubernetes API server (k8s.io/apimachinery/pkg/util/validation). */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Returns a message when invalid, undefined when valid. */
export type Check = (value: string) => string | undefined;

export const dns1123Label: Check = (v) =>
  v.length > 63
    ? `"${v}" is longer than 63 characters`
    : DNS1123_LABEL.test(v)
      ? undefined
      : `"${v}" is not a DNS-1123 label (lowercase alphanumerics and '-')`;

export const dns1035Label: Check = (v) =>
  v.length > 63
    ? `"${v}" is longer than 63 characters`
    : DNS1035_LABEL.test(v)
      ? undefined
      : `"${v}" is not a DNS-1035 label (must start with a letter)`;

export const dns1123Subdomain: Check = (v) => {
  if (v.length === 0 || v.length > 253) return `"${v}" must be 1-253 characters`;
  for (const part of v.split('.')) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(part)) return `"${v}" is not a DNS-1123 subdomain`;
  }
  return undefined;
};

export const labelKey: Check = (v) => {
  const slash = v.lastIndexOf('/');
  const name = slash < 0 ? v : v.slice(slash + 1);
  if (slash >= 0) {
    const prefix = v.slice(0, slash);
    const bad = dns1123Subdomain(prefix);
    if (bad) return `key "${v}": prefix ${bad}`;
  }
  if (name.length === 0 || name.length > 63) return `key "${v}": name part must be 1-63 characters`;
  return QUALIFIED_NAME.test(name) ? undefined : `key "${v}" is not a qualified name`;
};

export const labelValue: Check = (v) => {
  if (typeof v !== 'string') return `label value ${JSON.stringify(v)} must be a string`;
  if (v.length > 63) return `label value "${v}" is longer than 63 characters`;
  return v === '' || QUALIFIED_NAME.test(v) ? undefined : `label value "${v}" is invalid`;
};

export const ianaSvcName: Check = (v) => {
  if (v.length === 0 || v.length > 15) return `port name "${v}" must be 1-15 characters`;
  if (!IANA_SVC_NAME.test(v) || v.includes('--'))
    return `port name "${v}" must be lowercase alphanumerics and single '-'`;
  return /[a-z]/.test(v) ? undefined : `port name "${v}" must contain a letter`;
};

export const envVarName: Check = (v) =>
  v.length > 0 && ENV_VAR_NAME.test(v) ? undefined : `env var name "${v}" is invalid`;

export const portNumber = (v: unknown): string | undefined =>
  Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535
    ? undefined
    : `port ${JSON.stringify(v)} is not in 1-65535`;
