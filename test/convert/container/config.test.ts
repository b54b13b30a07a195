import { describe, expect, test } from 'vitest';
import { convert, memoryFs } from '../../../src/index.js';
import { renderConfig } from '../../../src/cli/config.js';
import { applyEnvironment, applySecretsAndConfigs, isSecretKey } from '../../../src/convert/container/config.js';
import { ctr, find, has, recs, runSteps, type Run } from '../steps.js';

/** The report entry of one item (service + path). */
const item = (r: Run, service: string, path: string) => r.ctx.book.get(service, path);

const env = [applyEnvironment];
const files = [applySecretsAndConfigs];
type Data = { data?: Record<string, string>; stringData?: Record<string, string> };

describe('secret-looking names', () => {
  test.each([
    ['MYSQL_ROOT_PASSWORD', 'x1', true],
    ['DB_PASS', 'hunter2', true],
    ['GITHUB_TOKEN', 'ghp_1', true],
    ['AWS_SECRET_ACCESS_KEY', 'k', true],
    ['STRIPE_API_KEY', 'sk', true],
    ['DATABASE_URL', 'postgres://app:s3cret@db:5432/app', true],
    ['DATABASE_URL', 'postgres://db:5432/app', false],
    ['POSTGRES_PASSWORD_FILE', '/run/secrets/pw', false],
    ['MYSQL_ALLOW_EMPTY_PASSWORD', 'yes', false],
    ['TOKEN_EXPIRY', '3600', false],
    ['POSTGRES_USER', 'app', false],
    ['PASSPORT_NUMBER_FORMAT', 'x', false],
    ['PWD', '/app', false],
    ['JWT_SECRET', 'x', true],
    ['JWT_EXP', '3600', false],
    // supabase / paperless / airflow / realtime credentials that used to land in ConfigMaps
    [
      'SERVICE_KEY',
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.DaYlNEoUrrEn2Ig7tqibS-PHK5vgusbcbo7X36XVt4Q',
      true,
    ],
    [
      'SUPABASE_ANON_KEY',
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiJ9.dc_X5iR_VP_qT0zsiyj_I_OZ2T9FtRU2BBNWN8Bu4GE',
      true,
    ],
    ['PG_META_CRYPTO_KEY', 'your-encryption-key-32-chars-min', true],
    ['DB_ENC_KEY', 'supabaserealtime', true],
    ['AIRFLOW__CORE__FERNET_KEY', 'ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=', true],
    ['PAPERLESS_DBPASS', 'paperless', true],
    ['TLS_KEY', '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', true],
    ['CACHE_BYPASS', 'x', false],
    ['PRIMARY_KEY', 'id', false],
    ['PG_META_CRYPTO_KEY_FILE', '/run/secrets/key', false],
    ['GREETING', 'eyJust a sentence', false],
  ])('%s=%s → %s', (k, v, want) => {
    expect(isSecretKey(k, v)).toBe(want);
  });
});

