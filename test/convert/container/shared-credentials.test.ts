/**
 * One credential, one Secret key (issue 12 §4): a password interpolated into the database's POSTGRES_PASSWORD and
 * into a peer's DATABASE_URL (and a worker's command) is one key of one project Secret, read by every user.
 */
import { describe, expect, it } from 'vitest';
import type { Container, EnvVar, Secret } from 'kubernetes-types/core/v1.js';
import { convert as convertFiles, convertProject, formatReport } from '../../../src/index.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';
import { fromYaml } from '../../helpers/project.js';
import { expectValid } from '../../helpers/validate.js';
import { memoryFs } from '../../../src/load/fs.js';

const COMPOSE = `
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: \${DB_USER}
      POSTGRES_PASSWORD: \${DB_PASS}
  web:
    image: example/web
    environment:
      - DATABASE_URL=postgres://\${DB_USER}:\${DB_PASS}@db:5432/app?x=$$(y)
      - SECRET_KEY=\${WEB_SECRET}
  worker:
    image: example/worker
    command: ["worker", "--db-password", "\${DB_PASS}"]
  solo:
    image: example/solo
    environment:
      API_TOKEN: \${SOLO_TOKEN}
`;
const DOTENV = 'DB_USER=app\nWEB_SECRET=abcdefgh1234\nDB_PASS=hunter2hunter2\nSOLO_TOKEN=tok3n-tok3n\n';

function convert(options: Partial<ConvertOptions> = {}, compose = COMPOSE) {
  const env = Object.fromEntries(
    DOTENV.trim()
      .split('\n')
      .map((l) => l.split('=') as [string, string]),
  );
  const p = fromYaml(compose, { '.env': DOTENV }, env);
  const r = convertProject(p, options, memoryFs({ '/project/compose.yaml': compose, '/project/.env': DOTENV }));
  expectValid(
    r.objects,
    options.secrets === 'external'
      ? { secrets: ['project-credentials', 'web-env-secret', 'solo-env-secret', 'worker-args-secret'] }
      : {},
  );
  const ctr = (name: string): Container =>
    (
      r.objects.find((o) => o.metadata.name === name && /Deployment|StatefulSet/.test(o.kind)) as unknown as {
        spec: { template: { spec: { containers: Container[] } } };
      }
    ).spec.template.spec.containers[0]!;
  const secret = (name: string) =>
    r.objects.find((o) => o.kind === 'Secret' && o.metadata.name === name) as
      (Secret & { metadata: { name: string } }) | undefined;
  return { r, ctr, secret };
}

const ref = (name: string, key: string, secret = 'project-credentials'): EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

describe('shared credential', () => {
  it('the database reads the shared key, the peer embeds it with $(VAR) after defining it', () => {
    const { r, ctr, secret } = convert();
    expect(secret('project-credentials')?.stringData).toEqual({ DB_PASS: '<set-me: DB_PASS>' });
    expect(ctr('db').env).toEqual([ref('POSTGRES_PASSWORD', 'DB_PASS')]);
    const web = ctr('web').env!;
    expect(web).toEqual([
      ref('DB_PASS', 'DB_PASS'),
      { name: 'DATABASE_URL', value: 'postgres://app:$(DB_PASS)@db:5432/app?x=$$(y)' },
    ]);
    // No per-service copy of the shared value: the db's Secret is gone, the web's holds only its own key.
    expect(secret('db-env-secret')).toBeUndefined();
    expect(Object.keys(secret('web-env-secret')?.stringData ?? {})).toEqual(['SECRET_KEY']);
    // The command reads it from the same key.
    const worker = ctr('worker');
    expect(worker.args).toEqual(['worker', '--db-password', '$(DB_PASS)']);
    expect(worker.env).toEqual([ref('DB_PASS', 'DB_PASS')]);
    // A credential only one service uses keeps its per-service Secret.
    expect(secret('solo-env-secret')?.stringData).toEqual({ API_TOKEN: '<set-me: API_TOKEN>' });
    // The user name interpolated into the same URL is not a credential: it stays literal.
    expect(secret('project-credentials')?.stringData).not.toHaveProperty('DB_USER');
    const top = r.report.entries.find((e) => e.path === 'interpolation.DB_PASS');
    expect(top).toMatchObject({ id: 'top.interpolation.shared', status: 'approximated' });
    expect(top?.message).toContain('.env:3');
    expect(top?.message).toContain('db, web, worker');
    expect(top?.pos).toMatchObject({ file: '/project/.env', line: 3 });
    expect(r.report.entries.find((e) => e.service === 'web' && e.path === 'environment.DATABASE_URL')?.id).toBe(
      'environment.secret-shared',
    );
  });

  it('a probe reading a shared credential and a variable of its own reads each from its Secret, both reported', () => {
    const compose = `${COMPOSE}  mon:
    image: example/mon
    healthcheck:
      test: ["CMD-SHELL", "check --db-pass \${DB_PASS} --token \${MON_TOKEN}"]
`;
    const p = fromYaml(compose, { '.env': `${DOTENV}MON_TOKEN=m0n-t0ken-m0n\n` }, {});
    const r = convertProject(p, {}, memoryFs({}));
    const mon = (
      r.objects.find((o) => o.metadata.name === 'mon' && o.kind === 'Deployment') as unknown as {
        spec: { template: { spec: { containers: Container[] } } };
      }
    ).spec.template.spec.containers[0]!;
    expect(mon.env).toEqual([ref('DB_PASS', 'DB_PASS'), ref('MON_TOKEN', 'MON_TOKEN', 'mon-args-secret')]);
    expect(JSON.stringify(mon)).not.toContain('m0n-t0ken-m0n');
    const e = r.report.entries.find((x) => x.service === 'mon' && x.key === 'healthcheck');
    expect(e?.objects).toEqual(expect.arrayContaining(['Secret/project-credentials', 'Secret/mon-args-secret']));
  });

  it('--secrets embed puts the value in the one key; external emits no Secret but keeps the references', () => {
    const embed = convert({ secrets: 'embed' });
    expect(embed.secret('project-credentials')?.stringData).toEqual({ DB_PASS: 'hunter2hunter2' });
    expect(embed.ctr('db').env).toEqual([ref('POSTGRES_PASSWORD', 'DB_PASS')]);
    const ext = convert({ secrets: 'external' });
    expect(ext.secret('project-credentials')).toBeUndefined();
    expect(ext.ctr('web').env?.[0]).toEqual(ref('DB_PASS', 'DB_PASS'));
    expect(ext.r.report.entries.find((e) => e.path === 'interpolation.DB_PASS')?.id).toBe(
      'top.interpolation.shared-external',
    );
  });

  it('a service variable of the same name with another value is left alone', () => {
    const compose = COMPOSE.replace(
      'image: example/web\n',
      'image: example/web\n    environment:\n      DB_PASS: other\n',
    ).replace('    environment:\n      - DATABASE_URL', '    x-unused:\n      - DATABASE_URL');
    const { ctr } = convert({}, compose);
    expect(ctr('web').env ?? []).toEqual([]);
  });

  it('no secret value in any manifest', () => {
    const { r } = convert();
    const text = JSON.stringify(r.objects);
    for (const v of ['hunter2hunter2', 'abcdefgh1234', 'tok3n-tok3n']) expect(text).not.toContain(v);
  });
});

