/**
 * Secret values interpolated into commands must not land in the manifests in plain text (unless
 * --secrets embed): they become $(NAME) references that Kubernetes expands from a Secret.
 */
import { describe, expect, it } from 'vitest';
import type { Container } from 'kubernetes-types/core/v1.js';
import { convertProject } from '../../../src/index.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';
import { fromYaml } from '../../helpers/project.js';
import { expectValid } from '../../helpers/validate.js';

const COMPOSE = `
services:
  redis:
    image: redis:7
    command: redis-server --requirepass \${REDIS_PASSWORD}
    healthcheck:
      test: ["CMD", "redis-cli", "-a", "\${REDIS_PASSWORD}", "ping"]
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: \${DB_PASSWORD}
    command: ["postgres", "-c", "app.admin_password=\${DB_PASSWORD}"]
`;

function convert(options: Partial<ConvertOptions> = {}) {
  const p = fromYaml(COMPOSE, {}, { REDIS_PASSWORD: 'sup3rs3cret', DB_PASSWORD: 'hunter2hunter2' });
  const r = convertProject(p, options);
  expectValid(r.objects);
  const ctr = (name: string) =>
    (
      r.objects.find(
        (o) => o.metadata.name === name && (o.kind === 'Deployment' || o.kind === 'StatefulSet'),
      ) as unknown as {
        spec: { template: { spec: { containers: Container[] } } };
      }
    ).spec.template.spec.containers[0]!;
  return { r, ctr };
}

describe('secret values in commands', () => {
  it('become $(NAME) references read from a Secret placeholder; the value is not in the args', () => {
    const { r, ctr } = convert();
    const redis = ctr('redis');
    expect(redis.args).toEqual(['redis-server', '--requirepass', '$(REDIS_PASSWORD)']);
    expect(redis.env).toEqual([
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-args-secret', key: 'REDIS_PASSWORD' } } },
    ]);
    const secret = r.objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'redis-args-secret') as unknown as {
      stringData: Record<string, string>;
    };
    expect(secret.stringData).toEqual({ REDIS_PASSWORD: '<set-me: REDIS_PASSWORD>' });
    // db's own POSTGRES_PASSWORD (same value) is already in its env Secret: the reference uses it, no extra env.
    const db = ctr('db');
    expect(db.args).toEqual(['postgres', '-c', 'app.admin_password=$(POSTGRES_PASSWORD)']);
    expect(db.env).toBeUndefined();
    expect(
      JSON.stringify(
        r.objects.map((o) => ({ ...o, spec: o.kind === 'Secret' ? undefined : o['spec'] })).filter(Boolean),
      ).includes('hunter2hunter2'),
    ).toBe(false);
    // Probes are not expanded by Kubernetes: they read the variable through sh -c instead.
    // One entry per item: the owner's entry, downgraded (not a second entry).
    const of = (path: string) => r.report.entries.filter((e) => e.service === 'redis' && e.path === path);
    expect(JSON.stringify(redis.readinessProbe)).not.toContain('sup3rs3cret');
    expect(redis.readinessProbe!.exec!.command![0]).toBe('sh');
    expect(redis.readinessProbe!.exec!.command![2]).toContain('"${REDIS_PASSWORD}"');
    expect(of('healthcheck')).toHaveLength(1);
    expect(of('healthcheck')[0]).toMatchObject({ id: 'healthcheck.secret-references', status: 'approximated' });
    expect(of('command')).toHaveLength(1);
    expect(of('command')[0]).toMatchObject({ id: 'command.secret-references', status: 'approximated' });
    expect(of('command')[0]!.message).toMatch(/REDIS_PASSWORD/);
  });

  it('--secrets embed keeps the command as compose runs it', () => {
    const { ctr } = convert({ secrets: 'embed' });
    expect(ctr('redis').args).toEqual(['redis-server', '--requirepass', 'sup3rs3cret']);
    expect(ctr('redis').env).toBeUndefined();
  });
});

