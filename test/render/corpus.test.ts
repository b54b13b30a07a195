/**
 * Over the shared corpus (skipped when the folder is absent): every project that loads converts,
 * its YAML reads back identically under YAML 1.1 and 1.2, its JSON List holds the same objects, and
 * the report accounts for every key the user wrote.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { convertProject } from '../../src/index.js';
import { DEFAULT_FILE_NAMES } from '../../src/load/files/discover.js';
import { loadProject } from '../../src/index.js';
import { nodeFs } from '../../src/node/fs.js';
import { renderFiles } from '../../src/render/files.js';
import { renderJson } from '../../src/render/json.js';
import { renderYaml } from '../../src/render/yaml.js';
import { isEmptyDefault } from '../../src/convert/finish/coverage.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

function projectDirs(dir: string, out: string[] = []): string[] {
  const names = readdirSync(dir);
  if (names.some((n) => DEFAULT_FILE_NAMES.includes(n))) out.push(dir);
  for (const n of names) {
    if (n.startsWith('.') || n === 'node_modules') continue;
    const p = dir + n;
    if (statSync(p).isDirectory()) projectDirs(p + '/', out);
  }
  return out;
}

describe.runIf(existsSync(CORPUS))('rendering the corpus', () => {
  const dirs = existsSync(CORPUS) ? projectDirs(CORPUS) : [];

  it('finds projects', () => {
    expect(dirs.length).toBeGreaterThan(20);
  });

  it('round-trips every converted project and reports every key', () => {
    let converted = 0;
    const problems: string[] = [];
    for (const dir of dirs) {
      const loaded = loadProject({ workingDir: dir, fs: nodeFs, env: {} });
      if (!loaded.project) continue;
      const { objects, report } = convertProject(loaded.project, {}, nodeFs);
      converted++;
      const plain = JSON.parse(JSON.stringify(objects)) as unknown[];
      const text = renderYaml(objects);
      for (const version of ['1.1', '1.2'] as const) {
        const docs = parseAllDocuments(text, { version });
        if (docs.some((d) => d.errors.length)) problems.push(`${dir}: YAML ${version} errors`);
        else
          expect(
            docs.map((d) => d.toJS()),
            `${dir} (YAML ${version})`,
          ).toEqual(plain);
      }
      expect((JSON.parse(renderJson(objects)) as { items: unknown[] }).items, dir).toEqual(plain);
      const files = renderFiles(objects);
      expect(new Set(files.map((f) => f.path)).size, dir).toBe(objects.length);
      for (const svc of Object.values(loaded.project.services)) {
        for (const [key, value] of Object.entries(svc)) {
          if (key === 'name' || key === 'extensions' || isEmptyDefault(key, value)) continue;
          if (key === 'unsetEnvironment') {
            // Not a compose key: each unset pass-through key has its environment.<KEY> entry.
            for (const k of svc.unsetEnvironment ?? [])
              if (
                !(k in svc.environment) &&
                !report.entries.some((e) => e.service === svc.name && e.key === `environment.${k}`)
              )
                problems.push(`${dir}: ${svc.name} environment.${k} (unset) not in the report`);
            continue;
          }
          const hit = report.entries.some(
            (e) => e.service === svc.name && (e.key === key || e.key.startsWith(key + '.')),
          );
          if (!hit) problems.push(`${dir}: ${svc.name}.${key} not in the report`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(converted).toBeGreaterThan(20);
  });
});