describe('one secret value held by several services', () => {
  const LITERAL = `
services:
  postgres:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: J5brHrAXFLQSif0K
  netbox:
    image: example/netbox
    env_file: netbox.env
  worker:
    image: example/netbox
    env_file: netbox.env
  lonely:
    image: example/lonely
    environment:
      API_TOKEN: only-here-123
`;
  function run(options: Partial<ConvertOptions> = {}) {
    const files = { 'netbox.env': 'DB_PASSWORD=J5brHrAXFLQSif0K\nSECRET_KEY=abcdefghijklmnop\n' };
    const p = fromYaml(LITERAL, files, {});
    const r = convertProject(p, options, memoryFs({ '/project/compose.yaml': LITERAL }));
    expectValid(r.objects);
    const env = (name: string) =>
      (
        r.objects.find((o) => o.metadata.name === name && o.kind === 'Deployment') as unknown as {
          spec: { template: { spec: { containers: Container[] } } };
        }
      ).spec.template.spec.containers[0]!.env;
    const secret = (name: string) =>
      r.objects.find((o) => o.kind === 'Secret' && o.metadata.name === name) as (Secret & object) | undefined;
    return { r, env, secret };
  }

  it('is one key of the project Secret under the name most services use, read by each copy', () => {
    const { r, env, secret } = run();
    expect(secret('project-credentials')?.stringData).toEqual({
      DB_PASSWORD: '<set-me: DB_PASSWORD>',
      SECRET_KEY: '<set-me: SECRET_KEY>',
    });
    expect(env('postgres')).toEqual([ref('POSTGRES_PASSWORD', 'DB_PASSWORD')]);
    expect(env('netbox')).toEqual([ref('DB_PASSWORD', 'DB_PASSWORD'), ref('SECRET_KEY', 'SECRET_KEY')]);
    expect(env('worker')).toEqual(env('netbox'));
    // No per-service copies left to fill; a value only one service holds keeps its own Secret.
    expect(secret('postgres-env-secret')).toBeUndefined();
    expect(secret('netbox-env-secret')).toBeUndefined();
    expect(secret('lonely-env-secret')?.stringData).toEqual({ API_TOKEN: '<set-me: API_TOKEN>' });
    const e = r.report.entries.find((x) => x.path === 'shared-values.DB_PASSWORD')!;
    expect(e.id).toBe('top.shared-values.shared');
    expect(e.message).toContain('DB_PASSWORD in netbox, worker, POSTGRES_PASSWORD in postgres');
  });

  it('embeds the one value with --secrets embed', () => {
    const { secret } = run({ secrets: 'embed' });
    expect(secret('project-credentials')?.stringData).toEqual({
      DB_PASSWORD: 'J5brHrAXFLQSif0K',
      SECRET_KEY: 'abcdefghijklmnop',
    });
  });

  it('a variable from an env_file that repeats a shared credential reads the same key (no clash)', () => {
    const compose = `
services:
  db:
    image: postgres:16
    env_file: .env
    environment:
      POSTGRES_PASSWORD: \${DB_PASS}
  web:
    image: example/web
    env_file: .env
    environment:
      APP_DB_PASSWORD: \${DB_PASS}
`;
    const { ctr, secret } = convert({}, compose);
    expect(secret('project-credentials')?.stringData).toMatchObject({ DB_PASS: '<set-me: DB_PASS>' });
    expect(ctr('db').env).toContainEqual(ref('POSTGRES_PASSWORD', 'DB_PASS'));
    expect(ctr('db').env).toContainEqual(ref('DB_PASS', 'DB_PASS'));
    expect(ctr('web').env).toContainEqual(ref('APP_DB_PASSWORD', 'DB_PASS'));
  });

  it('a variable passed through (- DB_PASS) is the same credential as ${DB_PASS} in a peer URL: one key', () => {
    // Mattermost: the database takes POSTGRES_PASSWORD from .env as is; the app builds its URL from it.
    const compose = `
services:
  db:
    image: postgres:16
    environment: [POSTGRES_PASSWORD]
  app:
    image: example/app
    environment:
      DATASOURCE: postgres://app:\${POSTGRES_PASSWORD}@db:5432/app
`;
    const env = { POSTGRES_PASSWORD: 'hunter2hunter2' };
    const p = fromYaml(compose, { '.env': 'POSTGRES_PASSWORD=hunter2hunter2\n' }, env);
    const r = convertProject(p, {}, memoryFs({ '/project/compose.yaml': compose }));
    expectValid(r.objects);
    const shared = r.objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'project-credentials') as Secret;
    expect(shared.stringData).toEqual({ POSTGRES_PASSWORD: '<set-me: POSTGRES_PASSWORD>' });
    const envOf = (name: string) =>
      (
        r.objects.find((o) => o.metadata.name === name && /Deployment|StatefulSet/.test(o.kind)) as unknown as {
          spec: { template: { spec: { containers: Container[] } } };
        }
      ).spec.template.spec.containers[0]!.env!;
    expect(envOf('db')).toContainEqual(ref('POSTGRES_PASSWORD', 'POSTGRES_PASSWORD'));
    expect(envOf('app')).toContainEqual(ref('POSTGRES_PASSWORD', 'POSTGRES_PASSWORD'));
    expect(envOf('app')).toContainEqual({
      name: 'DATASOURCE',
      value: 'postgres://app:$(POSTGRES_PASSWORD)@db:5432/app',
    });
    expect(JSON.stringify(r.objects)).not.toContain('hunter2hunter2');
  });

  it('a URL an env_file builds from the password variable reads the password from its key', () => {
    // docker compose interpolates env_file values from the project environment (compose-go
    // WithServicesEnvironmentResolved), so app.env's URL is made from POSTGRES_PASSWORD as the same URL in compose is.
    const compose = `
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}
  app:
    image: example/app
    env_file: app.env
  other:
    image: example/other
    env_file: other.env
    environment:
      DATABASE_URL: postgres://other:literal-pass-1@db/other
`;
    const files = {
      '/p/compose.yaml': compose,
      '/p/.env': 'POSTGRES_PASSWORD=hunter2hunter2\n',
      '/p/app.env': 'DB_HOST=db\nDATABASE_URL=postgres://u:${POSTGRES_PASSWORD}@${DB_HOST}/app\n',
      '/p/other.env': 'DATABASE_URL=postgres://u:${POSTGRES_PASSWORD}@db/other\n',
    };
    const r = convertFiles({ workingDir: '/p', fs: memoryFs(files), env: {} });
    expectValid(r.objects);
    const secret = (name: string) =>
      (r.objects.find((o) => o.kind === 'Secret' && o.metadata.name === name) as Secret | undefined)?.stringData;
    expect(secret('p-credentials')).toEqual({ POSTGRES_PASSWORD: '<set-me: POSTGRES_PASSWORD>' });
    expect(secret('app-env-secret')).toBeUndefined();
    const envOf = (name: string) =>
      (
        r.objects.find((o) => o.metadata.name === name && /Deployment|StatefulSet/.test(o.kind)) as unknown as {
          spec: { template: { spec: { containers: Container[] } } };
        }
      ).spec.template.spec.containers[0]!.env;
    expect(envOf('db')).toEqual([ref('POSTGRES_PASSWORD', 'POSTGRES_PASSWORD', 'p-credentials')]);
    expect(envOf('app')).toContainEqual(ref('POSTGRES_PASSWORD', 'POSTGRES_PASSWORD', 'p-credentials'));
    expect(envOf('app')).toContainEqual({ name: 'DATABASE_URL', value: 'postgres://u:$(POSTGRES_PASSWORD)@db/app' });
    // environment: wins over the env_file: its literal URL is no use of the password.
    expect(JSON.stringify(envOf('other') ?? [])).not.toContain('POSTGRES_PASSWORD');
    expect(JSON.stringify(r.objects)).not.toContain('hunter2hunter2');
  });

  it('a URL .env builds from the password variable reads the password from its key (mattermost-docker)', () => {
    // .env: MM_SQLSETTINGS_DATASOURCE=postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@...; both passed through.
    const compose = `
services:
  postgres:
    image: postgres:13-alpine
    environment: [POSTGRES_USER, POSTGRES_PASSWORD]
  mattermost:
    image: mattermost/mattermost-team-edition
    environment: [MM_SQLSETTINGS_DATASOURCE]
  worker:
    image: example/worker
    environment: [JOBS_URL]
`;
    const dotenv = [
      'POSTGRES_USER=mmuser',
      'POSTGRES_PASSWORD=mmuser_password',
      'MM_SQLSETTINGS_DATASOURCE=postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres:5432/mattermost?ssl=off',
      'JOBS_HOST=postgres',
      // Built from no credential: stays a value of its own.
      'JOBS_URL=postgres://jobs:jobs_password_1@${JOBS_HOST}/jobs',
    ].join('\n');
    const r = convertFiles({
      workingDir: '/p',
      fs: memoryFs({ '/p/compose.yaml': compose, '/p/.env': dotenv }),
      env: {},
    });
    expectValid(r.objects);
    const secret = (name: string) =>
      (r.objects.find((o) => o.kind === 'Secret' && o.metadata.name === name) as Secret | undefined)?.stringData;
    expect(secret('p-credentials')).toEqual({ POSTGRES_PASSWORD: '<set-me: POSTGRES_PASSWORD>' });
    expect(secret('mattermost-env-secret')).toBeUndefined();
    expect(secret('worker-env-secret')).toEqual({ JOBS_URL: '<set-me: JOBS_URL>' });
    const envOf = (name: string) =>
      (
        r.objects.find((o) => o.metadata.name === name && o.kind === 'Deployment') as unknown as {
          spec: { template: { spec: { containers: Container[] } } };
        }
      ).spec.template.spec.containers[0]!.env;
    expect(envOf('postgres')).toEqual([ref('POSTGRES_PASSWORD', 'POSTGRES_PASSWORD', 'p-credentials')]);
    expect(envOf('mattermost')).toEqual([
      ref('POSTGRES_PASSWORD', 'POSTGRES_PASSWORD', 'p-credentials'),
      {
        name: 'MM_SQLSETTINGS_DATASOURCE',
        value: 'postgres://mmuser:$(POSTGRES_PASSWORD)@postgres:5432/mattermost?ssl=off',
      },
    ]);
    const entry = r.report!.entries.find(
      (e) => e.service === 'mattermost' && e.path === 'environment.MM_SQLSETTINGS_DATASOURCE',
    );
    expect(entry?.id).toBe('environment.secret-shared');
    expect(JSON.stringify(r.objects)).not.toContain('mmuser_password');
  });

  it('two variables that hold the same value are two credentials: equal values in .env are not linked', () => {
    // Appwrite: `- _APP_DB_PASS` and `- _APP_SMTP_PASSWORD` pass both through from .env, both "password".
    const compose = `
services:
  app:
    image: example/app
    environment: [DB_PASS, SMTP_PASSWORD, "MAIL_PASSWORD=\${SMTP_PASSWORD}"]
  worker:
    image: example/worker
    environment: [DB_PASS, "SMTP_PASSWORD=\${SMTP_PASSWORD}"]
  mailer:
    image: example/mailer
    environment: [SMTP_PASSWORD]
`;
    const env = { DB_PASS: 'password', SMTP_PASSWORD: 'password' };
    const p = fromYaml(compose, {}, env);
    const r = convertProject(p, {}, memoryFs({ '/project/compose.yaml': compose }));
    expectValid(r.objects);
    const shared = r.objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'project-credentials') as Secret;
    expect(Object.keys(shared.stringData ?? {}).sort()).toEqual(['DB_PASS', 'SMTP_PASSWORD']);
    const envOf = (name: string) =>
      (
        r.objects.find((o) => o.metadata.name === name && o.kind === 'Deployment') as unknown as {
          spec: { template: { spec: { containers: Container[] } } };
        }
      ).spec.template.spec.containers[0]!.env!;
    const keyOf = (svc: string, v: string) => envOf(svc).find((e) => e.name === v)?.valueFrom?.secretKeyRef?.key;
    expect(keyOf('app', 'DB_PASS')).toBe('DB_PASS');
    expect(keyOf('app', 'SMTP_PASSWORD')).toBe('SMTP_PASSWORD');
    expect(keyOf('worker', 'SMTP_PASSWORD')).toBe('SMTP_PASSWORD');
    expect(keyOf('mailer', 'SMTP_PASSWORD')).toBe('SMTP_PASSWORD');
  });
});