describe('words that merely equal a secret value are left alone', () => {
  it('POSTGRES_PASSWORD "postgres" does not rewrite "pg_isready -U postgres" or "-c user=postgres"', () => {
    const p = fromYaml(`
services:
  db:
    image: postgres:15-alpine
    environment:
      POSTGRES_USER: postgres
      POSTGRES_PASSWORD: postgres
      PGBOUNCER_AUTH_TOKEN: "12345678"
    command: ["postgres", "-c", "log_statement=all", "-c", "port=12345678"]
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
`);
    const r = convertProject(p, {});
    expectValid(r.objects);
    const c = (
      r.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'db') as unknown as {
        spec: { template: { spec: { containers: Container[] } } };
      }
    ).spec.template.spec.containers[0]!;
    expect(c.args).toEqual(['postgres', '-c', 'log_statement=all', '-c', 'port=12345678']);
    expect(c.env).toBeUndefined();
    expect(r.report.entries.filter((e) => /secret-references|secret-in-probe/.test(e.id))).toEqual([]);
  });
});

describe('secret values in probes (issue 13)', () => {
  const PROBES = `
services:
  mysql:
    image: mysql:8
    environment:
      MYSQL_ROOT_PASSWORD: \${MYSQL_ROOT_PASSWORD}
    healthcheck:
      test: ["CMD-SHELL", "mysqladmin ping -uroot -p\${MYSQL_ROOT_PASSWORD} || exit 1"]
      start_period: 10s
  api:
    image: example/api
    ports: ["8080:8080"]
    healthcheck:
      test: ["CMD", "curl", "-f", "-H", "Authorization: Bearer \${API_TOKEN}", "http://localhost:8080/health"]
`;
  const env = { MYSQL_ROOT_PASSWORD: 'swordfish', API_TOKEN: 'tok-3f9a8b7c' };
  const ctrOf = (r: ReturnType<typeof convertProject>, name: string) =>
    (
      r.objects.find((o) => o.metadata.name === name && /Deployment|StatefulSet/.test(o.kind)) as unknown as {
        spec: { template: { spec: { containers: Container[] } } };
      }
    ).spec.template.spec.containers[0]!;

  it('an interpolated password glued to a flag is read from the environment in every probe', () => {
    const r = convertProject(fromYaml(PROBES, {}, env), {});
    expectValid(r.objects);
    const mysql = ctrOf(r, 'mysql');
    for (const p of [mysql.readinessProbe, mysql.livenessProbe, mysql.startupProbe])
      expect(p!.exec!.command).toEqual(['sh', '-c', 'mysqladmin ping -uroot -p"${MYSQL_ROOT_PASSWORD}" || exit 1']);
    const api = ctrOf(r, 'api');
    // An Authorization header keeps the check exec (http-check.ts): the test reads API_TOKEN from the args Secret.
    expect(api.readinessProbe!.httpGet).toBeUndefined();
    expect(api.readinessProbe!.exec!.command).toEqual([
      'sh',
      '-c',
      `exec curl -f -H 'Authorization: Bearer '"\${API_TOKEN}" http://localhost:8080/health`,
    ]);
    expect(api.env).toEqual([
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api-args-secret', key: 'API_TOKEN' } } },
    ]);
    const text = JSON.stringify(r.objects) + JSON.stringify(r.report);
    for (const v of Object.values(env)) expect(text).not.toContain(v);
  });

  it('an httpGet probe whose header holds a secret becomes the exec probe of the compose test', () => {
    const compose = `
services:
  api:
    image: example/api
    ports: ["8080:8080"]
    healthcheck:
      test: ["CMD", "curl", "-f", "-H", "X-Token: \${API_TOKEN}", "http://localhost:8080/health"]
`;
    const r = convertProject(fromYaml(compose, {}, env), {});
    expectValid(r.objects);
    const api = ctrOf(r, 'api');
    for (const p of [api.readinessProbe, api.livenessProbe, api.startupProbe]) {
      expect(p!.httpGet).toBeUndefined();
      expect(p!.exec!.command).toEqual([
        'sh',
        '-c',
        `exec curl -f -H 'X-Token: '"\${API_TOKEN}" http://localhost:8080/health`,
      ]);
    }
    expect(api.env).toEqual([
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api-args-secret', key: 'API_TOKEN' } } },
    ]);
    const entry = r.report.entries.find((e) => e.service === 'api' && e.path === 'healthcheck');
    expect(entry).toMatchObject({ id: 'healthcheck.secret-references', status: 'approximated' });
    expect(entry!.message).toContain(
      '(the httpGet probe with a secret header became an exec probe running the compose test)',
    );
    expect(JSON.stringify(r.objects) + JSON.stringify(r.report)).not.toContain('tok-3f9a8b7c');
  });

  it('--secrets embed keeps the probes as compose runs them', () => {
    const r = convertProject(fromYaml(PROBES, {}, env), { secrets: 'embed' });
    expect(ctrOf(r, 'mysql').readinessProbe!.exec!.command![2]).toContain('-pswordfish');
    expect(JSON.stringify(ctrOf(r, 'api').readinessProbe)).toContain('tok-3f9a8b7c');
  });
});