describe('environment', () => {
  test('a key without a value that nothing sets gets its own ignored entry; a set one is passed; config omits it', () => {
    const content = `services:
  app:
    image: acme/app
    environment:
      - SET_ONE
      - UNSET_ONE
    env_file: [app.env]
  worker:
    image: acme/worker
    environment:
      REDIS_PASSWORD:
      FROM_FILE:
      LEVEL: debug
    env_file: [app.env]
`;
    const r = convert({
      files: [{ path: '/project/compose.yaml', content }],
      fs: memoryFs({ '/project/app.env': 'FROM_FILE=x\n' }),
      env: { SET_ONE: 'yes' },
    });
    const unset = r.report!.entries.filter((e) => e.id === 'environment.unset').map((e) => [e.service, e.path]);
    expect(unset).toEqual([
      ['app', 'environment.UNSET_ONE'],
      ['worker', 'environment.REDIS_PASSWORD'],
    ]);
    const e = r.report!.entries.find((x) => x.path === 'environment.REDIS_PASSWORD')!;
    expect(e.status).toBe('ignored');
    expect(e.fix).toContain('set REDIS_PASSWORD');
    expect(r.project!.services['worker']!.environment).toEqual({ FROM_FILE: 'x', LEVEL: 'debug' });
    expect(renderConfig(r.project!, 'yaml')).not.toContain('unsetEnvironment');
    // Bookkeeping, not a compose key: the coverage pass has nothing to say about it.
    expect(r.report!.entries.filter((x) => x.key.includes('unsetEnvironment'))).toEqual([]);
  });

  test('plain variables → <svc>-env ConfigMap, secret ones → <svc>-env-secret with placeholders', () => {
    const r = runSteps(
      { db: { image: 'postgres', environment: { POSTGRES_USER: 'app', POSTGRES_PASSWORD: 'hunter2' } } },
      env,
      {
        input: {
          sources: { 'services/db/environment/POSTGRES_PASSWORD': { file: '/project/compose.yaml', line: 7, col: 26 } },
        },
      },
    );
    expect((find(r, 'ConfigMap', 'db-env') as Data).data).toEqual({ POSTGRES_USER: 'app' });
    const s = find(r, 'Secret', 'db-env-secret') as Data;
    expect(s.stringData).toEqual({ POSTGRES_PASSWORD: '<set-me: POSTGRES_PASSWORD>' });
    expect(ctr(r, 'db').envFrom).toEqual([
      { configMapRef: { name: 'db-env' } },
      { secretRef: { name: 'db-env-secret' } },
    ]);
    expect(item(r, 'db', 'environment')).toMatchObject({ id: 'environment.config-map', status: 'converted' });
    const e = item(r, 'db', 'environment.POSTGRES_PASSWORD')!;
    expect(e).toMatchObject({
      id: 'environment.secret-placeholder',
      status: 'approximated',
      key: 'environment.POSTGRES_PASSWORD',
    });
    expect(e.message).toContain('the real value is in the compose file, on this line');
    expect(e.pos).toMatchObject({ line: 7 });
    expect(e.fix).toContain('--secrets embed');
    // Day 2: re-applying manifests that hold the placeholder Secret undoes the fill; --secrets external leaves it out.
    expect(e.fix).toContain('once it is filled, convert with --secrets external');
    expect(e.fix).toContain('puts its placeholders back');
    expect(e.objects).toEqual(['Secret/db-env-secret']);
    expect(item(r, 'db', 'environment.POSTGRES_USER')).toBeUndefined();
  });

  test('a value that is the path of a secret or config the service mounts names the file: it stays in the ConfigMap', () => {
    // awesome-compose react-express-mysql: the backend readFileSync's DATABASE_PASSWORD; a placeholder there is ENOENT.
    const content = `services:
  backend:
    image: node:20
    environment:
      DATABASE_PASSWORD: /run/secrets/db-password
      API_TOKEN: /etc/app/token
      SESSION_SECRET: /app.key
      ADMIN_PASSWORD: /run/secrets/other
    secrets: [db-password, { source: token, target: /etc/app/token }]
    configs: [app.key]
secrets:
  db-password: { file: password.txt }
  token: { file: token.txt }
configs:
  app.key: { file: app.key }
`;
    const r = convert({
      files: [{ path: '/project/compose.yaml', content }],
      fs: memoryFs({ '/project/password.txt': 'pw', '/project/token.txt': 't', '/project/app.key': 'k' }),
    });
    const cm = r.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'backend-env') as Data;
    expect(cm.data).toEqual({
      DATABASE_PASSWORD: '/run/secrets/db-password',
      API_TOKEN: '/etc/app/token',
      SESSION_SECRET: '/app.key',
    });
    // A path the service does not mount is no file it reads: still a secret-looking value.
    const s = r.objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'backend-env-secret') as Data;
    expect(s.stringData).toEqual({ ADMIN_PASSWORD: '<set-me: ADMIN_PASSWORD>' });
    const placeholders = r.report!.entries.filter((e) => e.id === 'environment.secret-placeholder').map((e) => e.path);
    expect(placeholders).toEqual(['environment.ADMIN_PASSWORD']);
  });

  test('values from env_file point at the env file', () => {
    const r = runSteps(
      {
        db: {
          image: 'postgres',
          environment: { DB_PASSWORD: 'x' },
          env_file: [{ path: '/project/db.env', required: true }],
        },
      },
      env,
    );
    expect(item(r, 'db', 'environment.DB_PASSWORD')!.message).toContain('env_file db.env');
    expect(item(r, 'db', 'env_file')).toMatchObject({ id: 'env_file.merged', objects: ['Secret/db-env-secret'] });
    expect(item(r, 'db', 'env_file')!.message).toBe('variables of db.env merged into the environment objects');
  });

  test('an optional env file that is not there is not named among those merged', () => {
    // env_file `required: false`: compose reads nothing from a missing file, so the entry names only the files read.
    const content = `
services:
  app:
    image: nginx
    env_file: [a.env, { path: local.env, required: false }]
  bare:
    image: nginx
    environment: { B: '2' }
    env_file: [{ path: local.env, required: false }]
`;
    const r = convert({
      files: [{ path: '/project/compose.yaml', content }],
      fs: memoryFs({ '/project/a.env': 'A=1\n' }),
    });
    const entry = (svc: string) => r.report!.entries.find((e) => e.service === svc && e.path === 'env_file');
    expect(entry('app')).toMatchObject({
      id: 'env_file.merged',
      message: expect.stringMatching(/^variables of a\.env merged/),
    });
    expect(entry('bare')).toMatchObject({ id: 'env_file.empty' });
  });

  test('--secrets embed puts the real values in stringData', () => {
    const r = runSteps({ db: { image: 'postgres', environment: { POSTGRES_PASSWORD: 'hunter2' } } }, env, {
      options: { secrets: 'embed' },
    });
    expect((find(r, 'Secret', 'db-env-secret') as Data).stringData).toEqual({ POSTGRES_PASSWORD: 'hunter2' });
    expect(has(r, 'ConfigMap', 'db-env')).toBe(false);
    expect(item(r, 'db', 'environment.POSTGRES_PASSWORD')).toMatchObject({
      id: 'environment.secret-embedded',
      status: 'converted',
    });
    expect(item(r, 'db', 'environment')).toBeUndefined();
  });

  test('--secrets external references the Secret without emitting it', () => {
    const r = runSteps({ db: { image: 'postgres', environment: { API_TOKEN: 't' } } }, env, {
      options: { secrets: 'external' },
      external: { secrets: ['db-env-secret'] },
    });
    expect(has(r, 'Secret', 'db-env-secret')).toBe(false);
    expect(ctr(r, 'db').envFrom).toEqual([{ secretRef: { name: 'db-env-secret' } }]);
    const e = item(r, 'db', 'environment.API_TOKEN')!;
    expect(e).toMatchObject({ id: 'environment.secret-external', status: 'approximated' });
    expect(e.fix).toContain('kubectl create secret generic db-env-secret --from-literal=API_TOKEN=');
  });

  test('a value with $( stays literal (envFrom does not expand it)', () => {
    const r = runSteps({ app: { image: 'x', environment: { CMD: 'echo $(date)' } } }, env);
    expect((find(r, 'ConfigMap', 'app-env') as Data).data!.CMD).toBe('echo $(date)');
    expect(ctr(r, 'app').env).toBeUndefined();
  });

  test('names Kubernetes cannot take are reported, not set', () => {
    const r = runSteps({ app: { image: 'x', environment: { '1BAD': 'v', 'has space': 'v', OK: 'v' } } }, env);
    expect((find(r, 'ConfigMap', 'app-env') as Data).data).toEqual({ OK: 'v' });
    for (const name of ['1BAD', 'has space'])
      expect(item(r, 'app', `environment.${name}`)).toMatchObject({
        id: 'environment.invalid-name',
        status: 'unsupported',
      });
    expect(item(r, 'app', 'environment.OK')).toBeUndefined();
  });

  test('sidecars get their own ConfigMaps; no environment → nothing', () => {
    const r = runSteps(
      {
        web: { image: 'nginx', environment: { A: '1' } },
        log: { image: 'fluent', network_mode: 'service:web', environment: { B: '2' } },
        q: { image: 'q' },
      },
      env,
    );
    expect((find(r, 'ConfigMap', 'web-env') as Data).data).toEqual({ A: '1' });
    expect((find(r, 'ConfigMap', 'log-env') as Data).data).toEqual({ B: '2' });
    expect(has(r, 'ConfigMap', 'q-env')).toBe(false);
    expect(ctr(r, 'q').envFrom).toBeUndefined();
  });

  test('a compose config named like the env ConfigMap does not clash', () => {
    const r = runSteps(
      { web: { image: 'nginx', environment: { A: '1' }, configs: [{ source: 'web-env', target: '/x' }] } },
      [applyEnvironment, applySecretsAndConfigs],
      { input: { configs: { 'web-env': { content: 'c', extensions: {} } } } },
    );
    const names = r.objects
      .filter((o) => o.kind === 'ConfigMap')
      .map((o) => o.metadata.name)
      .sort();
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
  });
});

