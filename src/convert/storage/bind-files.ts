/**
 * Reading a bind-mounted folder's files (bind.ts): which files a directory holds, within the small-directory limits,
 * whether the folder is its image's data (a claim) or input (a ConfigMap copy), and what a config file among them
 * says that fails in every pod (Docker's embedded DNS server).
 */
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { SourcePos } from '../../report/diagnostic.js';
import { relative } from '../../util/path.js';
import { isCommentLine } from '../../util/text.js';
import { DOCKER_DNS, usesDockerDns } from '../../kube/ip.js';
import { holdsDataOf } from '../../kube/images.js';
import { heuristicImage } from '../plan/base-image.js';

/** Small-directory limit: files. */
export const MAX_DIR_FILES = 64;

/** Files that only keep an otherwise empty directory in git. */
export const PLACEHOLDER_FILES = /^(\.gitkeep|\.keep|\.gitignore|\.placeholder|\.empty|\.dockerignore)$/;

/**
 * The image whose data directory the existing project folder `src`, bound by `svc` at `v.target`, is: its data,
 * which it writes, so a claim, never a read-only ConfigMap copy (postgres would refuse it, redis could not save).
 * Undefined for a folder of input (configuration), copied into a ConfigMap.
 */
export function folderDataImage(ctx: ConvertContext, svc: Service, v: ServiceVolume, src: string): string | undefined {
  const image = heuristicImage(ctx, svc);
  const placeholders = (ctx.fs?.listDir(src) ?? []).every((e) => PLACEHOLDER_FILES.test(e));
  return !v.read_only && !placeholders && image && holdsDataOf(image, v.target) ? image : undefined;
}

/** Deepest directory level read below a bind-mounted directory. */
const MAX_DIR_DEPTH = 8;

/**
 * Files below `root` as relative paths (`datasources/x.yaml`), sorted, stopping once there are more than
 * MAX_DIR_FILES (the caller refuses the directory then). Placeholder files in subdirectories are kept out.
 */
export function walkDir(fs: NonNullable<ConvertContext['fs']>, root: string): string[] {
  const out: string[] = [];
  const visit = (rel: string, depth: number): void => {
    for (const n of fs.listDir(rel ? `${root}/${rel}` : root) ?? []) {
      if (out.length > MAX_DIR_FILES) return;
      const r = rel ? `${rel}/${n}` : n;
      if (fs.isDirectory(`${root}/${r}`)) {
        if (depth < MAX_DIR_DEPTH) visit(r, depth + 1);
      } else if (!rel || !PLACEHOLDER_FILES.test(n)) out.push(r);
    }
  };
  visit('', 0);
  return out.sort();
}

/**
 * A config file of the bind (the file, or the directory's files) that sends lookups to Docker's embedded DNS server
 * (nginx `resolver 127.0.0.11`, haproxy `nameserver dns 127.0.0.11:53`): said on the bind's entry with the file and
 * line, as that line fails in every pod. The first such line; comment lines name nothing.
 */
export function dockerDnsLine(
  ctx: ConvertContext,
  svc: Service,
  v: ServiceVolume,
  path: string,
  at: { pos?: SourcePos },
): void {
  const fs = ctx.fs;
  if (!fs || !v.source) return;
  const files = fs.isDirectory(v.source) ? walkDir(fs, v.source).map((r) => `${v.source}/${r}`) : [v.source];
  for (const file of files) {
    const lines = fs.readFile(file)?.split('\n') ?? [];
    const i = lines.findIndex((l) => !isCommentLine(l) && usesDockerDns(l));
    if (i < 0) continue;
    const shown = relative(ctx.project.workingDir, file);
    const directive = /^\s*([\w-]+)/.exec(lines[i]!)?.[1] ?? 'it';
    ctx.downgrade(
      svc.name,
      path,
      'volumes.bind-docker-dns',
      { file: `${shown}:${i + 1}`, directive, ip: DOCKER_DNS },
      at,
    );
    return;
  }
}
