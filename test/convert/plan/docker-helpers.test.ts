import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { convert, memoryFs } from '../../../src/index.js';
import { expectValid } from '../../helpers/validate.js';
import { cronSchedule, parseTraefikRule } from '../../../src/convert/intent/docker-labels.js';

function run(name: string) {
  const yaml = readFileSync(new URL(`../../fixtures/dockerhelpers/${name}.yaml`, import.meta.url), 'utf8');
  const out = convert({
    files: [{ path: '/p/compose.yaml', content: yaml }],
    workingDir: '/p',
    fs: memoryFs({ '/p/compose.yaml': yaml }),
    env: {},
  });
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expectValid(out.objects);
  const entry = (service: string, path: string) =>
    out.report!.entries.find((e) => e.service === service && e.path === path);
  const named = (name: string) => out.objects.filter((o) => o.metadata.name === name).map((o) => o.kind);
  return { out, entry, named };
}

describe('Docker-bound helpers', () => {
  it('Traefik with the Docker provider gets no workload; router labels become Ingress rules of the labelled service', () => {
    const { out, entry, named } = run('traefik');
    expect(named('reverse-proxy')).toEqual([]);
    expect(entry('reverse-proxy', 'image')).toMatchObject({ id: 'docker-helper.traefik', status: 'approximated' });
    const ing = out.objects.find((o) => o.kind === 'Ingress' && o.metadata.name === 'whoami')!;
    const spec = ing.spec as { rules: Array<{ host?: string; http: { paths: Array<{ path: string }> } }> };
    expect(spec.rules.map((r) => [r.host, r.http.paths.map((p) => p.path)])).toEqual([
      ['whoami.example.com', ['/api']],
    ]);
    expect(entry('whoami', 'labels.traefik.http.routers.whoami.rule')).toMatchObject({
      id: 'traefik.router-ingress',
      objects: ['Ingress/whoami'],
    });
    // The middleware has no Ingress field: reported, not silently an annotation.
    expect(entry('whoami', 'labels.traefik.http.routers.whoami.middlewares')?.id).toBe('traefik.label-not-carried');
    // The init container would wait forever for a Service that does not exist.
    expect(entry('whoami', 'depends_on.reverse-proxy')?.id).toBe('depends_on.docker-helper');
    const whoami = out.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'whoami')!;
    expect(JSON.stringify(whoami)).not.toContain('wait-for-reverse-proxy');
    // A regex host and a service without a port to route each say why there is no Ingress rule.
    expect(entry('regex', 'labels.traefik.http.routers.regex.rule')).toMatchObject({
      id: 'traefik.rule-no-ingress',
      status: 'unsupported',
    });
    expect(entry('regex', 'labels.traefik.http.routers.regex.rule')?.message).toContain('HostRegexp');
    expect(entry('other', 'labels.traefik.http.routers.other.rule')?.id).toBe('traefik.rule-no-ingress');
    expect(named('regex')).not.toContain('Ingress');
  });

  it('ofelia, watchtower, autoheal and portainer get no workload; each ofelia job is reported with its schedule', () => {
    const { out, entry, named } = run('ofelia');
    for (const s of ['ofelia', 'watchtower', 'autoheal', 'portainer']) expect(named(s)).toEqual([]);
    expect(entry('watchtower', 'image')).toMatchObject({ id: 'docker-helper.dropped', status: 'unsupported' });
    expect(entry('portainer', 'image')?.id).toBe('docker-helper.dropped');
    expect(entry('autoheal', 'image')?.id).toBe('docker-helper.autoheal');
    expect(entry('ofelia', 'image')?.id).toBe('docker-helper.ofelia');
    const backup = entry('app', 'labels.ofelia.job-exec.backup.schedule')!;
    expect(backup).toMatchObject({ id: 'ofelia.job-not-converted', status: 'unsupported' });
    expect(backup.fix).toContain('"0 3 * * *"');
    expect(entry('app', 'labels.ofelia.job-exec.ping.schedule')?.fix).toContain('seconds field */10');
    expect(entry('ofelia', 'labels.ofelia.job-run.cleanup.schedule')?.fix).toContain('"*/30 * * * *"');
    expect(out.objects.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
    expect(named('app')).toContain('Deployment');
  });

  it('a service with a Docker image name but no Docker access is converted as usual', () => {
    const yaml =
      'services:\n  traefik:\n    image: traefik:v3\n    command: ["--providers.file.directory=/etc/t"]\n    ports: ["80:80"]\n';
    const out = convert({
      files: [{ path: '/p/c.yaml', content: yaml }],
      workingDir: '/p',
      fs: memoryFs({ '/p/c.yaml': yaml }),
      env: {},
    });
    expect(out.objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'traefik')).toBe(true);
  });
});

