/**
 * What counts as a secret FILE: by its name (key stores, SSH keys, htpasswd, .env files, kubeconfig, credential
 * files) or by its content (a PEM private key block). A file that counts goes to a Secret, never a ConfigMap.
 * Pure functions over names and text: no file access here.
 */

/** Why a file name looks secret, or undefined. `name` is a path or a base name, `/`-separated. */
export function secretFileName(name: string): string | undefined {
  const base = name.split('/').pop() ?? name;
  const lower = base.toLowerCase();
  const dir = name.toLowerCase().split('/').slice(-2, -1)[0] ?? '';
  if (/\.pub$/.test(lower)) return undefined; // public keys are meant to be shared
  if (/^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/.test(lower)) return 'an SSH private key';
  if (/\.(key|p12|pfx|jks|keystore|p8)$/.test(lower)) return 'a private key or key store';
  if (/^\.?htpasswd$/.test(lower) || lower.endsWith('.htpasswd')) return 'an htpasswd password file';
  if (
    lower === '.env' ||
    /\.env$/.test(lower) ||
    /^\.env\.(local|production|prod|development|dev|staging|test)$/.test(lower)
  )
    return 'an environment file';
  if (lower === 'kubeconfig' || lower.endsWith('.kubeconfig') || (dir === '.kube' && lower === 'config'))
    return 'a kubeconfig';
  if (/^credentials($|[._-])/.test(lower) || lower === '.git-credentials') return 'a credentials file';
  if (lower === '.pgpass' || lower === '.netrc' || lower === '_netrc' || lower === '.my.cnf') return 'a password file';
  return undefined;
}

const PRIVATE_KEY_BLOCK =
  /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----|-----BEGIN PGP PRIVATE KEY BLOCK-----/;

/** Why a file's text looks secret, or undefined: today, a PEM private key block anywhere in it. */
export function secretFileContent(text: string): string | undefined {
  return PRIVATE_KEY_BLOCK.test(text) ? 'a PEM private key' : undefined;
}

/** Why a file is secret (name first, then content when given), or undefined. */
export function secretFile(name: string, text?: string): string | undefined {
  return secretFileName(name) ?? (text !== undefined ? secretFileContent(text) : undefined);
}