describe('equal literal values link a client to its server, never two different credentials', () => {
  function run(compose: string) {
    const r = convertProject(fromYaml(compose, {}, {}), {}, memoryFs({ '/project/compose.yaml': compose }));
    expectValid(r.objects);
    const keyOf = (svc: string, v: string) =>
      (
        r.objects.find((o) => o.metadata.name === svc && /Deployment|StatefulSet/.test(o.kind)) as unknown as {
          spec: { template: { spec: { containers: Container[] } } };
        }
      ).spec.template.spec.containers[0]!.env?.find((e) => e.name === v)?.valueFrom?.secretKeyRef;
    const own = (name: string) =>
      (r.objects.find((o) => o.kind === 'Secret' && o.metadata.name === name) as Secret | undefined)?.stringData;
    return { r, keyOf, own };
  }

  it('root and user passwords of one database stay two keys; the client reads the user one', () => {
    // awesome-compose nextcloud-redis-mariadb: every password is "nextcloud".
    const { keyOf, own } = run(`
services:
  nc:
    image: nextcloud:apache
    environment: [MYSQL_HOST=db, MYSQL_USER=nextcloud, MYSQL_PASSWORD=nextcloud]
  db:
    image: mariadb:10.5
    environment: [MYSQL_USER=nextcloud, MYSQL_ROOT_PASSWORD=nextcloud, MYSQL_PASSWORD=nextcloud]
`);
    expect(keyOf('nc', 'MYSQL_PASSWORD')).toEqual({ name: 'project-credentials', key: 'MYSQL_PASSWORD' });
    expect(keyOf('db', 'MYSQL_PASSWORD')).toEqual({ name: 'project-credentials', key: 'MYSQL_PASSWORD' });
    // The root password is the database's own: its env Secret, not the shared key.
    expect(keyOf('db', 'MYSQL_ROOT_PASSWORD')).toBeUndefined();
    expect(own('db-env-secret')).toEqual({ MYSQL_ROOT_PASSWORD: '<set-me: MYSQL_ROOT_PASSWORD>' });
  });

  it('a password written in a URL joins the same literal password: the URL reads it by $(NAME), its other parts kept', () => {
    // awesome-compose wasmedge-kafka-mysql: etl logs in as root with the database's root password.
    const { r, keyOf, own } = run(`
services:
  etl:
    image: etl-kafka
    environment:
      DATABASE_URL: mysql://root:whalehello@db:3306/mysql
  db:
    image: mariadb:10.9
    environment:
      MYSQL_ROOT_PASSWORD: whalehello
`);
    const key = { name: 'project-credentials', key: 'MYSQL_ROOT_PASSWORD' };
    expect(keyOf('db', 'MYSQL_ROOT_PASSWORD')).toEqual(key);
    const etl = (
      r.objects.find((o) => o.metadata.name === 'etl' && o.kind === 'Deployment') as unknown as {
        spec: { template: { spec: { containers: Container[] } } };
      }
    ).spec.template.spec.containers[0]!;
    // The password is defined before the URL that expands it.
    expect(etl.env).toEqual([
      { name: 'MYSQL_ROOT_PASSWORD', valueFrom: { secretKeyRef: key } },
      { name: 'DATABASE_URL', value: 'mysql://root:$(MYSQL_ROOT_PASSWORD)@db:3306/mysql' },
    ]);
    expect(own('etl-env-secret')).toBeUndefined();
    expect(own('project-credentials')).toEqual({ MYSQL_ROOT_PASSWORD: '<set-me: MYSQL_ROOT_PASSWORD>' });
    const shared = r.report.entries.find((e) => e.id === 'top.shared-values.shared')!;
    expect(shared.message).toContain('MYSQL_ROOT_PASSWORD in db, the password of DATABASE_URL in etl');
    expect(JSON.stringify(r.report)).not.toContain('whalehello');
  });

  it("a URL logging in as another user than the root password's keeps its own value", () => {
    const { keyOf, own } = run(`
services:
  etl:
    image: etl-kafka
    environment:
      DATABASE_URL: mysql://app:whalehello@db:3306/mysql
  db:
    image: mariadb:10.9
    environment:
      MYSQL_ROOT_PASSWORD: whalehello
`);
    expect(keyOf('db', 'MYSQL_ROOT_PASSWORD')).toBeUndefined();
    expect(own('etl-env-secret')).toEqual({ DATABASE_URL: '<set-me: DATABASE_URL>' });
  });

  it('a web login is not the database\'s password (airflow\'s admin user, both "airflow")', () => {
    const { keyOf, own } = run(`
services:
  postgres:
    image: postgres:16
    environment: { POSTGRES_USER: airflow, POSTGRES_PASSWORD: airflow }
  airflow-init:
    image: apache/airflow:3
    environment: { _AIRFLOW_WWW_USER_USERNAME: airflow, _AIRFLOW_WWW_USER_PASSWORD: airflow }
  worker:
    image: apache/airflow:3
    environment: { DB_PASSWORD: airflow }
`);
    expect(keyOf('postgres', 'POSTGRES_PASSWORD')?.name).toBe('project-credentials');
    expect(keyOf('worker', 'DB_PASSWORD')).toEqual(keyOf('postgres', 'POSTGRES_PASSWORD'));
    expect(keyOf('airflow-init', '_AIRFLOW_WWW_USER_PASSWORD')).toBeUndefined();
    expect(own('airflow-init-env-secret')).toEqual({
      _AIRFLOW_WWW_USER_PASSWORD: '<set-me: _AIRFLOW_WWW_USER_PASSWORD>',
    });
  });

  it('a client naming no user logs in as the image default (wordpress: root) and shares the root password', () => {
    const { keyOf } = run(`
services:
  web:
    image: wordpress:4
    environment: [WORDPRESS_DB_PASSWORD=password]
  mysql:
    image: mysql:5.7
    environment: [MYSQL_ROOT_PASSWORD=password]
`);
    expect(keyOf('web', 'WORDPRESS_DB_PASSWORD')?.name).toBe('project-credentials');
    expect(keyOf('web', 'WORDPRESS_DB_PASSWORD')).toEqual(keyOf('mysql', 'MYSQL_ROOT_PASSWORD'));
  });

  it("an application's admin login is not the database password it happens to equal", () => {
    const { keyOf } = run(`
services:
  postgres:
    image: postgres:16
    environment: { POSTGRES_PASSWORD: changeit }
  pgadmin:
    image: dpage/pgadmin4
    environment: { PGADMIN_DEFAULT_EMAIL: a@example.com, PGADMIN_DEFAULT_PASSWORD: changeit }
`);
    expect(keyOf('postgres', 'POSTGRES_PASSWORD')).toBeUndefined();
    expect(keyOf('pgadmin', 'PGADMIN_DEFAULT_PASSWORD')).toBeUndefined();
  });

  it('two names of one database password in one env file read by all stay one key', () => {
    const { keyOf } = run(`
services:
  db:
    image: postgres:16
    environment: { DATABASE_PASSWORD: superset1, POSTGRES_PASSWORD: superset1 }
  app:
    image: example/superset
    environment: { DATABASE_PASSWORD: superset1, POSTGRES_PASSWORD: superset1 }
`);
    expect(keyOf('db', 'POSTGRES_PASSWORD')?.name).toBe('project-credentials');
    expect(keyOf('db', 'POSTGRES_PASSWORD')).toEqual(keyOf('app', 'DATABASE_PASSWORD'));
  });

  it('a client connecting as the administrator shares the key with the server administrator password', () => {
    // Docker Hub's mongo stack.yml; mongo-express's URL logs in as root, the ADMINUSERNAME of its ADMINPASSWORD.
    const { r, keyOf, own } = run(`
services:
  mongo:
    image: mongo:7
    environment: { MONGO_INITDB_ROOT_USERNAME: root, MONGO_INITDB_ROOT_PASSWORD: ex4mple-pw }
  mongo-express:
    image: mongo-express
    environment:
      ME_CONFIG_MONGODB_ADMINUSERNAME: root
      ME_CONFIG_MONGODB_ADMINPASSWORD: ex4mple-pw
      ME_CONFIG_MONGODB_URL: mongodb://root:ex4mple-pw@mongo:27017/
  tool:
    image: example/tool
    environment:
      MONGO_ADMIN_PASSWORD: ex4mple-pw
      MONGO_URL: mongodb://app:ex4mple-pw@mongo:27017/
`);
    const key = keyOf('mongo', 'MONGO_INITDB_ROOT_PASSWORD');
    expect(key?.name).toBe('project-credentials');
    expect(keyOf('mongo-express', 'ME_CONFIG_MONGODB_ADMINPASSWORD')).toEqual(key);
    // The URL beside its service's administrator password reads the same key (no placeholder of its own).
    const env = (
      r.objects.find((o) => o.metadata.name === 'mongo-express' && o.kind === 'Deployment') as unknown as {
        spec: { template: { spec: { containers: Container[] } } };
      }
    ).spec.template.spec.containers[0]!.env!;
    expect(env.find((e) => e.name === 'ME_CONFIG_MONGODB_URL')?.value).toBe(
      `mongodb://root:$(${key!.key})@mongo:27017/`,
    );
    expect(own('mongo-express-env-secret')).toBeUndefined();
    // A URL logging in as another user than its service's administrator stays a value of its own.
    expect(own('tool-env-secret')).toMatchObject({ MONGO_URL: '<set-me: MONGO_URL>' });
  });

  it("a root URL is its database's superuser, not the admin login of its own service it happens to equal", () => {
    // The app's URL logs in as the database's root; its own SHOP_ADMIN_PASSWORD (user admin) is another credential,
    // and taking it first must not cost the URL its link to MYSQL_ROOT_PASSWORD.
    const { keyOf, r } = run(`
services:
  app:
    image: example/shop
    environment:
      DATABASE_URL: mysql://root:ex4mple-pw@zdb:3306/shop
      SHOP_ADMIN_USER: admin
      SHOP_ADMIN_PASSWORD: ex4mple-pw
  zdb:
    image: mysql:8.4
    environment: { MYSQL_ROOT_PASSWORD: ex4mple-pw }
`);
    const key = keyOf('zdb', 'MYSQL_ROOT_PASSWORD');
    expect(key?.name).toBe('project-credentials');
    const env = (
      r.objects.find((o) => o.metadata.name === 'app' && o.kind === 'Deployment') as unknown as {
        spec: { template: { spec: { containers: Container[] } } };
      }
    ).spec.template.spec.containers[0]!.env!;
    expect(env.find((e) => e.name === 'DATABASE_URL')?.value).toBe(`mysql://root:$(${key!.key})@zdb:3306/shop`);
    expect(keyOf('app', 'SHOP_ADMIN_PASSWORD')).toBeUndefined();
  });
});

