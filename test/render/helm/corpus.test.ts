/**
 * Over the shared corpus (skipped when the folder is absent): for every project that converts, the
 * Helm chart's default values and the Kustomize base both reproduce the plain conversion when
 * rendered by the real helm / kubectl (the base with generators: modulo their hash suffixes).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { toolPath } from '../../../scripts/tools.mjs';
import { convertProject } from '../../../src/index.js';
import type { KubeObject } from '../../../src/kube/object.js';
import { loadProject } from '../../../src/index.js';
import { nodeFs } from '../../../src/node/fs.js';
import { renderHelmChart } from '../../../src/render/helm/chart.js';
import { renderKustomize } from '../../../src/render/kustomize.js';
import { renderYaml } from '../../../src/render/yaml.js';
import type { Project } from '../../../src/model/types.js';
import {
  byRef,
  modGeneratorHashes,
  nameRefs,
  parseStream,
  toolAvailable,
  withoutHelmLabels,
  writeTree,
  type Obj,
} from '../render-tools.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const NAMES = new Set(['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml']);
const run = promisify(execFile);

function composeFiles(): string[] {
  if (!existsSync(CORPUS)) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      if (e.isDirectory()) walk(`${dir}${e.name}/`);
      else if (NAMES.has(e.name)) out.push(`${dir}${e.name}`);
    }
  };
  walk(CORPUS);
  return out.sort();
}

interface Case {
  file: string;
  project: Project;
  objects: KubeObject[];
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const file of composeFiles()) {
    const r = loadProject({ files: [file], workingDir: dirname(file), fs: nodeFs, env: {} });
    if (!r.project || r.diagnostics.some((d) => d.severity === 'error')) continue;
    const c = convertProject(r.project, { namespace: 'prod' }, nodeFs);
    if (c.diagnostics.some((d) => d.severity === 'error')) continue;
    out.push({ file, project: r.project, objects: c.objects });
  }
  return out;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs `f` over `items`, `n` at a time; returns the failures' messages. */
async function pool<T>(items: T[], n: number, f: (t: T) => Promise<string | undefined>): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const msg = await f(items[next++]!);
      if (msg) failures.push(msg);
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
  return failures.sort();
}

function compare(file: string, rendered: Obj[], objects: KubeObject[]): string | undefined {
  const got = byRef(rendered.map((o) => withoutHelmLabels(o) as Obj));
  const want = byRef(parseStream(renderYaml(objects)).map((o) => withoutHelmLabels(o) as Obj));
  const differ = Object.keys({ ...got, ...want }).filter((k) => !isDeepStrictEqual(got[k], want[k]));
  return differ.length ? `${file}: ${differ.join(', ')}` : undefined;
}

describe.runIf(existsSync(CORPUS))('charts and bases over the corpus', () => {
  const all = cases();

  it('finds projects that convert', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it.runIf(toolAvailable('helm'))(
    'helm template with default values reproduces every conversion',
    async () => {
      const failures = await pool(all, 8, async (c) => {
        const dir = writeTree(renderHelmChart(c.objects, { name: c.project.name, project: c.project }));
        dirs.push(dir);
        try {
          const { stdout } = await run(toolPath('helm'), ['template', 'rel', dir, '--namespace', 'prod'], {
            maxBuffer: 64 << 20,
          });
          return compare(c.file, parseStream(stdout), c.objects);
        } catch (e) {
          return `${c.file}: ${(e as Error).message.slice(0, 400)}`;
        }
      });
      expect(failures).toEqual([]);
    },
    120_000,
  );

  it.runIf(toolAvailable('kubectl'))(
    'kubectl kustomize reproduces every conversion',
    async () => {
      const failures = await pool(all, 8, async (c) => {
        const dir = writeTree(renderKustomize(c.objects, { namespace: 'prod' }));
        dirs.push(dir);
        try {
          const { stdout } = await run(toolPath('kubectl'), ['kustomize', dir], { maxBuffer: 64 << 20 });
          // Generated ConfigMaps / Secrets: the same objects modulo hash suffixes, every reference rewritten.
          const m = modGeneratorHashes(parseStream(stdout), parseStream(renderYaml(c.objects)));
          const stale = nameRefs(parseStream(stdout)).filter((n) => [...m.hashed.values()].includes(n));
          if (stale.length) return `${c.file}: references without the hash suffix: ${stale.join(', ')}`;
          return compare(c.file, m.built, m.expected as unknown as KubeObject[]);
        } catch (e) {
          return `${c.file}: ${(e as Error).message.slice(0, 400)}`;
        }
      });
      expect(failures).toEqual([]);
    },
    120_000,
  );
});