describe('one-shot helpers', () => {
  it('a replica-set initiation, a migration and a migration image become Jobs with the evidence; servers stay', () => {
    const { entry, named } = run('oneshot');
    expect(named('mongo-init')).toEqual(['Job']);
    expect(entry('mongo-init', 'controller')?.message).toContain('rs.initiate');
    expect(named('migrate')).toEqual(['Job']);
    expect(entry('migrate', 'controller')).toMatchObject({ id: 'controller.one-shot' });
    expect(entry('migrate', 'controller')?.message).toContain('Django migrations');
    expect(named('schema')).toEqual(['Job']);
    // Migrates, then serves; or compose restarts it forever: not one-shot.
    expect(named('migrate-then-serve')).toContain('Deployment');
    expect(named('always-migrate')).toContain('Deployment');
    expect(named('web')).toContain('Deployment');
  });
});

describe('label parsing', () => {
  it('Traefik rules: Host and PathPrefix map, alternatives of hosts give one rule each, other matchers do not', () => {
    expect(parseTraefikRule('Host(`a.io`) && PathPrefix(`/b`)')).toEqual({ rules: [{ host: 'a.io', path: '/b' }] });
    expect(parseTraefikRule('Host(`a.io`) || Host(`b.io`)')).toEqual({ rules: [{ host: 'a.io' }, { host: 'b.io' }] });
    expect(parseTraefikRule('(Host(`a.io`) || Host(`b.io`)) && PathPrefix(`/x`)')).toEqual({
      rules: [
        { host: 'a.io', path: '/x' },
        { host: 'b.io', path: '/x' },
      ],
    });
    expect(parseTraefikRule('PathPrefix(`/api`)')).toEqual({ rules: [{ path: '/api' }] });
    expect(parseTraefikRule('Host(`a.io`) && Headers(`X`, `y`)')).toHaveProperty('why');
    expect(parseTraefikRule('Host(`a.io`) || PathPrefix(`/b`)')).toHaveProperty('why');
  });

  it('ofelia schedules: seconds at 0 and @every that divides an hour or a day map, the rest says why', () => {
    expect(cronSchedule('0 30 2 * * *')).toEqual({ cron: '30 2 * * *' });
    expect(cronSchedule('0 0 1 ? * MON')).toEqual({ cron: '0 1 * * MON' });
    expect(cronSchedule('@every 15m')).toEqual({ cron: '*/15 * * * *' });
    expect(cronSchedule('@every 6h')).toEqual({ cron: '0 */6 * * *' });
    expect(cronSchedule('@every 24h')).toEqual({ cron: '0 0 * * *' });
    expect(cronSchedule('@midnight')).toEqual({ cron: '@daily' });
    expect(cronSchedule('@every 90s')).toHaveProperty('why');
    expect(cronSchedule('@every 7m')).toHaveProperty('why');
    expect(cronSchedule('15 * * * * *')).toHaveProperty('why');
  });
});

describe('definitions only dropped helpers use', () => {
  it('a secret only Traefik (Docker provider) uses gets no Secret and an ignored entry, never report.unhandled', () => {
    const yaml = [
      'services:',
      '  traefik:',
      '    image: traefik:v3',
      '    command: ["--providers.docker=true"]',
      '    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]',
      '    secrets: [dns_key]',
      '  whoami:',
      '    image: traefik/whoami',
      '    secrets: [shared]',
      'secrets:',
      '  dns_key: {environment: DNS_KEY}',
      '  shared: {environment: DNS_KEY}',
      '',
    ].join('\n');
    const out = convert({
      files: [{ path: '/p/c.yaml', content: yaml }],
      workingDir: '/p',
      fs: memoryFs({ '/p/c.yaml': yaml }),
      env: { DNS_KEY: 'k' },
    });
    const entries = out.report!.entries;
    expect(entries.filter((e) => e.id === 'report.unhandled')).toEqual([]);
    expect(entries.find((e) => e.path === 'secrets.dns_key')).toMatchObject({
      id: 'docker-helper.definition-not-created',
      status: 'ignored',
    });
    expect(entries.find((e) => e.path === 'secrets.shared')?.id).not.toBe('docker-helper.definition-not-created');
    expect(out.objects.some((o) => o.kind === 'Secret' && o.metadata.name.includes('dns-key'))).toBe(false);
  });
});