describe('a credential many services read', () => {
  it('names five other services in each entry and counts the rest', () => {
    const names = Array.from({ length: 9 }, (_, i) => `app${i}`);
    const compose =
      'services:\n' +
      names.map((n) => `  ${n}:\n    image: example/${n}\n    environment:\n      DB_PASS: \${DB_PASS}\n`).join('');
    const { r } = convert({}, compose);
    const entry = (svc: string) =>
      r.report!.entries.find((e) => e.service === svc && e.path === 'environment.DB_PASS')!;
    expect(entry('app0').id).toBe('environment.secret-shared');
    expect(entry('app0').message).toContain('shared with app1, app2, app3, app4, app5 and 3 more');
    expect(entry('app4').message).toContain('shared with app0, app1, app2, app3, app5 and 3 more');
    expect(entry('app8').message).not.toContain('app8,');
  });

  it('lists every other service when there are five or fewer', () => {
    const { r } = convert();
    const e = r.report!.entries.find((x) => x.service === 'db' && x.path === 'environment.POSTGRES_PASSWORD')!;
    expect(e.message).toMatch(/shared with web, worker(?! and)/);
  });
});

describe('empty credentials (compose ran with them empty; the operator sets them)', () => {
  const EMPTY = `
services:
  redis:
    image: redis:7
    command: redis-server --requirepass "\${REDIS_PASSWORD}"
  app:
    image: example/app
    environment:
      REDIS_PASSWORD: \${REDIS_PASSWORD}
  web:
    image: example/web
    env_file: app.env
  worker:
    image: example/worker
    env_file: app.env
`;
  function run() {
    const files = { '.env': 'REDIS_PASSWORD=\n', 'app.env': 'SECRET_KEY_BASE=\nOTHER_TOKEN=\nLOG_LEVEL=info\n' };
    const p = fromYaml(EMPTY, files, { REDIS_PASSWORD: '' });
    const r = convertProject(p, {});
    expectValid(r.objects);
    const secret = (name: string) =>
      r.objects.find((o) => o.kind === 'Secret' && o.metadata.name === name) as unknown as Secret | undefined;
    const ctr = (name: string): Container =>
      (
        r.objects.find((o) => o.metadata.name === name && o.kind === 'Deployment') as unknown as {
          spec: { template: { spec: { containers: Container[] } } };
        }
      ).spec.template.spec.containers[0]!;
    return { r, secret, ctr };
  }

  it('a variable empty in .env, used by two services, is one key of the shared Secret, kept empty', () => {
    const { r, secret, ctr } = run();
    expect(secret('project-credentials')?.stringData?.['REDIS_PASSWORD']).toBe('');
    // The command reads it by its variable: an empty value has no text to find, but the Secret the operator fills
    // must reach the command too.
    expect(ctr('redis').args).toEqual(['redis-server', '--requirepass', '$(REDIS_PASSWORD)']);
    expect(ctr('redis').env).toEqual([
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'project-credentials', key: 'REDIS_PASSWORD' } } },
    ]);
    const e = r.report.entries.find((x) => x.key === 'interpolation.REDIS_PASSWORD');
    expect(e?.id).toBe('top.interpolation.shared-empty');
    expect(e?.message).toContain('kept empty');
  });

  it('an empty key of one env_file read by two services is one shared key, not one Secret per service', () => {
    const { r, secret, ctr } = run();
    const shared = secret('project-credentials')!.stringData!;
    expect(shared['SECRET_KEY_BASE']).toBe('');
    expect(shared['OTHER_TOKEN']).toBe('');
    expect(secret('web-env-secret')).toBeUndefined();
    expect(secret('worker-env-secret')).toBeUndefined();
    for (const s of ['web', 'worker'])
      expect(
        ctr(s)
          .env?.map((v) => v.valueFrom?.secretKeyRef?.key)
          .sort(),
      ).toEqual(['OTHER_TOKEN', 'SECRET_KEY_BASE']);
    // Two empty variables are not one value: each keeps its own key.
    expect(r.report.entries.find((x) => x.key === 'shared-values.SECRET_KEY_BASE')?.id).toBe(
      'top.shared-values.shared-empty',
    );
  });

  it('a container whose every variable is shared gets no empty envFrom list', () => {
    const { ctr } = run();
    expect(ctr('app').envFrom).toBeUndefined();
    expect(ctr('app').env?.map((v) => v.name)).toEqual(['REDIS_PASSWORD']);
  });
});

