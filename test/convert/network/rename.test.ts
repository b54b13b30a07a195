import { describe, expect, test } from 'vitest';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { convertProject } from '../../../src/index.js';
import { findNames, nameMatcher } from '../../../src/convert/network/rename.js';
import { memoryFs } from '../../../src/load/fs.js';
import { fromYaml } from '../../helpers/project.js';
import { expectValid } from '../../helpers/validate.js';
import { obj, pod } from '../run.js';

/** A wazuh-like stack: dotted service names, an nginx config that routes to them, a postfix milter. */
const COMPOSE = `
services:
  wazuh.master:
    image: wazuh/wazuh-manager:4.9.0
    expose: ["55000", "1515"]
  wazuh.indexer:
    image: wazuh/wazuh-indexer:4.9.0
    environment:
      node.name: wazuh.indexer
  wazuh.dashboard:
    image: wazuh/wazuh-dashboard:4.9.0
    environment:
      INDEXER_URL: https://wazuh.indexer:9200
      WAZUH_API_URL: https://wazuh.master
      DASHBOARD_DB: wazuh.master
    command: ["sh", "-c", "until nc -z wazuh.master 55000; do sleep 1; done; exec /entrypoint.sh"]
  Mail_Filter:
    image: rspamd/rspamd:3.8
  nginx:
    image: nginx:1.27
    volumes:
      - ./nginx.conf:/etc/nginx/nginx.conf:ro
  postfix:
    image: boky/postfix:4
    volumes:
      - ./main.cf:/etc/postfix/main.cf:ro
`;

const NGINX = `events {}
http {
  upstream wazuh.master {
    server wazuh.master:55000;
  }
  server {
    listen 80;
    location /api { proxy_pass https://wazuh.master; }
    location /php { fastcgi_pass wazuh.dashboard:9000; }
    # logs go to /var/log/wazuh.master/access.log
    location /db { return 200 "wazuh.indexer"; }
  }
}
`;

const MAIN_CF = `smtpd_milters = inet:Mail_Filter:11332
relayhost = [Mail_Filter]
`;

function convert() {
  const files = { 'nginx.conf': NGINX, 'main.cf': MAIN_CF };
  const p = fromYaml(COMPOSE, files);
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) all[`/project/${k}`] = v;
  const r = convertProject(p, {}, memoryFs(all));
  expectValid(r.objects);
  return r;
}

const items = (r: ReturnType<typeof convert>, service: string, id: string) =>
  r.report.entries.filter((e) => e.service === service && e.id === id);

