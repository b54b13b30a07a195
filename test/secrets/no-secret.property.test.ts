/**
 * Issue 13's promise, as a property: generated projects put random secret values in every position a compose
 * project can hold one — environment, `.env`, `env_file`, `secrets:` files, `configs:`, bind-mounted files and
 * directories, healthchecks (CMD and CMD-SHELL, HTTP headers), labels, command, entrypoint, URLs — and the default
 * output in every format contains none of them, while `--secrets embed` contains each one.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convert, memoryFs } from '../../src/index.js';
import { everyOutput, leaks } from '../helpers/outputs.js';

/** A value no other text of the project contains by chance: letters and digits around a fixed core. */
const secretValue = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9]{6,12}$/), fc.stringMatching(/^[A-Za-z0-9]{4,8}$/))
  .map(([a, b]) => `Sx${a}9q${b}`);

const POSITIONS = [
  'environment',
  'dotenv',
  'envFile',
  'secretFile',
  'config',
  'boundKey',
  'boundDir',
  'cmdShell',
  'cmdHeader',
  'label',
  'command',
  'entrypoint',
  'url',
] as const;
type Position = (typeof POSITIONS)[number];

function project(v: Record<Position, string>) {
  const compose = `
services:
  db:
    image: mysql:8
    environment:
      MYSQL_ROOT_PASSWORD: \${MYSQL_ROOT_PASSWORD}
      DB_PASSWORD: ${v.environment}
    env_file: [app.env]
    healthcheck:
      test: ["CMD-SHELL", "mysqladmin ping -uroot -p\${MYSQL_ROOT_PASSWORD}"]
    labels:
      com.example.backup: "mysqldump -p\${BACKUP_PASSWORD}"
    secrets: [db_root]
    configs: [tls_key]
  api:
    image: example/api
    ports: ["8080:8080"]
    environment:
      API_TOKEN: \${API_TOKEN}
      DATABASE_URL: postgres://app:\${PG_PASS}@db:5432/app
    healthcheck:
      test: ["CMD", "curl", "-f", "-H", "Authorization: Bearer \${API_TOKEN}", "http://localhost:8080/health"]
    command: ["serve", "--admin-password=\${ADMIN_PASSWORD}"]
  cache:
    image: redis:7
    healthcheck:
      test: ["CMD-SHELL", "redis-cli -a '\${REDIS_PASSWORD}' ping | grep PONG"]
  web:
    image: nginx
    entrypoint: ["/docker-entrypoint.sh", "--token", "\${WEB_SECRET_TOKEN}"]
    volumes:
      - ./certs/server.key:/etc/nginx/server.key:ro
      - ./conf:/etc/nginx/conf.d:ro
secrets:
  db_root:
    file: ./db_root.txt
configs:
  tls_key:
    file: ./tls/private.pem
`;
  const pem = (x: string) => `-----BEGIN PRIVATE KEY-----\n${x}\n-----END PRIVATE KEY-----\n`;
  const files = {
    '/project/compose.yaml': compose,
    '/project/.env': [
      `MYSQL_ROOT_PASSWORD=${v.dotenv}`,
      `API_TOKEN=${v.cmdHeader}`,
      `PG_PASS=${v.url}`,
      `ADMIN_PASSWORD=${v.command}`,
      `WEB_SECRET_TOKEN=${v.entrypoint}`,
      `BACKUP_PASSWORD=${v.label}`,
      `REDIS_PASSWORD=${v.cmdShell}`,
      '',
    ].join('\n'),
    '/project/app.env': `APP_SECRET_KEY=${v.envFile}\nAPP_MODE=production\n`,
    '/project/db_root.txt': v.secretFile,
    '/project/tls/private.pem': pem(v.config),
    '/project/certs/server.key': pem(v.boundKey),
    '/project/conf/default.conf': 'server { listen 80; }\n',
    '/project/conf/.htpasswd': `admin:${v.boundDir}\n`,
  };
  return { files: ['compose.yaml'], fs: memoryFs(files), workingDir: '/project' };
}

const valuesArb = fc.record(
  Object.fromEntries(POSITIONS.map((p) => [p, secretValue])) as Record<Position, typeof secretValue>,
);

describe('no secret value in any default output (issue 13)', () => {
  it('placeholder (default) and external: none of the values appears in any channel', () => {
    fc.assert(
      fc.property(valuesArb, (v) => {
        for (const secrets of [undefined, 'external'] as const) {
          const out = convert({ ...project(v), ...(secrets ? { options: { secrets } } : {}) });
          expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(leaks(everyOutput(out), Object.values(v))).toEqual([]);
        }
      }),
      { numRuns: 8 },
    );
  });

  it('--secrets embed: each value is in the stream, where it belongs', () => {
    fc.assert(
      fc.property(valuesArb, (v) => {
        const out = convert({ ...project(v), options: { secrets: 'embed' } });
        const yaml = everyOutput(out).get('yaml')!;
        const missing = POSITIONS.filter((p) => !yaml.includes(v[p]));
        expect(missing).toEqual([]);
      }),
      { numRuns: 4 },
    );
  });
});

describe('the report points at the real value (issue 12 §4)', () => {
  it('an interpolated secret variable: the .env line, not the ${VAR} reference', () => {
    const v = Object.fromEntries(POSITIONS.map((p, i) => [p, `Sx${i}secretvalue9q`])) as Record<Position, string>;
    const out = convert(project(v));
    const entry = (path: string) => out.report!.entries.find((e) => e.service === 'db' && e.path === path)!;
    expect(entry('environment.MYSQL_ROOT_PASSWORD').message).toMatch(/the real value is in \.env:1$/);
    // A literal in the compose file: that line.
    expect(entry('environment.DB_PASSWORD').message).toMatch(/the real value is in compose\.yaml:\d+$/);
  });
});
