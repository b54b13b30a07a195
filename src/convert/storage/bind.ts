/**
 * Bind mounts. What a user moving to Kubernetes expects:
 * - a project file (`./nginx.conf:/etc/nginx/nginx.conf`) → a ConfigMap mounted with subPath;
 * - a small project directory of text files (`./conf.d:/etc/nginx/conf.d`) → one ConfigMap mounted as
 *   the directory; when the command installs packages into it (`yarn install` in /app: bind-kinds.ts installsInto),
 *   a writable copy instead: an emptyDir the seed init container fills from the ConfigMap (writableCopy);
 * - a project directory that does not exist yet (`./data:/var/lib/mysql`) → stateful data: a PVC; unless it is
 *   input the service reads (init scripts, provisioning, code: bind-kinds.ts) → nothing mounted, unsupported;
 * - the service's build context (or a folder of it) over its copy in the image → nothing mounted: the image holds
 *   that code (bind-kinds.ts);
 * - the Docker socket and other host paths → unsupported (or hostPath with `--host-path`);
 * - secret files (keys, certificates) → Secrets: bind-secrets.ts; the objects themselves: bind-objects.ts; reading a
 *   folder's files: bind-files.ts.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Service, ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { basename, isInside, relative, shownPath } from '../../util/path.js';
import { MAX_OBJECT_BYTES, dataKey, fileData, freeKey, volumeName, type FileData } from './files.js';
import { secretFile } from '../../kube/secrets.js';
import { addVolume, claim, mounters, mountOf, podList } from './claims.js';
import { serviceOverrides } from '../intent/overrides.js';
import { applyPgdata, claimOwnership, dataSubPath, pinOldDataDir, subPathReason } from './ownership.js';
import { checkSocketVolume } from './sockets.js';
import type { OutcomeId, PhraseId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
import type { SourcePos } from '../../report/diagnostic.js';
import { FactKey } from '../facts.js';
import { fewNames } from '../../util/text.js';
import { MAX_DIR_FILES, PLACEHOLDER_FILES, dockerDnsLine, folderDataImage, walkDir } from './bind-files.js';
import { emitConfigMap, execNote, fileItem, roNote, singleFileMode, type FileItem, type Rec } from './bind-objects.js';
import { dirWithSecrets, fileSecret, holdsSecret } from './bind-secrets.js';
import { inputDir, installsInto, looksLikeFile, runsFrom, sourceOverApp, unseenContext } from './bind-kinds.js';
import { boundPath } from '../../model/volume-device.js';
import { buildContextDir } from '../plan/base-image.js';
import { addSeed } from './seed.js';

const DOCKER_SOCKETS = new Set(['/var/run/docker.sock', '/run/docker.sock', '/var/run/podman/podman.sock']);
/** The outcomes of a data directory that became a claim (dataClaim): one pod's, or several pods' together. */
const DATA_CLAIMS: ReadonlySet<OutcomeId> = new Set([
  'volumes.bind-data-claim',
  'volumes.bind-data-claim-together',
  'volumes.bind-data-claim-shared',
]);

/** A bind mount of `svc`, reported at `path` (`volumes[1]`, or `volumes_from[0].volumes[1]` with `pos`). */
export function applyBind(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  v: ServiceVolume,
  path: string,
  pos?: SourcePos,
): void {
  const at = { pos };
  let outcome: OutcomeId | undefined;
  const rec: Rec = (id, values, extra = {}) => {
    outcome = id;
    ctx.outcome(svc.name, path, id, values, { ...extra, pos });
  };
  bind(ctx, svc, c, plan, v, rec);
  if (outcome !== undefined && DATA_CLAIMS.has(outcome)) {
    applyPgdata(ctx, svc, plan.containers.get(svc.name), path, v, pos);
    claimOwnership(ctx, svc, plan, v, path, pos);
    pinOldDataDir(ctx, svc, plan.containers.get(svc.name), v, path, pos);
    checkSocketVolume(ctx, svc, plan, v, path, pos);
  } else if (outcome === 'volumes.bind-file' || outcome === 'volumes.bind-dir') {
    if (!v.read_only) sharedCopy(ctx, svc, v.source!, path, at);
    dockerDnsLine(ctx, svc, v, path, at);
  }
  // A folder the command installs packages or writes caches into (`yarn install`, `next dev` in /app) cannot be a
  // read-only copy: a writable one.
  const installs =
    !v.read_only && (outcome === 'volumes.bind-dir' || outcome === 'volumes.bind-dir-secret-files')
      ? installsInto(ctx, svc, v)
      : undefined;
  if (installs) {
    const init = writableCopy(ctx, c, plan, v);
    ctx.downgrade(svc.name, path, 'volumes.bind-dir-installs', { ...installs, target: v.target, init }, at);
  }
  if (v.bind?.propagation)
    ctx.downgrade(svc.name, path, 'volumes.bind-propagation', { propagation: v.bind.propagation }, at);
  // `:z`/`:Z` relabel the folder for SELinux; the kubelet relabels ConfigMaps, Secrets and claims, never a hostPath.
  if (v.bind?.selinux && outcome === 'volumes.host-path')
    ctx.downgrade(svc.name, path, 'volumes.host-path-selinux', { selinux: v.bind.selinux, source: v.source! }, at);
}