describe('references to services renamed for Kubernetes', () => {
  test('nginx upstream/server/proxy_pass/fastcgi_pass are rewritten; a path and a quoted word are not', () => {
    const r = convert();
    const cm = obj(r, 'ConfigMap', 'nginx-nginx-conf') as ConfigMap;
    const text = cm.data!['nginx.conf']!;
    expect(text).toContain('upstream wazuh-master {');
    expect(text).toContain('server wazuh-master:55000;');
    expect(text).toContain('proxy_pass https://wazuh-master;');
    expect(text).toContain('fastcgi_pass wazuh-dashboard:9000;');
    expect(text).toContain('/var/log/wazuh.master/access.log');
    expect(text).toContain('"wazuh.indexer"');
    const done = items(r, 'nginx', 'renamed-hosts.rewritten');
    expect(done).toHaveLength(1);
    expect(done[0]!.message).toMatch(/^nginx\.conf lines 3, 4, 8, 9: host wazuh\.master, wazuh\.dashboard rewritten/);
    const left = items(r, 'nginx', 'renamed-hosts.not-rewritten');
    expect(left).toHaveLength(1);
    expect(left[0]!.message).toMatch(/^nginx\.conf line 11 names wazuh\.indexer/);
    expect(left[0]!.pos).toMatchObject({ file: '/project/nginx.conf', line: 11 });
  });

  test('postfix inet:host:port and relayhost [host] are rewritten', () => {
    const r = convert();
    const text = (obj(r, 'ConfigMap', 'postfix-main-cf') as ConfigMap).data!['main.cf']!;
    expect(text).toBe('smtpd_milters = inet:mail-filter:11332\nrelayhost = [mail-filter]\n');
    expect(items(r, 'postfix', 'renamed-hosts.rewritten')[0]!.message).toMatch(/main\.cf lines 1, 2: host Mail_Filter/);
  });

  test("peers' environment and command are rewritten; a database named like the service is reported, not changed", () => {
    const r = convert();
    const env = (obj(r, 'ConfigMap', 'wazuh-dashboard-env') as ConfigMap).data!;
    expect(env['INDEXER_URL']).toBe('https://wazuh-indexer:9200');
    expect(env['WAZUH_API_URL']).toBe('https://wazuh-master');
    expect(env['DASHBOARD_DB']).toBe('wazuh.master');
    const c = pod(r, 'wazuh-dashboard').containers[0]!;
    expect(c.args!.join(' ')).toContain('until nc -z wazuh-master 55000');
    const left = items(r, 'wazuh.dashboard', 'renamed-hosts.not-rewritten');
    expect(left.map((e) => e.message)).toEqual([
      expect.stringMatching(/^environment DASHBOARD_DB names wazuh\.master/),
    ]);
    // Its own node name is its identity, not a peer reference: neither rewritten nor reported.
    expect((obj(r, 'ConfigMap', 'wazuh-indexer-env') as ConfigMap).data!['node.name']).toBe('wazuh.indexer');
    expect(r.report.entries.filter((e) => e.service === 'wazuh.indexer' && e.key.startsWith('renamed-hosts'))).toEqual(
      [],
    );
  });

  test("the renamed service's own entry says where peers' references were rewritten and where they were left", () => {
    const r = convert();
    const e = r.report.entries.find((x) => x.service === 'wazuh.master' && x.key === 'name')!;
    expect(e.id).toBe('name.renamed');
    expect(e.message).toMatch(/rewritten in [^;]*wazuh\.dashboard environment WAZUH_API_URL/);
    expect(e.message).toMatch(/rewritten in [^;]*wazuh\.dashboard command/);
    expect(e.message).toMatch(/rewritten in [^;]*nginx nginx\.conf lines 3, 4, 8, 9/);
    expect(e.message).toMatch(/left in wazuh\.dashboard environment DASHBOARD_DB/);
  });

  test('nothing renamed: no items, the texts are untouched', () => {
    const r = convertProject(
      fromYaml(`
services:
  db: {image: postgres:16}
  app: {image: app, environment: {DATABASE_URL: "postgres://db:5432/db"}}
`),
    );
    expect(r.report.entries.filter((e) => e.key.startsWith('renamed-hosts'))).toEqual([]);
    expect((obj(r, 'ConfigMap', 'app-env') as ConfigMap).data!['DATABASE_URL']).toBe('postgres://db:5432/db');
  });
});

describe('the name matcher', () => {
  const m = nameMatcher(['plausible_db', 'wazuh.master']);
  const hosts = (text: string, kind: 'value' | 'words' | 'file', key = '') =>
    findNames(text, m, kind, key).map((h) => [text.slice(h.offset, h.offset + h.length), h.host]);
  test('URLs with userinfo and a database path: the host is rewritten, the database name is not matched', () => {
    expect(hosts('postgres://postgres@plausible_db:5432/plausible_db', 'value', 'DATABASE_URL')).toEqual([
      ['plausible_db', true],
    ]);
  });
  test('host-like keys take a bare value or a list; other keys do not', () => {
    expect(hosts('plausible_db', 'value', 'DB_HOST')).toEqual([['plausible_db', true]]);
    expect(hosts('a,wazuh.master', 'value', 'discovery.seed_hosts')).toEqual([['wazuh.master', true]]);
    expect(hosts('plausible_db', 'value', 'POSTGRES_DB')).toEqual([['plausible_db', false]]);
  });
  test('a longer dotted name or file name is not the service', () => {
    expect(hosts('wazuh.master.example.com wazuh.master.pem', 'file')).toEqual([]);
    expect(hosts('PLAUSIBLE_DB:5432', 'value', 'X')).toEqual([['PLAUSIBLE_DB', true]]);
  });
  test('command options', () => {
    expect(hosts('pg_isready -h plausible_db -U postgres', 'words')).toEqual([['plausible_db', true]]);
    expect(hosts('--host=plausible_db', 'words')).toEqual([['plausible_db', true]]);
  });
});