describe('secrets and configs', () => {
  const secrets = { db_password: { file: '/project/secrets/db.txt', extensions: {} } };
  const fsFiles = { '/project/secrets/db.txt': 's3cret\n', '/project/nginx.conf': 'events {}\n' };

  test('one Secret shared by two services, mounted as a single file at the default target', () => {
    const r = runSteps(
      {
        api: { image: 'api', secrets: [{ source: 'db_password', target: '/run/secrets/db_password' }] },
        worker: { image: 'w', secrets: [{ source: 'db_password', target: '/etc/pw', mode: 0o400 }] },
      },
      files,
      { input: { secrets }, files: fsFiles },
    );
    const s = find(r, 'Secret', 'db-password') as Data;
    expect(s.stringData).toEqual({ db_password: '<set-me: db_password>' });
    expect(r.objects.filter((o) => o.kind === 'Secret')).toHaveLength(1);
    expect(ctr(r, 'api').volumeMounts).toEqual([
      { name: 'secret-db-password', mountPath: '/run/secrets/db_password', subPath: 'db_password', readOnly: true },
    ]);
    const w = r.plans.find((p) => p.main.name === 'worker')!;
    expect(w.spec.volumes).toEqual([
      {
        name: 'secret-db-password-m400',
        secret: { secretName: 'db-password', items: [{ key: 'db_password', path: 'db_password', mode: 0o400 }] },
      },
    ]);
    const top = recs(r, undefined, 'secrets.db_password');
    expect(top).toHaveLength(1);
    expect(top[0]!.message).toContain('secrets/db.txt');
  });

  test('embed reads the file; environment-sourced secrets use the project environment', () => {
    const r = runSteps(
      {
        api: {
          image: 'api',
          secrets: [
            { source: 'db_password', target: '/run/secrets/db_password' },
            { source: 'key', target: '/run/secrets/key' },
          ],
        },
      },
      files,
      {
        options: { secrets: 'embed' },
        input: {
          secrets: { ...secrets, key: { environment: 'API_KEY', extensions: {} } },
          environment: { API_KEY: 'abc' },
        },
        files: fsFiles,
      },
    );
    expect((find(r, 'Secret', 'db-password') as Data).stringData).toEqual({ db_password: 's3cret\n' });
    expect((find(r, 'Secret', 'key') as Data).stringData).toEqual({ key: 'abc' });
  });

  test('unset environment variable → placeholder, approximated', () => {
    const r = runSteps({ api: { image: 'api', secrets: [{ source: 'key', target: '/run/secrets/key' }] } }, files, {
      options: { secrets: 'embed' },
      input: { secrets: { key: { environment: 'NOPE', extensions: {} } } },
    });
    expect((find(r, 'Secret', 'key') as Data).stringData).toEqual({ key: '<set-me: key>' });
    expect(recs(r, undefined, 'secrets.key')[0]!.status).toBe('approximated');
  });

  test('external secret: referenced by its name, not emitted; uid/gid reported', () => {
    const r = runSteps(
      { api: { image: 'api', secrets: [{ source: 'tls', target: '/run/secrets/tls', uid: '1000' }] } },
      files,
      {
        input: { secrets: { tls: { external: true, name: 'prod-tls', extensions: {} } } },
        external: { secrets: ['prod-tls'] },
      },
    );
    expect(has(r, 'Secret', 'prod-tls')).toBe(false);
    expect(r.plans[0]!.spec.volumes![0]!.secret!.secretName).toBe('prod-tls');
    expect(recs(r, undefined, 'secrets.tls')[0]!.fix).toContain('kubectl create secret generic prod-tls');
    // the mount's one entry says the owner cannot be set (storage/secrets.ts downgrades it)
    expect(recs(r, 'api', 'secrets')).toMatchObject([
      { path: 'secrets[0]', id: 'secrets.owner', status: 'approximated', objects: ['Secret/prod-tls'] },
    ]);
  });

  test('a mode only root may read, on a non-root service: pod fsGroup of its group makes the file readable', () => {
    // A Secret/ConfigMap volume's files are root's; 0400 alone leaves uid 1000 with EACCES (samples/secrets-configs).
    const input = {
      secrets: { key: { content: 'k', extensions: {} } },
      configs: { cfg: { content: 'c', extensions: {} } },
    };
    const r = runSteps(
      {
        api: {
          image: 'api',
          user: '1000:2000',
          secrets: [{ source: 'key', target: 'key.pem', mode: 0o400 }],
          configs: [{ source: 'cfg', target: '/etc/cfg', mode: 0o440 }],
        },
        // world-readable mode, or root: nothing to do
        open: { image: 'api', user: '1000', secrets: [{ source: 'key', target: 'key.pem', mode: 0o444 }] },
        root: { image: 'api', user: '0', secrets: [{ source: 'key', target: 'key.pem', mode: 0o400 }] },
      },
      files,
      { input },
    );
    const plan = (name: string) => r.plans.find((p) => p.services.some((s) => s.name === name))!;
    expect(plan('api').spec.securityContext).toMatchObject({ fsGroup: 2000, fsGroupChangePolicy: 'OnRootMismatch' });
    expect(item(r, 'api', 'secrets[0]')).toMatchObject({ id: 'secrets.mode-fsgroup', status: 'converted' });
    expect(item(r, 'api', 'secrets[0]')!.message).toContain('mode 0400 lets no other user read /run/secrets/key.pem');
    expect(item(r, 'api', 'configs[0]')).toMatchObject({ id: 'configs.mode-fsgroup', status: 'converted' });
    expect(plan('open').spec.securityContext?.fsGroup).toBeUndefined();
    expect(plan('root').spec.securityContext?.fsGroup).toBeUndefined();
    expect(item(r, 'root', 'secrets[0]')!.id).toBe('secrets.mounted');
  });

  test('configs: file and inline content → ConfigMaps mounted at the target', () => {
    const r = runSteps(
      {
        web: {
          image: 'nginx',
          configs: [
            { source: 'nginx', target: '/etc/nginx/nginx.conf' },
            { source: 'motd', target: '/motd' },
          ],
        },
      },
      files,
      {
        input: {
          configs: { nginx: { file: '/project/nginx.conf', extensions: {} }, motd: { content: 'hi', extensions: {} } },
        },
        files: fsFiles,
      },
    );
    expect((find(r, 'ConfigMap', 'nginx') as Data).data).toEqual({ nginx: 'events {}\n' });
    expect((find(r, 'ConfigMap', 'motd') as Data).data).toEqual({ motd: 'hi' });
    expect(ctr(r, 'web').volumeMounts).toContainEqual({
      name: 'config-nginx',
      mountPath: '/etc/nginx/nginx.conf',
      subPath: 'nginx',
      readOnly: true,
    });
    expect(recs(r, 'web', 'configs').every((e) => e.status === 'converted')).toBe(true);
  });

  test('a binary config becomes binaryData; with a text-only file system it is unsupported and not mounted', () => {
    const run = (textOnly: boolean) =>
      runSteps({ web: { image: 'nginx', configs: [{ source: 'bin', target: '/bin.dat' }] } }, files, {
        input: { configs: { bin: { file: '/project/bin.dat', extensions: {} } } },
        files: { '/project/bin.dat': new Uint8Array([0x61, 0x00, 0x62]) },
        textOnly,
      });
    const bytes = run(false);
    expect(find(bytes, 'ConfigMap', 'bin')).toMatchObject({ binaryData: { bin: 'YQBi' } });
    expect((find(bytes, 'ConfigMap', 'bin') as Data).data).toBeUndefined();
    expect(ctr(bytes, 'web').volumeMounts).toHaveLength(1);
    const r = run(true);
    expect(has(r, 'ConfigMap', 'bin')).toBe(false);
    expect(ctr(r, 'web').volumeMounts).toBeUndefined();
    expect(recs(r, undefined, 'configs.bin')[0]!.status).toBe('unsupported');
    expect(recs(r, 'web', 'configs')[0]!.status).toBe('unsupported');
  });
});

