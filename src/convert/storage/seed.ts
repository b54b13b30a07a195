/**
 * Docker fills a new named volume with the files the image has at the mount path (unless `nocopy`); a fresh claim
 * starts empty, and an image that ships configuration there (Supabase's postgres reads /etc/postgresql-custom)
 * then fails to start. `volumes.<name>.x-k8s.seed: true` asks for Docker's behaviour: an init container from the
 * service's own image copies those files into the claim while it is empty, before the app starts. Opt-in, as the
 * image needs `sh`, `ls` and `cp` (distroless images have none).
 *
 * A folder bind the command writes into (storage/bind.ts writableCopy) gets the other kind of seed: the files of its
 * ConfigMap (or projected) volume, mounted at the target, copied into an emptyDir the app mounts there instead. A
 * ConfigMap volume's entries are symlinks into its timestamped `..data` folder of root-owned files, so that seed copies
 * the files themselves (`..data/.`) and runs as the app: the copy belongs to the app's user, as the host folder of a
 * Docker bind does, and a non-root app can write what it installs (npm rewrites package-lock.json).
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { ServiceVolume } from '../../model/types.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { dns1123Label } from '../../kube/naming.js';
import { escapeExpansion } from '../container/container.js';
import { mountOf } from './claims.js';
import { shQuote } from '../../util/shell.js';

/** Where the seed container mounts the claim (the image's own files stay visible at the target). */
const SEED_MOUNT = '/compose2k8s-seed';

/** What a seed copies: the image's own files at the target, or the files of a ConfigMap volume mounted there. */
export type SeedFrom = 'image' | 'files';

/**
 * The script of a seed container: nothing when the image has no such directory or the claim already holds files
 * (a restart, or another pod seeded it first); else a copy that keeps owners and modes where it may (`cp -a` as
 * root), and modes only otherwise. Of a ConfigMap volume's files (`files`), the files its `..data` link points at,
 * owned by whoever copies them.
 */
export function seedScript(source: string, target: string, from: SeedFrom = 'image'): string {
  const dir = shQuote(target);
  const files = shQuote(`${target.replace(/\/+$/, '')}/${from === 'files' ? '..data/' : ''}.`);
  return [
    `[ -d ${dir} ] || { echo "the image has no ${target}: nothing to seed"; exit 0; }`,
    `if [ -n "$(ls -A ${SEED_MOUNT} | grep -v '^lost+found$')" ]; then echo "${source} already holds files: not seeded"; exit 0; fi`,
    from === 'files'
      ? `cp -R ${files} ${SEED_MOUNT}/`
      : `cp -a ${files} ${SEED_MOUNT}/ 2>/dev/null || cp -R ${files} ${SEED_MOUNT}/`,
  ].join('\n');
}

/**
 * Add the seed init container of named volume `source` (pod volume `volume`, mounted by container `c` as `v`) to
 * the pod, first; returns its name. Once per volume and pod. It runs as root, as Docker's own copy into a new volume
 * does, so `cp -a` keeps the owners the image gives the files (a non-root app, uid 1000 in frappe/erpnext, could not
 * write the root-owned claim at all without an fsGroup); under `--pod-security restricted` it keeps the app's user,
 * as root is refused there (the claim's fsGroup then lets it copy, modes only). A seed of a ConfigMap volume's files
 * (`from: 'files'`) runs as the app (the copy is the app's to write).
 */
export function addSeed(
  ctx: ConvertContext,
  c: Container,
  plan: PodPlan,
  source: string,
  volume: string,
  v: ServiceVolume,
  from: SeedFrom = 'image',
): string {
  const name = dns1123Label(`seed-${source}`);
  const inits = (plan.spec.initContainers ??= []);
  if (inits.some((x) => x.name === name)) return name;
  const { readOnly: _ro, ...mount } = mountOf(volume, v, { mountPath: SEED_MOUNT });
  inits.unshift({
    name,
    image: c.image!,
    ...(c.imagePullPolicy ? { imagePullPolicy: c.imagePullPolicy } : {}),
    command: ['sh', '-c', ...escapeExpansion([seedScript(source, v.target, from)])],
    volumeMounts: [mount],
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '256Mi' } },
    ...securityOf(ctx, c, from),
  });
  return name;
}

/**
 * The seed container's securityContext: the app's, as root with the default capabilities (a `cap_drop: [ALL]` would
 * leave root unable to chown, and the app's added ones or `privileged` are not needed to copy), unless the pods must
 * pass restricted or the copy is the app's (`files`).
 */
function securityOf(ctx: ConvertContext, c: Container, from: SeedFrom): Pick<Container, 'securityContext'> {
  if (ctx.options.podSecurity === 'restricted' || from === 'files')
    return c.securityContext ? { securityContext: { ...c.securityContext } } : {};
  const { runAsNonRoot: _nonRoot, capabilities: _caps, privileged: _privileged, ...sc } = c.securityContext ?? {};
  return { securityContext: { ...sc, runAsUser: 0 } };
}
