/**
 * `--ingress gateway --gateway gw/infra` over the whole corpus: every case set converts with no internal error and
 * no error, into objects the validator accepts (HTTPRoutes included: Gateway API schema, strict fields, CEL rules,
 * backendRefs naming a Service port we emit), with no Ingress left, the report invariants kept, and HTTPRoutes that
 * route exactly what the Ingresses of the plain conversion route (host, path, Service, port). Skipped without the
 * corpus.
 */
import { describe, expect, test } from 'vitest';
import { convertProject, type ConvertResult } from '../../src/index.js';
import type { ConvertOptions } from '../../src/convert/intent/options.js';
import { nodeFs } from '../../src/node/fs.js';
import { formatIssues, validateObjects } from '../helpers/validate.js';
import { CORPUS_GROUPS, corpusCaseSets, loadCaseSet } from './cases.js';
import { externals } from './convert.js';
import { reportProblems } from './report-invariants.js';

const GATEWAY: Partial<ConvertOptions> = { ingress: 'gateway', gateway: 'gw/infra' };

type J = Record<string, unknown>;
const obj = (v: unknown): J => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {});
const arr = (v: unknown): J[] => (Array.isArray(v) ? v.map(obj) : []);

/** `host path → service:port` for every Ingress path (port names resolved to the Service's port numbers). */
function ingressTable(r: ConvertResult): string[] {
  const ports = new Map<string, number>();
  for (const o of r.objects)
    if (o.kind === 'Service')
      for (const p of arr(obj(o.spec).ports)) ports.set(`${o.metadata.name}/${String(p.name)}`, Number(p.port));
  return r.objects
    .filter((o) => o.kind === 'Ingress')
    .flatMap((o) =>
      arr(obj(o.spec).rules).flatMap((rule) =>
        arr(obj(rule.http).paths).map((p) => {
          const s = obj(obj(p.backend).service);
          const port =
            obj(s.port).name !== undefined
              ? ports.get(`${String(s.name)}/${String(obj(s.port).name)}`)
              : obj(s.port).number;
          return `${String(rule.host ?? '*')} ${String(p.path)} → ${String(s.name)}:${String(port)}`;
        }),
      ),
    )
    .sort();
}

/**
 * The same for HTTPRoutes: every hostname × rule. Matches on headers are left out: an Ingress cannot carry them (a
 * header a Traefik rule excludes; traefik-routing.test.ts checks them).
 */
function routeTable(r: ConvertResult): string[] {
  return r.objects
    .filter((o) => o.kind === 'HTTPRoute')
    .flatMap((o) => {
      const spec = obj(o.spec);
      const hosts = Array.isArray(spec.hostnames) ? (spec.hostnames as string[]) : ['*'];
      return hosts.flatMap((h) =>
        arr(spec.rules).flatMap((rule) =>
          arr(rule.matches)
            .filter((m) => !Array.isArray(m.headers))
            .map((m) => {
              const b = arr(rule.backendRefs)[0]!;
              return `${h} ${String(obj(m.path).value)} → ${String(b.name)}:${String(b.port)}`;
            }),
        ),
      );
    })
    .sort();
}

const all = corpusCaseSets().filter((s) => !s.expected);

describe.skipIf(all.length === 0)('corpus conversion with --ingress gateway', () => {
  for (const group of CORPUS_GROUPS) {
    test(`${group}: valid HTTPRoutes that route what the Ingresses route`, () => {
      const problems: string[] = [];
      let routes = 0;
      let ingresses = 0;
      for (const s of all.filter((x) => x.group === group)) {
        const loaded = loadCaseSet(s);
        if (!loaded.project) continue; // the loader test reports it
        const plain = convertProject(loaded.project, {}, nodeFs);
        const r = convertProject(loadCaseSet(s).project!, GATEWAY, nodeFs);
        // Errors the plain conversion has too (an invalid kompose label in a fixture) are not the gateway's.
        const before = new Set(plain.diagnostics.map((d) => `${d.code}: ${d.message}`));
        for (const d of r.diagnostics.filter((x) => x.severity === 'error' || x.code === 'internal-error'))
          if (!before.has(`${d.code}: ${d.message}`)) problems.push(`${s.label}: ${d.code}: ${d.message}`);
        const issues = validateObjects(r.objects, externals(loaded.project));
        if (issues.length) problems.push(`${s.label}:\n${formatIssues(issues)}`);
        for (const p of reportProblems(r.report)) problems.push(`${s.label}: ${p}`);
        if (r.objects.some((o) => o.kind === 'Ingress')) problems.push(`${s.label}: an Ingress in gateway mode`);
        // Paths an HTTPRoute cannot hold are left out, each reported.
        const skipped = r.report.entries.filter((e) => e.id === 'ports.route-path-invalid').length;
        const want = ingressTable(plain);
        const got = routeTable(r);
        if (skipped === 0 && JSON.stringify(got) !== JSON.stringify(want))
          problems.push(`${s.label}: routes differ:\n  ingress: ${want.join(', ')}\n  gateway: ${got.join(', ')}`);
        routes += r.objects.filter((o) => o.kind === 'HTTPRoute').length;
        ingresses += plain.objects.filter((o) => o.kind === 'Ingress').length;
      }
      expect(problems).toEqual([]);
      // Every pod with an Ingress gets at least one HTTPRoute.
      expect(routes).toBeGreaterThanOrEqual(ingresses);
      if (group !== 'kompose') expect(ingresses).toBeGreaterThan(0);
    }, 300_000);
  }
});
