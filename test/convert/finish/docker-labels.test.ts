/**
 * With --ingress gateway, what a Traefik router's middlewares become on its HTTPRoute rule (URLRewrite for a
 * stripprefix of its own path) and what its entry says: the rule and the entry read one decision
 * (intent/docker-labels.ts), so they cannot disagree.
 */
import { describe, expect, it } from 'vitest';
import { convert, memoryFs } from '../../../src/index.js';
import { expectValid } from '../../helpers/validate.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const GW = { ingress: 'gateway', gateway: 'gw/infra' } as const;

function run(yaml: string, options: Partial<ConvertOptions> = GW) {
  const out = convert({
    files: [{ path: '/p/compose.yaml', content: yaml }],
    workingDir: '/p',
    fs: memoryFs({ '/p/compose.yaml': yaml }),
    env: {},
    options,
  });
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expectValid(out.objects);
  const entry = (service: string, router: string) =>
    out.report!.entries.find((e) => e.service === service && e.path === `labels.traefik.http.routers.${router}.rule`)!;
  /** `hostnames path → filters` of every HTTPRoute rule. */
  const rules = () =>
    out.objects
      .filter((o) => o.kind === 'HTTPRoute')
      .flatMap((o) =>
        (o.spec as Loose).rules.map((r: Loose) => ({
          at: `${((o.spec as Loose).hostnames ?? ['*']).join(',')}${r.matches[0].path.value}`,
          filters: r.filters,
        })),
      );
  const labelEntries = (prefix: string) =>
    out.report!.entries.filter((e) => e.path.startsWith(`labels.${prefix}`)).map((e) => `${e.path} ${e.id}`);
  return { out, entry, rules, labelEntries };
}

const STRIP = [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }];

const router = (name: string, rule: string, extra: string[] = []) =>
  [`traefik.http.routers.${name}.rule=${rule}`, ...extra.map((x) => `traefik.http.routers.${name}.${x}`)]
    .map((l) => `      - "${l}"`)
    .join('\n');

describe('Traefik stripprefix under --ingress gateway: the rule and the entry agree', () => {
  it('a rule the HTTPRoute does not hold (x-k8s hosts replace the routers) carries no filter, and the entry says none', () => {
    const { rules, entry, labelEntries } = run(`
services:
  app:
    image: nginx
    labels:
      - traefik.enable=true
${router('app', 'Host(`a.example.com`) && PathPrefix(`/app`)', ['middlewares=strip'])}
      - traefik.http.middlewares.strip.stripprefix.prefixes=/app
    x-k8s:
      ingress:
        hosts: [other.example.com]
`);
    expect(rules()).toEqual([{ at: 'other.example.com/', filters: undefined }]);
    expect(entry('app', 'app').message).not.toContain('URLRewrite');
    expect(entry('app', 'app').message).toContain('strip (stripprefix: the path prefix is no longer stripped)');
    expect(labelEntries('traefik.http.middlewares.')).toEqual([
      'labels.traefik.http.middlewares.strip.stripprefix.prefixes traefik.label-not-carried',
    ]);
  });

  it('a stripped rule carries URLRewrite, and the entry names it', () => {
    const { rules, entry, labelEntries } = run(`
services:
  app:
    image: nginx
    labels:
      - traefik.enable=true
${router('app', 'Host(`a.example.com`) && PathPrefix(`/app`)', ['middlewares=strip'])}
      - traefik.http.middlewares.strip.stripprefix.prefixes=/app
`);
    expect(rules()).toEqual([{ at: 'a.example.com/app', filters: STRIP }]);
    expect(entry('app', 'app')).toMatchObject({ id: 'traefik.router-route', status: 'converted' });
    expect(labelEntries('traefik.http.middlewares.')).toEqual([]);
  });
});
