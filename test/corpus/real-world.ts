/**
 * What the real-world projects of the shared corpus need to load as their docs use them: variables
 * the user is told to set, overlays written on top of other overlays, and the sets that cannot load
 * from the repository alone (with the reason). Used by test/corpus/cases.ts.
 */
import type { ExpectedFailure } from './cases.js';

/**
 * Variables a project requires (`${VAR:?msg}`) but does not ship a value for: its docs ask the user to
 * set them. Key: label prefix of the sets that need them.
 */
export const REAL_WORLD_ENV: Record<string, Record<string, string>> = {
  // README: "echo PG_PASS=... >> .env; echo AUTHENTIK_SECRET_KEY=... >> .env" (generated secrets)
  'real-world/authentik': { PG_PASS: 'secret', AUTHENTIK_SECRET_KEY: 'secret' },
  // docs/*: the overrides are used with an env file the user writes from example.env
  'real-world/frappe-docker': {
    ROUTER: 'erp',
    SITES_RULE: 'Host(`erp.example.com`)',
    BASE_SITE: 'erp.example.com',
    BENCH_NETWORK: 'erp',
    LETSENCRYPT_EMAIL: 'a@example.com',
    EMAIL: 'a@example.com',
    DB_PASSWORD_SECRETS_FILE: '/run/db-password',
    NGINX_PROXY_HOSTS: 'erp.example.com',
    HASHED_PASSWORD: 'x',
    TRAEFIK_DOMAIN: 'traefik.example.com',
  },
};

/** Overlays written on top of another overlay (same directory), which goes first. */
export const REAL_WORLD_PREREQS: Record<string, string[]> = {
  'real-world/docker-elk/extensions/fleet/agent-apmserver-compose.yml': ['fleet-compose.yml'],
  'real-world/frappe-docker/overrides/compose.custom-domain-ssl.yaml': ['compose.custom-domain.yaml'],
  'real-world/frappe-docker/overrides/compose.mariadb-secrets.yaml': ['compose.mariadb.yaml'],
  'real-world/frappe-docker/overrides/compose.multi-bench.yaml': ['compose.redis.yaml'],
  // docs/setup-options: the SSL variant is stacked on compose.multi-bench.yaml, which names the router's port
  'real-world/frappe-docker/overrides/compose.multi-bench-ssl.yaml': ['compose.redis.yaml', 'compose.multi-bench.yaml'],
  'real-world/frappe-docker/overrides/compose.nginxproxy-ssl.yaml': ['compose.nginxproxy.yaml'],
  'real-world/frappe-docker/overrides/compose.traefik-ssl.yaml': ['compose.traefik.yaml'],
};

/** Sets that cannot load from the repository alone: they must fail, and only with these codes. */
export const REAL_WORLD_FAILURES: Record<string, ExpectedFailure> = {
  'real-world/authentik': {
    kind: 'user-file',
    codes: ['env-file-missing'],
    why: 'env_file: .env is written by the user (README: generate PG_PASS and AUTHENTIK_SECRET_KEY into .env)',
  },
  'real-world/authentik/lifecycle/container': {
    kind: 'user-file',
    codes: ['env-file-missing'],
    why: 'the same .env the user writes',
  },
  'real-world/paperless-ngx/docker/compose/docker-compose.portainer.yml': {
    kind: 'user-file',
    codes: ['env-file-missing'],
    why: 'stack.env is written by Portainer at deploy time; it is not in the repository',
  },
  'real-world/posthog/docker-compose.base.yml': {
    kind: 'fragment',
    codes: ['missing-image'],
    why: 'a fragment: its services get image/build only through `extends` from docker-compose.hobby.yml',
  },
};