/**
 * The folder's read-only files made a writable copy, for a command that writes there: an emptyDir at the target,
 * filled by a seed init container (the service's image, as the app's user) that mounts the files where the app did
 * and copies them (seed.ts, `files`). Returns its name.
 */
function writableCopy(ctx: ConvertContext, c: Container, plan: PodPlan, v: ServiceVolume): string {
  const mounts = c.volumeMounts!;
  const i = mounts.findIndex((m) => m.mountPath === v.target);
  const files = mounts[i]!.name;
  const copy = addVolume(plan, { name: volumeName('copy', files), emptyDir: {} });
  mounts[i] = { name: copy, mountPath: v.target };
  const init = addSeed(ctx, c, plan, files, copy, v, 'files');
  plan.spec.initContainers!.find((x) => x.name === init)!.volumeMounts!.push({ ...mounts[i]!, name: files });
  return init;
}

function bind(ctx: ConvertContext, svc: Service, c: Container, plan: PodPlan, v: ServiceVolume, rec: Rec): void {
  const src = v.source ?? '';
  const wd = ctx.project.workingDir;
  const inProject = isInside(wd, src);
  const shown = shownPath(wd, src);
  const fs = ctx.fs;
  // The storage type the user asked for (kompose.volume.type / x-k8s storage.type) decides before the defaults.
  const asked = serviceOverrides(ctx, svc).volumes?.type;
  if (asked === 'hostPath') return hostPath(ctx, c, plan, v, shown, rec);
  if (asked === 'persistentVolumeClaim')
    return dataClaim(ctx, svc, c, plan, v, { why: 'bind.asked-claim', shown }, rec);
  if (asked === 'emptyDir') {
    (c.volumeMounts ??= []).push(
      mountOf(addVolume(plan, { name: volumeName('vol', basename(src) || 'root'), emptyDir: {} }), v),
    );
    return rec('volumes.bind-emptydir', { shown }, { objects: [`${plan.kind}/${plan.name}`] });
  }

  // The service's own source mounted over the app directory of the image built from it: the image has the code.
  if (sourceOverApp(ctx, svc, v)) return rec('volumes.bind-build-context', { shown, target: v.target });

  if (DOCKER_SOCKETS.has(src)) {
    if (ctx.options.hostPath) return hostPath(ctx, c, plan, v, shown, rec, 'Socket');
    return rec('volumes.docker-socket', { shown });
  }
  if (!inProject || !fs) {
    if (ctx.options.hostPath) return hostPath(ctx, c, plan, v, shown, rec);
    const tz: PhraseId = /^\/etc\/(localtime|timezone)$/.test(src) ? 'bind.time-zone' : 'bind.none';
    return rec(fs ? 'volumes.host-path-outside' : 'volumes.host-path-no-fs', { shown, tz });
  }

  // The build context (or a source folder of it) without its Dockerfile: whether the image holds the code is unknown.
  const unseen = unseenContext(ctx, svc, v);
  if (unseen) {
    const context = buildContextDir(ctx, svc)!;
    const what: Values =
      context === src
        ? { what: 'bind.context', service: svc.name }
        : { what: 'bind.context-folder', service: svc.name, context: relative(wd, context) };
    const values = { shown, ...what, target: v.target, dockerfile: svc.build?.dockerfile ?? 'Dockerfile' };
    return rec(unseen === 'context' ? 'volumes.bind-context-absent' : 'volumes.bind-context-no-dockerfile', values);
  }
  const text = fs.readFile(src);
  if (text !== undefined) return fileConfigMap(ctx, svc, c, plan, v, shown, text, rec);
  if (fs.isDirectory(src)) {
    // A folder at the data directory of a database image is its data: a claim (folderDataImage).
    const image = folderDataImage(ctx, svc, v, src);
    if (image) return dataClaim(ctx, svc, c, plan, v, { why: 'bind.data-of', shown, image }, rec);
    return dirConfigMap(ctx, svc, c, plan, v, shown, rec);
  }

  // Missing: a data directory the container fills (`./data`), or a missing file (`./init.sql`)?
  if (looksLikeFile(src)) {
    return rec('volumes.bind-missing-file', { shown });
  }
  // Read-only: input the container reads (a config directory), never data it writes: an empty claim is no use.
  if (v.read_only) return rec('volumes.bind-missing-readonly', { shown });
  // Code the container runs from it (`command: /compose/start`, `--config.file=/etc/prometheus/x.yml`): an empty
  // claim would only make it fail, and nobody can copy files into a pod that keeps crashing.
  const used = runsFrom(svc, v.target);
  if (used) return rec('volumes.bind-missing-code', { shown, used });
  // Input the service reads (init scripts, provisioning, a config directory): an empty claim would hide it; with
  // kompose.volume.type / x-k8s storage type configMap, the user says it is input, even where nothing else does.
  const input = inputDir(ctx, svc, v) ?? (asked === 'configMap' ? { why: 'input.asked-config-map' } : undefined);
  if (input) return rec('volumes.bind-missing-input', { shown, target: v.target, ...input });
  dataClaim(ctx, svc, c, plan, v, { why: 'bind.missing', shown }, rec);
}

