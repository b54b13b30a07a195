/**
 * The README's library example, through the package's public entry only: load + convert, then
 * render the manifests and the report — the same text the CLI prints.
 */
import { describe, it, expect } from 'vitest';
import { parseAllDocuments } from 'yaml';
import * as api from '../../src/index.js';
import { fill, messageParts } from '../../src/convert/book.js';
import type { OutcomeId } from '../../src/mappings/outcomes.js';

describe('public API (src/index.ts)', () => {
  it('converts inline files and renders YAML, JSON, files, Helm, Kustomize and the report', () => {
    const text = 'services:\n  web:\n    image: nginx:1.25\n    ports: ["8080:80"]\n';
    const { objects, report, diagnostics } = api.convert({ files: [{ path: '/app/compose.yaml', content: text }] });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const yaml = api.renderYaml(objects);
    const kinds = parseAllDocuments(yaml).map((d) => (d.toJS() as { kind: string }).kind);
    expect(kinds).toEqual(expect.arrayContaining(['Deployment', 'Service', 'Ingress']));
    expect(JSON.parse(api.renderJson(objects)).kind).toBe('List');
    expect(api.renderFiles(objects).map((f) => f.path)).toContain('deployment-web.yaml');
    expect(api.renderHelmChart(objects, { name: 'app' }).map((f) => f.path)).toContain('Chart.yaml');
    expect(api.renderKustomize(objects).map((f) => f.path)).toContain('kustomization.yaml');
    expect(api.formatReport(report!)).toMatch(/web\s+image\s+converted/);
    expect(JSON.parse(api.formatReportJson(report!)).project).toBe('app');
    expect(api.VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('package entry points', () => {
  it('exports "." (lean under the browser condition), "./browser", "./texts", "./render" and "./node" with types', async () => {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    // `default`, not `import`: the ES modules also load through require() (Node 20.19+) and older resolvers.
    expect(pkg.exports['.']).toEqual({
      browser: { types: './dist/browser.d.ts', default: './dist/browser.js' },
      types: './dist/index.d.ts',
      default: './dist/index.js',
    });
    expect(pkg.exports['./browser']).toEqual({ types: './dist/browser.d.ts', default: './dist/browser.js' });
    expect(pkg.exports['./texts']).toEqual({
      types: './dist/mappings/texts.d.ts',
      default: './dist/mappings/texts.js',
    });
    expect(pkg.exports['./render']).toEqual({ types: './dist/renderers.d.ts', default: './dist/renderers.js' });
    expect(pkg.exports['./node']).toEqual({ types: './dist/node/index.d.ts', default: './dist/node/index.js' });
    const node = await import('../../src/node/index.js');
    expect(typeof node.nodeFs.readFile).toBe('function');
    expect(typeof node.writeDirAtomic).toBe('function');
  });

  it('the lean entry converts the same, without fixes unless given the texts, and without the other layouts', async () => {
    const lean = await import('../../src/browser.js');
    const { TEXTS } = await import('../../src/mappings/texts.js');
    const text = [
      'services:',
      '  web:',
      '    image: nginx:1.25',
      '    ports: ["8080:80"]',
      '    stop_signal: SIGUSR1',
      '    depends_on: {db: {condition: service_healthy}}',
      '  db: {image: postgres:16}',
      '',
    ].join('\n');
    const input = { files: [{ path: '/app/compose.yaml', content: text }] };
    const full = api.convert(input);
    const bare = lean.convert(input);
    const given = lean.convert({ ...input, texts: TEXTS });
    const withFix = full.report!.entries.filter((e) => e.fix);
    expect(withFix.length).toBeGreaterThan(1);
    expect(bare.report!.entries.filter((e) => e.fix)).toEqual([]);
    // Without the texts: the same entries (ids, values, statuses, objects, positions), minus the fixes, and each
    // message is its parts' outcome ids and values; with them, each message is its parts' templates filled.
    const strip = ({ fix: _fix, message: _message, ...e }: api.ReportEntry) => e;
    expect(bare.report!.entries.map(strip)).toEqual(full.report!.entries.map(strip));
    const fallback = (p: { id: string; values: object }) =>
      Object.keys(p.values).length
        ? `${p.id} (${Object.entries(p.values)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(', ')})`
        : p.id;
    for (const e of bare.report!.entries) expect(e.message).toBe(messageParts(e).map(fallback).join('; '));
    expect(bare.report!.entries.find((e) => e.id === 'image.set')?.message).toBe('image.set (image=nginx:1.25)');
    for (const e of full.report!.entries)
      expect(e.message).toBe(
        messageParts(e)
          .map((p) => fill(TEXTS.messages[p.id as OutcomeId], p.values, p.id, 'outcome', TEXTS.phrases))
          .join('; '),
      );
    expect(api.formatReportJson(given.report!)).toBe(api.formatReportJson(full.report!));
    expect(api.renderYaml(bare.objects)).toBe(api.renderYaml(full.objects));
    expect(bare.diagnostics.map((d) => d.code)).toEqual(full.diagnostics.map((d) => d.code));
    expect('renderHelmChart' in lean).toBe(false);
    expect('renderKustomize' in lean).toBe(false);
    expect('TEXTS' in lean).toBe(false);
    expect('formatReport' in lean).toBe(false);
    const render = await import('../../src/renderers.js');
    expect(render.renderHelmChart).toBe(api.renderHelmChart);
    expect(render.formatReportJson).toBe(api.formatReportJson);
  });
});
