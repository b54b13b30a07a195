/**
 * One credential, one Secret key (issue 12 §4): a password interpolated into the database's POSTGRES_PASSWORD and
 * into a peer's DATABASE_URL (and a worker's command) is one key of one project Secret, read by every user.
 */
import { describe, expect, it } from 'vitest';
import type { Container, EnvVar, Secret } from 'kubernetes-types/core/v1.js';
import { convertProject } from '../../../src/index.js';
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
