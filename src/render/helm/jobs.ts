/**
 * A chart's Jobs are named after a hash of their spec. A Job's pod template cannot change, so a `helm upgrade` that
 * changed one in place (a new image tag, another environment, a Secret read through existingSecret) failed. Under
 * a name that changes with the spec, the upgrade creates the new Job, which runs again (as `docker compose up` runs
 * a one-shot service again), and deletes the old one with the rest of what the release no longer has. The hash is
 * taken by Helm of the spec as it renders, values included, and of the content of the ConfigMaps and Secrets of the
 * chart its pods read (not their metadata: its helm.sh/chart label changes with the chart's version), so a `--set` that
 * changes what the Job runs renames it too, and nothing else does. Pods that wait for a Job find it by its labels (convert/container/startorder.ts), not by name.
 *
 * Not Helm hooks: a post-install hook runs after `helm install --wait` waited for the Deployments, which wait for
 * the Job; a pre-install hook runs before the database it migrates exists.
 */
import type { KubeObject } from '../../kube/object.js';
import { emitDocument } from '../emit.js';
import { orderedKeys } from '../order.js';
import { replaceKey, type Markers } from './markers.js';

type J = Record<string, unknown>;

/** Hex digits of the hash in a Job's name. */
const HASH_LENGTH = 8;
/** A Job's name is at most 63 characters (its pods' `job-name` label); the hash and its dash take 9. */
const NAME_ROOM = 63 - HASH_LENGTH - 1;

/**
 * Turns the lifted copy `o` of Job `name` into a template that prints `spec:` from a named template and names the
 * Job after that template's hash; returns the named templates (for `templates/_jobs.tpl`). Called when `o` is
 * lifted otherwise (its markers in place), right before it is rendered.
 */
export function hashJobName(
  o: J & KubeObject,
  name: string,
  configFiles: readonly string[],
  markers: Markers,
  chart: string,
): string {
  const spec = `${chart}.jobSpec.${name}`;
  const named = `${chart}.jobName.${name}`;
  const specText = markers.apply(emitDocument({ spec: o.spec }, orderedKeys));
  replaceKey(
    o,
    'spec',
    markers.block(() => `{{- include ${JSON.stringify(spec)} . | nindent 0 }}`),
    null,
  );
  (o.metadata as unknown as J).name = markers.scalar(`{{ include ${JSON.stringify(named)} . }}`);
  const prefix = name.slice(0, NAME_ROOM).replace(/-+$/, '');
  // The spec, and what its pods read from the chart's ConfigMaps and Secrets (env is read at container start): their
  // content without metadata, whose helm.sh/chart label changes with the chart's version (an upgrade to a new version
  // that changes nothing the Job runs must not run it again) and whose name is in the spec already.
  const parts = [
    `(include ${JSON.stringify(spec)} .)`,
    ...configFiles.map(
      (f) => `(omit (include (print $.Template.BasePath ${JSON.stringify(`/${f}`)}) . | fromYaml) "metadata" | toJson)`,
    ),
  ];
  const hashed = parts.length > 1 ? `list ${parts.join(' ')} | join "\\n"` : parts[0]!;
  return [
    `{{/* Job ${name}: its spec, and its name after the spec's hash (a changed Job is a new one). */}}`,
    `{{- define ${JSON.stringify(spec)} -}}`,
    specText.replace(/\n$/, ''),
    '{{- end }}',
    `{{- define ${JSON.stringify(named)} -}}`,
    `${prefix}-{{ ${hashed} | sha256sum | trunc ${HASH_LENGTH} }}`,
    '{{- end }}',
    '',
  ].join('\n');
}