describe('references in entrypoints, probes, configs and Secret values', () => {
  const COMPOSE_MORE = `
services:
  wazuh.master:
    image: wazuh/wazuh-manager:4.9.0
    expose: ["55000"]
  app:
    image: example/app
    entrypoint: ["wait-for", "wazuh.master:55000", "--"]
    command: ["run"]
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -h wazuh.master"]
    environment:
      API_SECRET: https://admin:\${PW}@wazuh.master:55000
    configs:
      - source: appconf
        target: /etc/app.conf
configs:
  appconf:
    file: ./app.conf
`;
  const run = () => {
    const files = { '.env': 'PW=hunter2hunter2\n', 'app.conf': 'upstream = wazuh.master:55000\n' };
    const p = fromYaml(COMPOSE_MORE, files, { PW: 'hunter2hunter2' });
    const r = convertProject(p, {}, memoryFs({ '/project/app.conf': files['app.conf'] }));
    expectValid(r.objects);
    return r;
  };

  test('the entrypoint, every probe and a configs: file are rewritten; a value in a Secret placeholder is left', () => {
    const r = run();
    const c = pod(r, 'app').containers[0]!;
    expect(c.command).toEqual(['wait-for', 'wazuh-master:55000', '--']);
    for (const p of [c.readinessProbe, c.livenessProbe, c.startupProbe])
      expect(p!.exec!.command).toEqual(['sh', '-c', 'pg_isready -h wazuh-master']);
    const cm = r.objects.find((o) => o.kind === 'ConfigMap' && JSON.stringify(o).includes('upstream')) as ConfigMap;
    expect(Object.values(cm.data!)).toEqual(['upstream = wazuh-master:55000\n']);
    const messages = r.report.entries.filter((e) => e.service === 'app' && e.key.startsWith('renamed-hosts'));
    expect(messages.map((e) => [e.id, e.message.split(':')[0]])).toEqual([
      [
        'renamed-hosts.not-rewritten',
        'environment API_SECRET names wazuh.master (1×), which is wazuh-master in the cluster, but not recognizably as a host name (or in a value not written out, such as a Secret placeholder)',
      ],
      ['renamed-hosts.rewritten', 'entrypoint'],
      ['renamed-hosts.rewritten', 'healthcheck'],
      ['renamed-hosts.rewritten', 'app.conf line 1'],
    ]);
    expect(messages[3]!.pos).toMatchObject({ file: '/project/app.conf', line: 1 });
  });
});

describe('service names that start with a digit (Service names are DNS-1035 labels)', () => {
  const COMPOSE_DIGIT = `
services:
  2fa:
    image: 2fauth/2fauth:5
    ports: ["8000:8000"]
  web:
    image: nginx:1.27
    environment:
      UPSTREAM_URL: http://2fa:8000/
    links: ["2fa:9auth"]
`;
  const run = () => {
    const r = convertProject(fromYaml(COMPOSE_DIGIT), {}, memoryFs({}));
    expectValid(r.objects);
    return r;
  };

  test('the Service gets a letter first, and peers that name it are rewritten', () => {
    const r = run();
    const services = r.objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name);
    expect(services).toContain('svc-2fa');
    expect(services).toContain('svc-9auth');
    for (const n of services) expect(n).toMatch(/^[a-z]/);
    expect((obj(r, 'ConfigMap', 'web-env') as ConfigMap).data!['UPSTREAM_URL']).toBe('http://svc-2fa:8000/');
    const e = r.report.entries.find((x) => x.service === '2fa' && x.key === 'name')!;
    expect(e.id).toBe('name.renamed');
    expect(e.message).toMatch(/2fa becomes svc-2fa/);
  });
});

describe('a renamed service no peer names in the file (reached by an image default)', () => {
  // plausible CE: DATABASE_URL defaults to postgres://...@plausible_db:5432/... inside the image.
  const r = convertProject(
    fromYaml(`services:
  plausible_db:
    image: postgres:16-alpine
  plausible:
    image: ghcr.io/plausible/community-edition:v3.2.0
    depends_on: [plausible_db]
`),
    {},
    memoryFs({}),
  );

  test('the fix says to give the peers the new name in their configuration, not to rename the service', () => {
    const e = r.report.entries.find((x) => x.service === 'plausible_db' && x.key === 'name')!;
    expect(e).toMatchObject({ id: 'name.renamed-unreferenced', status: 'approximated' });
    expect(e.message).toContain('no peer names it in the file');
    expect(e.fix).toMatch(
      /^give each peer that reaches plausible_db by its image's default the host name plausible-db/,
    );
    expect(e.fix).toContain('renaming the compose service does not change an image default');
  });
});