describe('secret variables too short or plain to find by value', () => {
  function run(compose: string, env: Record<string, string>) {
    const p = fromYaml(compose, {}, env);
    const r = convertProject(p, {});
    expectValid(r.objects);
    const ctr = (r.objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { containers: Container[] } } };
    })!.spec.template.spec.containers[0]!;
    const secret = (name: string) =>
      r.objects.find((o) => o.kind === 'Secret' && o.metadata.name === name) as unknown as
        { stringData: Record<string, string> } | undefined;
    return { r, ctr, secret };
  }

  it('an empty password in a command string is read by its variable, and its Secret key stays empty', () => {
    const { r, ctr, secret } = run(
      `
services:
  cache:
    image: redis:7
    command: redis-server --requirepass "\${REDIS_PASSWORD}" --port 6379
`,
      { REDIS_PASSWORD: '' },
    );
    expect(ctr.args).toEqual(['redis-server', '--requirepass', '$(REDIS_PASSWORD)', '--port', '6379']);
    expect(secret('cache-args-secret')?.stringData).toEqual({ REDIS_PASSWORD: '' });
    const e = r.report.entries.find((x) => x.service === 'cache' && x.key === 'command');
    expect(e?.id).toBe('command.secret-references');
    expect(e?.message).toContain('REDIS_PASSWORD empty, as in compose');
  });

  it('a short password inside a list word is replaced by its variable only, not where the same text occurs by chance', () => {
    const { ctr, secret } = run(
      `
services:
  db:
    image: example/db
    command: ["serve", "--pass=\${DB_PASSWORD}", "--mode", "abc"]
`,
      { DB_PASSWORD: 'abc' },
    );
    expect(ctr.args).toEqual(['serve', '--pass=$(DB_PASSWORD)', '--mode', 'abc']);
    expect(secret('db-args-secret')?.stringData).toEqual({ DB_PASSWORD: '<set-me: DB_PASSWORD>' });
  });

  it("the service's own variable of that name with another value is not read instead", () => {
    const { ctr } = run(
      `
services:
  db:
    image: example/db
    environment:
      DB_PASSWORD: other
    command: ["serve", "--pass=\${DB_PASSWORD}"]
`,
      { DB_PASSWORD: 'abc' },
    );
    expect(ctr.args).toEqual(['serve', '--pass=abc']);
  });

  it('a value whose blanks change the word split is left as compose split it', () => {
    const { ctr } = run(
      `
services:
  db:
    image: example/db
    command: serve --pass \${DB_PASSWORD}
`,
      { DB_PASSWORD: 'a b' },
    );
    expect(ctr.args).toEqual(['serve', '--pass', 'a', 'b']);
  });
});

