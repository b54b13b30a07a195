/**
 * Every project in samples/ is converted and compared byte for byte with its committed expected
 * output (samples/<name>/expected/manifests.yaml and report.json). The conversion runs with an
 * empty process environment so the result depends only on the files. After an intended change,
 * regenerate with `npm run samples:update` and review the diff.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convert, loadProject } from '../../src/index.js';
import { nodeFs } from '../../src/node/fs.js';
import { renderYaml } from '../../src/render/yaml.js';
import { formatReportJson } from '../../src/report/format.js';
import { expectValid } from '../helpers/validate.js';

const samplesDir = fileURLToPath(new URL('../../samples', import.meta.url));
const UPDATE = process.env['UPDATE_SAMPLES'] === '1';
const samples = readdirSync(samplesDir)
  .filter((n) => existsSync(join(samplesDir, n, 'compose.yaml')))
  .sort();

function run(name: string): { manifests: string; report: string; errors: string[] } {
  const dir = join(samplesDir, name);
  const out = convert({ files: ['compose.yaml'], workingDir: dir, fs: nodeFs, env: {} });
  expectValid(out.objects);
  return {
    manifests: renderYaml(out.objects),
    report: out.report ? formatReportJson(out.report, { baseDir: dir }) : '',
    errors: out.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`),
  };
}

describe('samples', () => {
  it('ships at least eight sample projects', () => {
    expect(samples.length).toBeGreaterThanOrEqual(8);
  });

  describe.each(samples)('%s', (name) => {
    const expectedDir = join(samplesDir, name, 'expected');

    it('converts without errors to valid objects and matches the committed manifests and report', () => {
      const got = run(name);
      expect(got.errors).toEqual([]);
      if (UPDATE) {
        mkdirSync(expectedDir, { recursive: true });
        writeFileSync(join(expectedDir, 'manifests.yaml'), got.manifests);
        writeFileSync(join(expectedDir, 'report.json'), got.report);
      }
      expect(
        existsSync(join(expectedDir, 'manifests.yaml')),
        `missing expected output: run npm run samples:update`,
      ).toBe(true);
      expect(got.manifests).toBe(readFileSync(join(expectedDir, 'manifests.yaml'), 'utf8'));
      expect(got.report).toBe(readFileSync(join(expectedDir, 'report.json'), 'utf8'));
    });

    it('ships the build context and Dockerfile of every service it builds, and is listed in samples/README.md', () => {
      // The report's fix is `docker build ... <context>`: a sample must let the user run it.
      const dir = join(samplesDir, name);
      const { project } = loadProject({ files: ['compose.yaml'], workingDir: dir, fs: nodeFs, env: {} });
      for (const svc of Object.values(project!.services)) {
        if (!svc.build) continue;
        const context = resolve(dir, svc.build.context);
        expect(existsSync(join(context, svc.build.dockerfile ?? 'Dockerfile')), `${name}: ${svc.name} build`).toBe(true);
      }
      expect(readFileSync(join(samplesDir, 'README.md'), 'utf8')).toContain(`| ${name} |`);
    });

    it('is deterministic: a second conversion is byte-identical', () => {
      const a = run(name);
      const b = run(name);
      expect(b.manifests).toBe(a.manifests);
      expect(b.report).toBe(a.report);
    });
  });
});
