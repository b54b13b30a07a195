/**
 * The README's library example, through the package's public entry only: load + convert, then
 * render the manifests and the report — the same text the CLI prints.
 */
import { describe, it, expect } from 'vitest';
import { parseAllDocuments } from 'yaml';
import * as api from '../../src/index.js';

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
  it('exports "." (browser-safe) and "./node" (file system adapter) with types', async () => {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, { types: string; import: string }>;
    };
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
    expect(pkg.exports['./node']).toEqual({ types: './dist/node/index.d.ts', import: './dist/node/index.js' });
    const node = await import('../../src/node/index.js');
    expect(typeof node.nodeFs.readFile).toBe('function');
    expect(typeof node.writeDirAtomic).toBe('function');
  });
});