describe('a credential one service reads from its env_file and others interpolate', () => {
  it('is the shared key for all of them, not a second copy in the env_file reader’s own Secret', () => {
    const compose = `
services:
  postgresql:
    image: postgres:16
    env_file: .env
  server:
    image: example/authentik
    environment:
      AUTHENTIK_SECRET_KEY: \${AUTHENTIK_SECRET_KEY}
  worker:
    image: example/authentik
    environment:
      AUTHENTIK_SECRET_KEY: \${AUTHENTIK_SECRET_KEY}
`;
    const dotenv = 'AUTHENTIK_SECRET_KEY=k3y-0f-th3-pr0j3ct\nPG_PASS=pg-pa55word\n';
    const p = fromYaml(
      compose,
      { '.env': dotenv },
      { AUTHENTIK_SECRET_KEY: 'k3y-0f-th3-pr0j3ct', PG_PASS: 'pg-pa55word' },
    );
    const r = convertProject(p, {}, memoryFs({ '/project/compose.yaml': compose, '/project/.env': dotenv }));
    expectValid(r.objects);
    const secret = (name: string) =>
      r.objects.find((o) => o.kind === 'Secret' && o.metadata.name === name) as unknown as Secret | undefined;
    expect(Object.keys(secret('project-credentials')?.stringData ?? {})).toContain('AUTHENTIK_SECRET_KEY');
    expect(Object.keys(secret('postgresql-env-secret')?.stringData ?? {})).not.toContain('AUTHENTIK_SECRET_KEY');
    const pg = (
      r.objects.find(
        (o) => o.kind === 'StatefulSet' || (o.kind === 'Deployment' && o.metadata.name === 'postgresql'),
      ) as unknown as {
        spec: { template: { spec: { containers: Container[] } } };
      }
    ).spec.template.spec.containers[0]!;
    expect(pg.env?.find((e) => e.name === 'AUTHENTIK_SECRET_KEY')?.valueFrom?.secretKeyRef).toEqual({
      name: 'project-credentials',
      key: 'AUTHENTIK_SECRET_KEY',
    });
  });
});

