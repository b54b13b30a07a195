/**
 * Breadth: every compose file of the shared corpus that loads must convert without internal
 * errors, deterministically, into objects the validator accepts, with one workload per planned pod.
 * Skipped when the corpus folder is absent.
 */
import { describe, expect, test } from 'vitest';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadProject } from '../../src/index.js';
import { nodeFs } from '../../src/node/fs.js';
import { convertProject } from '../../src/index.js';
import { dns1123Label } from '../../src/kube/naming.js';
import { planPods } from '../../src/convert/plan/plan.js';
import { ConvertContext } from '../../src/convert/context.js';
import { defaultOptions } from '../../src/convert/intent/options.js';
import type { Project } from '../../src/model/types.js';
import { validateObjects, formatIssues, type External } from '../helpers/validate.js';
import { CORPUS, composeFiles } from '../helpers/corpus.js';
import { withDialects } from '../helpers/dialects.js';

/** Names of resources the project declares external (they exist in the cluster, not in the output). */
function externals(p: Project): External {
  const names = (group: Record<string, { name?: string; external?: boolean }>): string[] =>
    Object.entries(group)
      .filter(([, v]) => v.external)
      .flatMap(([k, v]) => [dns1123Label(k), ...(v.name ? [dns1123Label(v.name)] : [])]);
  return { claims: names(p.volumes), secrets: names(p.secrets), configMaps: names(p.configs) };
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

describe.runIf(existsSync(CORPUS))('corpus', () => {
  test('every loadable corpus project converts to valid, deterministic output', () => {
    const files = composeFiles(CORPUS);
    let converted = 0;
    const problems: string[] = [];
    for (const f of files) {
      const loaded = loadProject({ files: [f], workingDir: dirname(f), fs: nodeFs, env: {} });
      if (!loaded.project) continue;
      const p = loaded.project;
      const r = convertProject(p, {}, nodeFs);
      converted++;
      const rel = f.slice(CORPUS.length);
      for (const d of r.diagnostics) if (d.code === 'internal-error') problems.push(`${rel}: ${d.message}`);
      const issues = validateObjects(r.objects, externals(p));
      if (issues.length) problems.push(`${rel}:\n${formatIssues(issues)}`);
      const pods = planPods(withDialects(new ConvertContext(p, defaultOptions()))).length;
      const workloads = r.objects.filter((o) => WORKLOADS.has(o.kind) && o.metadata.labels?.['app.kubernetes.io/name']);
      if (workloads.length !== pods) problems.push(`${rel}: ${workloads.length} workloads for ${pods} pods`);
      if (JSON.stringify(convertProject(p, {}, nodeFs).objects) !== JSON.stringify(r.objects))
        problems.push(`${rel}: output differs between runs`);
    }
    expect(problems).toEqual([]);
    expect(converted).toBeGreaterThan(50);
  }, 300_000);

  test('non-default options (namespace, restricted pods, NodePort, no policies) keep the output valid', () => {
    const options = {
      namespace: 'apps',
      createNamespace: true,
      podSecurity: 'restricted' as const,
      exposeType: 'NodePort' as const,
      networkPolicies: false,
    };
    const problems: string[] = [];
    for (const f of composeFiles(CORPUS)) {
      const loaded = loadProject({ files: [f], workingDir: dirname(f), fs: nodeFs, env: {} });
      if (!loaded.project) continue;
      const r = convertProject(loaded.project, options, nodeFs);
      const rel = f.slice(CORPUS.length);
      for (const d of r.diagnostics) if (d.code === 'internal-error') problems.push(`${rel}: ${d.message}`);
      const issues = validateObjects(r.objects, externals(loaded.project));
      if (issues.length) problems.push(`${rel}:\n${formatIssues(issues)}`);
      if (
        r.objects[0]?.kind !== 'Namespace' ||
        r.objects.some((o) => o.kind !== 'Namespace' && o.metadata.namespace !== 'apps')
      )
        problems.push(`${rel}: namespace not applied everywhere`);
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
