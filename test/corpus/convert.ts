/**
 * Convert one loaded corpus case set and validate the objects, naming the resources the project
 * declares external (they exist in the cluster, not in the output).
 */
import { convertProject, type ConvertResult } from '../../src/index.js';
import { dns1123Label } from '../../src/kube/naming.js';
import type { Project } from '../../src/model/types.js';
import { nodeFs } from '../../src/node/fs.js';
import { type External, type ValidationIssue, validateObjects } from '../helpers/validate.js';

export function externals(p: Project): External {
  const names = (group: Record<string, { name?: string; external?: boolean }>): string[] =>
    Object.entries(group)
      .filter(([, v]) => v.external)
      .flatMap(([k, v]) => [dns1123Label(k), ...(v.name ? [dns1123Label(v.name)] : [])]);
  return { claims: names(p.volumes), secrets: names(p.secrets), configMaps: names(p.configs) };
}

export interface ConvertedCase {
  result: ConvertResult;
  issues: ValidationIssue[];
  internalErrors: string[];
}

export function convertCase(project: Project): ConvertedCase {
  const result = convertProject(project, {}, nodeFs);
  return {
    result,
    issues: validateObjects(result.objects, externals(project)),
    internalErrors: result.diagnostics.filter((d) => d.code === 'internal-error').map((d) => d.message),
  };
}
