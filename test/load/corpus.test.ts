/**
 * Every compose file set of the shared corpus (real-world projects and awesome-compose) loads.
 * A set is a directory's default files (discovery: compose.yaml/docker-compose.yml + override, with
 * the directory's .env), plus each other `*compose*.y*ml` there layered on the default file.
 * Skipped when the corpus folder is absent.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadProject } from '../../src/load/project.js';
import { DEFAULT_FILE_NAMES, DEFAULT_OVERRIDE_FILE_NAMES } from '../../src/load/discover.js';
import { nodeFs } from '../../src/node/fs.js';
import { formatOneLine } from '../../src/report/diagnostic.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

/**
 * Variables a project requires (`${VAR:?msg}`) but does not ship a value for: its docs ask the user to
 * set them. Key: label prefix of the sets that need them.
 */
const EXTRA_ENV: Record<string, Record<string, string>> = {
  // README: "echo PG_PASS=... >> .env; echo AUTHENTIK_SECRET_KEY=... >> .env" (generated secrets)
  'real-world/authentik': { PG_PASS: 'secret', AUTHENTIK_SECRET_KEY: 'secret' },
  // docs/*: the overrides are used with an env file the user writes from example.env
  'real-world/frappe-docker': {
    ROUTER: 'erp', SITES_RULE: 'Host(`erp.example.com`)', BASE_SITE: 'erp.example.com', BENCH_NETWORK: 'erp',
    LETSENCRYPT_EMAIL: 'a@example.com', EMAIL: 'a@example.com', DB_PASSWORD_SECRETS_FILE: '/run/db-password',
    NGINX_PROXY_HOSTS: 'erp.example.com', HASHED_PASSWORD: 'x', TRAEFIK_DOMAIN: 'traefik.example.com',
  },
};

/** Overlays written on top of another overlay (same directory), which goes first. */
const PREREQS: Record<string, string[]> = {
  'real-world/docker-elk/extensions/fleet/agent-apmserver-compose.yml': ['fleet-compose.yml'],
  'real-world/frappe-docker/overrides/compose.custom-domain-ssl.yaml': ['compose.custom-domain.yaml'],
  'real-world/frappe-docker/overrides/compose.mariadb-secrets.yaml': ['compose.mariadb.yaml'],
  'real-world/frappe-docker/overrides/compose.multi-bench.yaml': ['compose.redis.yaml'],
  'real-world/frappe-docker/overrides/compose.nginxproxy-ssl.yaml': ['compose.nginxproxy.yaml'],
  'real-world/frappe-docker/overrides/compose.traefik-ssl.yaml': ['compose.traefik.yaml'],
};

/**
 * Sets that legitimately fail to load: if they fail, it must be only with these codes.
 */
const EXPECTED_FAILURES: Record<string, { codes: string[]; why: string }> = {
  'real-world/authentik': { codes: ['env-file-missing'], why: 'env_file: .env is required and written by the user (README: generate PG_PASS and AUTHENTIK_SECRET_KEY into .env)' },
  'real-world/authentik/lifecycle/container': { codes: ['env-file-missing'], why: 'same .env the user writes' },
  'real-world/paperless-ngx/docker/compose/docker-compose.portainer.yml': {
    codes: ['env-file-missing'],
    why: 'stack.env is written by Portainer at deploy time; it is not in the repository',
  },
  'real-world/posthog/docker-compose.base.yml': {
    codes: ['missing-image'],
    why: 'a fragment: its services get image/build only through `extends` from docker-compose.hobby.yml',
  },
};

interface CaseSet {
  label: string;
  dir: string;
  files: string[];
}

function composeDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    if (names.some((n) => /compose.*\.ya?ml$/.test(n))) out.push(d);
    if (depth > 5) return;
    for (const n of names) {
      if (n.startsWith('.') || n === 'node_modules') continue;
      const p = `${d}/${n}`;
      if (statSync(p).isDirectory()) walk(p, depth + 1);
    }
  };
  walk(root, 0);
  return out.sort();
}

function parentDefault(dir: string, root: string): string | undefined {
  let d = dir;
  while (d.length > root.length + 1) {
    d = d.slice(0, d.lastIndexOf('/'));
    const main = DEFAULT_FILE_NAMES.find((n) => existsSync(`${d}/${n}`));
    if (main) return `${d}/${main}`;
    if (d.split('/').length <= root.split('/').length + 1) break;
  }
  return undefined;
}

function sets(): CaseSet[] {
  const out: CaseSet[] = [];
  for (const group of ['real-world', 'awesome-compose']) {
    const root = CORPUS + group;
    if (!existsSync(root)) continue;
    for (const dir of composeDirs(root)) {
      const label = dir.slice(CORPUS.length);
      const names = readdirSync(dir).filter((n) => /compose.*\.ya?ml$/.test(n));
      const main = DEFAULT_FILE_NAMES.find((n) => names.includes(n));
      if (main) out.push({ label, dir, files: [] });
      // An extra file is layered on the nearest default file (its own directory's, else a parent's
      // within the project: docker-elk extensions, frappe overrides), as the projects' docs do.
      const base = main ? `${dir}/${main}` : parentDefault(dir, root);
      for (const n of names) {
        if (n === main || DEFAULT_OVERRIDE_FILE_NAMES.includes(n)) continue;
        const l = `${label}/${n}`;
        const pre = (PREREQS[l] ?? []).map((f) => `${dir}/${f}`);
        out.push({ label: l, dir, files: [...(base ? [base] : []), ...pre, `${dir}/${n}`] });
      }
    }
  }
  return out;
}

const all = existsSync(CORPUS) ? sets() : [];

describe.skipIf(all.length === 0)('corpus', () => {
  test.each(all.map((s) => [s.label, s] as const))('%s loads', (label, s) => {
    const extra = Object.entries(EXTRA_ENV).find(([k]) => label.startsWith(k))?.[1] ?? {};
    const r = loadProject({ workingDir: s.dir, fs: nodeFs, env: { HOME: '/home/user', ...extra }, files: s.files });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    const expected = EXPECTED_FAILURES[label];
    if (expected && errors.length > 0) {
      expect(errors.filter((e) => !expected.codes.includes(e.code)).map(formatOneLine)).toEqual([]);
      return;
    }
    expect(errors.map(formatOneLine)).toEqual([]);
    expect(Object.keys(r.project!.services).length + Object.keys(r.project!.disabledServices).length).toBeGreaterThan(0);
  });
});