describe('the report cites the env file line a secret value came from', () => {
  const files = {
    '/p/compose.yaml': `services:
  db:
    image: postgres:16
    environment:
      - POSTGRES_PASSWORD=\${POSTGRES_PW}
      - MM_SQLSETTINGS_DATASOURCE
  app:
    image: example/app
    environment:
      SECRET_KEY: $APP_SECRET
      DB_PASS: \${POSTGRES_PW}
`,
    '/p/.env': 'POSTGRES_PW=changeit\nMM_SQLSETTINGS_DATASOURCE=postgres://mm:pw@db/mm\nAPP_SECRET=topsecretvalue123\n',
    '/p/prod.env': '# production\nAPP_SECRET=prodsecretvalue9\nPOSTGRES_PW=prodpw\n',
  };
  const messages = (envFiles?: string[]) => {
    const r = convertFiles({ workingDir: '/p', fs: memoryFs(files), ...(envFiles ? { envFiles } : {}) });
    const at = (svc: string, path: string) =>
      r.report!.entries.find((e) => e.service === svc && e.path === path)?.message ?? '';
    return { at, top: (path: string) => r.report!.entries.find((e) => e.path === path)?.message ?? '' };
  };

  it('a list item and a passed-through variable point at .env, not at the compose file', () => {
    const { at, top } = messages();
    expect(at('db', 'environment.MM_SQLSETTINGS_DATASOURCE')).toContain('the real value is in .env:2');
    expect(at('app', 'environment.SECRET_KEY')).toContain('the real value is in .env:3');
    expect(top('interpolation.POSTGRES_PW')).toContain('the real value is in .env:1');
  });

  it('with --env-file, the lines of that file', () => {
    const { at, top } = messages(['prod.env']);
    expect(at('app', 'environment.SECRET_KEY')).toContain('the real value is in prod.env:2');
    expect(top('interpolation.POSTGRES_PW')).toContain('the real value is in prod.env:3');
  });

  it("a value written on the variable's own line says so, and the text report names that line once", () => {
    const r = convertFiles({
      files: [
        {
          path: '/p/compose.yaml',
          content: 'services:\n  db:\n    image: app:1\n    environment:\n      - DB_PASSWORD=s3cretvalue\n',
        },
      ],
      workingDir: '/p',
    });
    const e = r.report!.entries.find((x) => x.path === 'environment.DB_PASSWORD')!;
    expect(e.message).toContain('the real value is in the compose file, on this line');
    expect(e.pos).toMatchObject({ line: 5 });
    expect(formatReport(r.report!)).toContain('on this line (compose.yaml:5)');
  });
});