describe('a shared credential in a command is read by its variable, whatever its value looks like', () => {
  it('the MinIO user beside its password: both read from the shared Secret, neither literal', () => {
    const compose = `
services:
  minio:
    image: minio/minio
    command: server /data
    environment:
      MINIO_ROOT_USER: \${MINIO_ROOT_USER}
      MINIO_ROOT_PASSWORD: \${MINIO_ROOT_PASSWORD}
  app:
    image: example/app
    environment:
      AWS_ACCESS_KEY_ID: \${MINIO_ROOT_USER}
      AWS_SECRET_ACCESS_KEY: \${MINIO_ROOT_PASSWORD}
  mk:
    image: minio/mc
    entrypoint: sh -c "mc alias set m http://minio:9000 \${MINIO_ROOT_USER} \${MINIO_ROOT_PASSWORD} && mc mb -p m/b"
`;
    const r = convertProject(
      fromYaml(compose, {}, { MINIO_ROOT_USER: 'supa-storage', MINIO_ROOT_PASSWORD: 's3cretpass' }),
    );
    expectValid(r.objects);
    const job = r.objects.find((o) => o.kind === 'Job' && o.metadata.name === 'mk') as unknown as {
      spec: { template: { spec: { containers: Container[] } } };
    };
    const c = job.spec.template.spec.containers[0]!;
    expect(c.command).toEqual([
      'sh',
      '-c',
      'mc alias set m http://minio:9000 $(MINIO_ROOT_USER) $(MINIO_ROOT_PASSWORD) && mc mb -p m/b',
    ]);
    const refs = (c.env ?? []).map((e) => [e.name, e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.key]);
    expect(refs).toEqual(
      expect.arrayContaining([
        ['MINIO_ROOT_USER', 'project-credentials', 'MINIO_ROOT_USER'],
        ['MINIO_ROOT_PASSWORD', 'project-credentials', 'MINIO_ROOT_PASSWORD'],
      ]),
    );
    const e = r.report.entries.find((x) => x.service === 'mk' && x.key === 'entrypoint');
    expect(e?.message).toContain('MINIO_ROOT_USER, MINIO_ROOT_PASSWORD read from the shared Secret');
  });
});

describe("another service's secret value after a password option of the same role (frappe's create-site)", () => {
  const compose = (dbEnv: string) => `
services:
  db:
    image: mariadb:11.8
    environment:
${dbEnv}
  create-site:
    image: frappe/erpnext:v16
    deploy: { restart_policy: { condition: none } }
    entrypoint: ["bash", "-c"]
    command:
      - bench new-site --admin-password=admin --db-root-username=root --db-root-password=admin --set-default frontend;
`;
  const job = (r: ReturnType<typeof convertProject>): Container =>
    (
      r.objects.find((o) => o.kind === 'Job' && o.metadata.name === 'create-site') as unknown as {
        spec: { template: { spec: { containers: Container[] } } };
      }
    ).spec.template.spec.containers[0]!;
  const refs = (c: Container) =>
    (c.env ?? []).map((e) => [e.name, e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.key]);

  it("is read from the database's env Secret, so one fill sets both; --admin-password (another role) stays", () => {
    const r = convertProject(fromYaml(compose('      MARIADB_ROOT_PASSWORD: admin')));
    expectValid(r.objects);
    const c = job(r);
    expect(c.args).toEqual([
      'bench new-site --admin-password=admin --db-root-username=root --db-root-password=$(MARIADB_ROOT_PASSWORD) --set-default frontend;',
    ]);
    expect(refs(c)).toEqual([['MARIADB_ROOT_PASSWORD', 'db-env-secret', 'MARIADB_ROOT_PASSWORD']]);
    const e = r.report.entries.find((x) => x.service === 'create-site' && x.key === 'command');
    expect(e).toMatchObject({ id: 'command.secret-references', status: 'approximated' });
    expect(e?.message).toContain(
      "MARIADB_ROOT_PASSWORD read from Secret db-env-secret, which holds service db's MARIADB_ROOT_PASSWORD: the command repeated its value after --db-root-password",
    );
    expect(e?.objects).toContain('Secret/db-env-secret');
  });

  it('a user password of the same value is not the root password', () => {
    const r = convertProject(fromYaml(compose('      MARIADB_PASSWORD: admin')));
    expect(job(r).args![0]).toContain('--db-root-password=admin');
    expect(job(r).env).toBeUndefined();
  });

  it('--secrets embed keeps the command as compose runs it', () => {
    const r = convertProject(fromYaml(compose('      MARIADB_ROOT_PASSWORD: admin')), { secrets: 'embed' });
    expect(job(r).args![0]).toContain('--db-root-password=admin');
  });
});