describe('credentials that do not say PASSWORD in their name', () => {
  test('a supabase-style service: JWT keys, crypto keys and DBPASS go to the Secret, not the ConfigMap', async () => {
    const { fromYaml } = await import('../../helpers/project.js');
    const { convertProject } = await import('../../../src/index.js');
    const { expectValid } = await import('../../helpers/validate.js');
    const jwt =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.DaYlNEoUrrEn2Ig7tqibS-PHK5vgusbcbo7X36XVt4Q';
    const p = fromYaml(`
services:
  storage:
    image: supabase/storage-api:v1.11
    environment:
      SERVICE_KEY: ${jwt}
      PG_META_CRYPTO_KEY: your-encryption-key-32-chars-min
      PAPERLESS_DBPASS: paperless
      POSTGREST_URL: http://rest:3000
      FILE_SIZE_LIMIT: "52428800"
`);
    const r = convertProject(p, {});
    expectValid(r.objects);
    const cm = r.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'storage-env') as Data;
    const secret = r.objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'storage-env-secret') as Data;
    expect(cm.data).toEqual({ POSTGREST_URL: 'http://rest:3000', FILE_SIZE_LIMIT: '52428800' });
    expect(Object.keys(secret.stringData!).sort()).toEqual(['PAPERLESS_DBPASS', 'PG_META_CRYPTO_KEY', 'SERVICE_KEY']);
    expect(JSON.stringify(r.objects)).not.toContain(jwt);
  });
});