/**
 * A writable bind mount of a directory several services write, which became per-pod read-only copies (ConfigMaps):
 * said on its entry.
 */
function sharedCopy(ctx: ConvertContext, svc: Service, src: string, path: string, at: { pos?: SourcePos }): void {
  const writers = bindWriters(ctx, src);
  if (!writers.some((w) => w !== svc.name)) return;
  const shown = './' + relative(ctx.project.workingDir, src);
  ctx.downgrade(svc.name, path, 'volumes.bind-shared-rw', { shown, peers: fewNames(writers, 5, svc.name) }, at);
}

/**
 * The services mounting a project folder writable (a bind, or a local o: bind volume of it, not read-only), by
 * source, found once per source.
 */
const BIND_WRITERS = new FactKey<Map<string, readonly string[]>>();

function bindWriters(ctx: ConvertContext, src: string): readonly string[] {
  const known = ctx.facts.get(BIND_WRITERS, () => new Map());
  let list = known.get(src);
  if (!list)
    known.set(
      src,
      (list = ctx.index
        .usersOf('bind', src)
        .filter((u) =>
          u.volumes.some((w) => {
            const b = boundPath(w, ctx.project.volumes);
            return b?.path === src && !b.readOnly;
          }),
        )
        .map((u) => u.name)),
    );
  return list;
}

/**
 * A project directory the container writes to: a PVC named `<svc>-<dir>` (shared by path). `why` it is data: a
 * phrase of report.yaml (`why`) and its values.
 */
function dataClaim(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  v: ServiceVolume,
  why: Values,
  rec: Rec,
): void {
  const src = v.source ?? '';
  const shared = mounters(ctx, 'bind', src);
  // A claim holds data: its name must not change when another service starts mounting the folder (re-applying
  // would give the pods a new, empty claim), so it stays `<service>-<dir>`, unlike the ConfigMaps (bindOwner).
  const r = claim(ctx, plan, {
    identity: `bind\0${src}`,
    service: svc,
    proposed: `${ctx.serviceName(svc)}-${basename(src)}`,
    shared,
    labels: ctx.labels(svc),
  });
  const sub = dataSubPath(ctx, svc, v);
  (c.volumeMounts ??= []).push(mountOf(r.volume, v, sub ? { subPath: sub } : {}));
  // In the claim's own entry (a later, converted note would be dropped there): where the folder's data goes matters
  // to whoever copies it in.
  const subNote: Values = sub
    ? { subNote: 'bind.data-subpath', sub, subWhy: subPathReason(ctx, svc), target: v.target }
    : { subNote: 'bind.none' };
  // Shared by several pods: the entry says which, and what keeps a ReadWriteOnce claim usable by all of them.
  const pods = r.colocated?.pods ?? shared.pods;
  rec(
    r.colocated
      ? 'volumes.bind-data-claim-together'
      : pods.length > 1
        ? 'volumes.bind-data-claim-shared'
        : 'volumes.bind-data-claim',
    {
      ...why,
      kind: r.kind,
      name: r.name,
      mode: r.accessMode,
      size: r.size,
      pods: podList(ctx, pods),
      label: r.colocated?.label ?? '',
      ...subNote,
    },
    { objects: r.objects },
  );
}

function hostPath(
  ctx: ConvertContext,
  c: Container,
  plan: PodPlan,
  v: ServiceVolume,
  shown: string,
  rec: Rec,
  forced?: 'Socket',
): void {
  const src = v.source ?? '';
  const type =
    forced ??
    (ctx.fs?.isDirectory(src)
      ? 'Directory'
      : ctx.fs?.readFile(src) !== undefined
        ? 'File'
        : v.bind?.create_host_path === false
          ? undefined
          : 'DirectoryOrCreate');
  const name = addVolume(plan, {
    name: volumeName('host', basename(src) || 'root'),
    hostPath: { path: src, ...(type ? { type } : {}) },
  });
  (c.volumeMounts ??= []).push(mountOf(name, v));
  rec('volumes.host-path', { shown }, { objects: [`${plan.kind}/${plan.name}`] });
}

