/**
 * Service `label_file`: labels read from `KEY=VALUE` files (the env-file format), merged in order (a
 * later file wins), with the service's own `labels` on top, as docker compose does. Paths are already
 * absolute (normalize-service.ts). A missing file is an error, like a required `env_file`.
 */
import type { SourcePositions } from '../../model/positions.js';
import type { FileSystem } from '../fs.js';
import type { Diagnostics } from '../../report/diagnostic.js';
import type { Service } from '../../model/types.js';
import { readEnvFiles } from '../env/envfiles.js';

/** Merge each service's label files into its `labels` (which already holds `labels:` and wins). */
export function applyServiceLabelFiles(
  services: Record<string, Service>,
  fs: FileSystem,
  diags: Diagnostics,
  sources: Map<string, string>,
  positions: SourcePositions,
): void {
  for (const svc of Object.values(services)) {
    const files = svc.label_file;
    if (!files || files.length === 0) continue;
    // Label files are not interpolated from the environment: only earlier entries of the same files.
    const fromFiles = readEnvFiles(
      { fs, diags, sources },
      files,
      (n, read) => read[n],
      (file, i) => {
        const pos = positions.at('services', svc.name, 'label_file', i);
        diags.error('label-file-missing', { file, service: JSON.stringify(svc.name) }, pos);
      },
    );
    svc.labels = { ...fromFiles, ...svc.labels };
  }
}