describe('secret values in probes: by variable, and plain words only after a password option', () => {
  function probe(compose: string, env: Record<string, string>, name?: string) {
    const r = convertProject(fromYaml(compose, {}, env), {});
    expectValid(r.objects);
    const c = (r.objects.find(
      (o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet') && (!name || o.metadata.name === name),
    ) as unknown as {
      spec: { template: { spec: { containers: Container[] } } };
    })!.spec.template.spec.containers[0]!;
    return { r, c, command: c.readinessProbe?.exec?.command };
  }

  it('a password that is also the user name is not put in place of the user name', () => {
    const { command } = probe(
      `
services:
  db:
    image: postgres:16
    environment: { POSTGRES_PASSWORD: postgres }
    healthcheck: { test: ["CMD-SHELL", "pg_isready -U postgres"] }
`,
      {},
    );
    expect(command).toEqual(['sh', '-c', 'pg_isready -U postgres']);
  });

  it('a plain password that is also a path segment stays in the URL', () => {
    const { command } = probe(
      `
services:
  app:
    image: example/app
    environment: { ADMIN_PASSWORD: admin }
    healthcheck: { test: ["CMD", "curl", "-f", "http://localhost:8080/admin/health"] }
`,
      {},
    );
    expect(command).toEqual(['curl', '-f', 'http://localhost:8080/admin/health']);
  });

  it('a plain password right after -p or -a is read from the environment', () => {
    const compose = `
services:
  db:
    image: mysql:8
    environment: { MYSQL_ROOT_PASSWORD: example }
    healthcheck: { test: ["CMD", "mysqladmin", "ping", "-pexample"] }
  cache:
    image: redis:7
    environment: { REDIS_PASSWORD: example }
    healthcheck: { test: ["CMD", "redis-cli", "-a", "example", "ping"] }
`;
    expect(probe(compose, {}, 'db').command).toEqual(['sh', '-c', 'exec mysqladmin ping -p"${MYSQL_ROOT_PASSWORD}"']);
    expect(probe(compose, {}, 'cache').command).toEqual(['sh', '-c', 'exec redis-cli -a "${REDIS_PASSWORD}" ping']);
  });

  it('an empty password interpolated into the test is read by its variable', () => {
    const { c, command } = probe(
      `
services:
  cache:
    image: redis:7
    healthcheck: { test: ["CMD-SHELL", "redis-cli -a '\${REDIS_PASSWORD}' ping"] }
`,
      { REDIS_PASSWORD: '' },
    );
    expect(command).toEqual(['sh', '-c', `redis-cli -a ''"\${REDIS_PASSWORD}"'' ping`]);
    expect(c.env).toEqual([
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'cache-args-secret', key: 'REDIS_PASSWORD' } } },
    ]);
  });

  it('a probe-only empty password stays empty in its Secret (a placeholder would be a wrong password)', () => {
    const { r } = probe(
      `
services:
  cache:
    image: redis:7
    healthcheck: { test: ["CMD-SHELL", "redis-cli -a '\${REDIS_PASSWORD}' ping"] }
`,
      { REDIS_PASSWORD: '' },
    );
    const s = r.objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'cache-args-secret') as unknown as {
      stringData: Record<string, string>;
    };
    expect(s.stringData).toEqual({ REDIS_PASSWORD: '' });
  });
});