function fileConfigMap(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  v: ServiceVolume,
  shown: string,
  text: string,
  rec: Rec,
): void {
  const secretWhy = secretFile(shown, text) ?? holdsSecret(ctx, text);
  if (secretWhy) return fileSecret(ctx, svc, c, plan, v, shown, text, secretWhy, rec);
  const src = v.source ?? '';
  const key = dataKey(basename(src));
  // Not UTF-8 text: its bytes go to binaryData when the file system can read them.
  const data = fileData(ctx, src, text);
  if (!data) return rec('volumes.bind-binary', { shown });
  if (data.size > MAX_OBJECT_BYTES) return rec('volumes.bind-too-large', { shown });
  const cm = emitConfigMap(ctx, svc, src, { [key]: data });
  const { defaultMode, note } = singleFileMode(ctx, src);
  const name = addVolume(plan, {
    name: volumeName('cm', cm),
    configMap: { name: cm, ...(defaultMode ? { defaultMode } : {}) },
  });
  (c.volumeMounts ??= []).push({ name, mountPath: v.target, subPath: key, readOnly: true });
  rec('volumes.bind-file', { shown, cm, ro: roNote(v), exec: note }, { objects: [`ConfigMap/${cm}`] });
}

function dirConfigMap(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  v: ServiceVolume,
  shown: string,
  rec: Rec,
): void {
  const fs = ctx.fs!;
  const src = v.source ?? '';
  const names = fs.listDir(src) ?? [];
  const files: Record<string, FileData> = {};
  const items: FileItem[] = [];
  const secrets: Record<string, string> = {};
  const secretItems: FileItem[] = [];
  const secretWhys: string[] = [];
  let total = 0;
  // Why the directory cannot be a ConfigMap: a phrase of report.yaml and its values.
  let why: Values | undefined;
  if (names.every((n) => PLACEHOLDER_FILES.test(n))) {
    const only: Values = names.length ? { only: 'bind.only', files: names.join(', ') } : { only: 'bind.none' };
    return dataClaim(ctx, svc, c, plan, v, { why: 'bind.empty', shown, ...only }, rec);
  }
  const walked = walkDir(fs, src);
  if (walked.length > MAX_DIR_FILES) why = { why: 'bind.too-many-files', maxFiles: MAX_DIR_FILES };
  for (const n of why ? [] : walked) {
    const t = fs.readFile(`${src}/${n}`);
    if (t === undefined) {
      why = { why: 'bind.unreadable-entry', entry: n };
      break;
    }
    // A secret file never goes into the ConfigMap: it goes to a Secret projected over the same path.
    const secretWhy = secretFile(`${shown}/${n}`, t) ?? holdsSecret(ctx, t);
    if (secretWhy) {
      const key = freeKey(n, secrets);
      secrets[key] = t;
      secretItems.push(fileItem(ctx, key, n, `${src}/${n}`));
      secretWhys.push(`${n} (${secretWhy})`);
      continue;
    }
    const key = freeKey(n.replace(/\//g, '_'), files);
    // Not UTF-8 text: its bytes go to binaryData when the file system can read them.
    const data = fileData(ctx, `${src}/${n}`, t);
    if (!data) {
      why = { why: 'bind.binary-file', entry: n };
      break;
    }
    total += data.size;
    files[key] = data;
    items.push(fileItem(ctx, key, n, `${src}/${n}`));
  }
  if (why || total > MAX_OBJECT_BYTES) {
    if (ctx.options.hostPath) return hostPath(ctx, c, plan, v, shown, rec);
    if (why) return rec('volumes.bind-dir-unsupported', { shown, ...why });
    return rec('volumes.bind-dir-too-large', { shown, size: `${(total / 1024 / 1024).toFixed(1)} MiB` });
  }
  if (secretItems.length)
    return dirWithSecrets(ctx, svc, c, plan, v, shown, { files, items }, secrets, secretItems, secretWhys, rec);
  const cm = emitConfigMap(ctx, svc, src, files);
  // Items only when a key differs from its path or a file keeps its execute bit: otherwise every key is projected.
  const listed = items.some((i) => i.key !== i.path || i.mode !== undefined);
  const name = addVolume(plan, { name: volumeName('cm', cm), configMap: { name: cm, ...(listed ? { items } : {}) } });
  (c.volumeMounts ??= []).push({ name, mountPath: v.target, readOnly: true });
  rec(
    'volumes.bind-dir',
    { shown, count: items.length, cm, target: v.target, ro: roNote(v, ctx, svc), ...execNote(items) },
    { objects: [`ConfigMap/${cm}`] },
  );
}
