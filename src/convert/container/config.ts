/**
 * Configuration steps of a container: `environment`/`env_file` (env.ts) and `secrets`/`configs`
 * (secrets.ts). The pipeline imports both from here.
 */
export { applyEnvironment, SECRET_KEY_WORDS, isSecretKey, ENV_VAR_NAME } from './env.js';
export { applySecretsAndConfigs } from '../storage/secrets.js';