describe('credentials left empty in compose', () => {
  test('mastodon-style SECRET_KEY_BASE= / SMTP_PASSWORD= go to the Secret, kept empty (no placeholder)', () => {
    const r = runSteps(
      {
        web: {
          image: 'ghcr.io/mastodon/mastodon:v4.3',
          environment: {
            SECRET_KEY_BASE: '',
            SMTP_PASSWORD: '',
            DB_PASS: 'hunter2',
            LOCAL_DOMAIN: 'example.com',
            SMTP_LOGIN: '',
          },
        },
      },
      env,
    );
    expect((find(r, 'ConfigMap', 'web-env') as Data).data).toEqual({ LOCAL_DOMAIN: 'example.com', SMTP_LOGIN: '' });
    expect((find(r, 'Secret', 'web-env-secret') as Data).stringData).toEqual({
      DB_PASS: '<set-me: DB_PASS>',
      SECRET_KEY_BASE: '',
      SMTP_PASSWORD: '',
    });
    for (const name of ['SECRET_KEY_BASE', 'SMTP_PASSWORD'])
      expect(item(r, 'web', `environment.${name}`)?.id).toBe('environment.secret-empty');
    expect(item(r, 'web', 'environment.DB_PASS')?.id).toBe('environment.secret-placeholder');
  });
});
