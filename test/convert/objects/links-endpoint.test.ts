import { describe, it, expect } from 'vitest';
import { convert, memoryFs } from '../../../src/index.js';
import { expectValid } from '../../helpers/validate.js';

function run(yaml: string) {
  const out = convert({
    files: [{ path: '/p/compose.yaml', content: yaml }],
    workingDir: '/p',
    fs: memoryFs({ '/p/compose.yaml': yaml }),
    env: {},
  });
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expectValid(out.objects);
  return out;
}
const entries = (out: ReturnType<typeof run>, svc: string, key: string) =>
  out.report!.entries.filter((e) => e.service === svc && e.key === key);

describe('links', () => {
  const out = run(`
services:
  web:
    image: web:1
    links: [db, "cache:redis-host", worker]
  db: { image: postgres:16, expose: ["5432"] }
  cache: { image: redis:7, expose: ["6379"] }
  worker: { image: worker:1 }
`);
  const byLink = (l: string) => entries(out, 'web', 'links').find((e) => e.message.startsWith(l + ':'))!;
  it('a plain link resolves through the Service name', () =>
    expect(byLink('db')).toMatchObject({ status: 'converted' }));
  it('an alias resolves through its own Service (aliases.ts)', () => {
    expect(byLink('cache:redis-host')).toMatchObject({ status: 'converted', objects: ['Service/redis-host'] });
  });
  it('a link to a service without ports has nothing to resolve', () =>
    expect(byLink('worker').message).toMatch(/no ports/));
});

describe('deploy.endpoint_mode', () => {
  it('dnsrr makes the Service headless; vip keeps the ClusterIP', () => {
    const out = run(`
services:
  a: { image: a:1, expose: ["80"], deploy: { endpoint_mode: dnsrr } }
  b: { image: b:1, expose: ["80"], deploy: { endpoint_mode: vip } }
`);
    const svc = (n: string) =>
      out.objects.find((o) => o.kind === 'Service' && o.metadata.name === n) as unknown as {
        spec: { clusterIP?: string };
      };
    expect(svc('a').spec.clusterIP).toBe('None');
    expect(svc('b').spec.clusterIP).toBeUndefined();
    expect(entries(out, 'a', 'deploy.endpoint_mode')[0]).toMatchObject({ status: 'converted', objects: ['Service/a'] });
    expect(entries(out, 'b', 'deploy.endpoint_mode')[0]).toMatchObject({ status: 'converted' });
  });
});

describe('links to a service that declares no ports', () => {
  it('legacy links: [db] / [db:postgres-host] to a postgres without ports: its Service (inferred 5432) resolves', () => {
    const out = run(`services:
  db:
    image: postgres:16
  worker:
    image: busybox
  app:
    image: ghcr.io/acme/app:1
    links: ["db", "db:postgres-host", "worker"]
`);
    const svc = out.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'db') as unknown as {
      spec: { ports: Array<{ port: number }> };
    };
    expect(svc.spec.ports.map((p) => p.port)).toEqual([5432]);
    const msgs = entries(out, 'app', 'links').map((e) => `${e.status}: ${e.message}`);
    expect(msgs).toContain(
      'approximated: db: reachable by its Service name db, whose port 5432 is inferred (the well-known port of its image)',
    );
    expect(
      msgs.find((m) => m.startsWith('approximated: db:postgres-host: alias postgres-host → Service/postgres-host')),
    ).toMatch(/inferred/);
    // busybox has no known port and nobody names a port: there really is no Service.
    expect(msgs).toContain('approximated: worker: worker declares no ports, so it has no Service to resolve');
    // ...but the link addresses it: a headless Service lets its name resolve to the pod IP, reported.
    const worker = out.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'worker') as unknown as {
      spec: { clusterIP?: string };
    };
    expect(worker.spec.clusterIP).toBe('None');
    expect(entries(out, 'worker', 'expose').map((e) => e.id)).toContain('expose.headless');
  });
});
