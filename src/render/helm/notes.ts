/** templates/NOTES.txt: where the release answers, the images to build, and what each Secret still needs. */
import type { BuildConfig } from '../../model/types.js';
import { buildInputs } from '../../convert/plan/builds.js';
import type { HelmLifter } from './lift.js';
import { escapeTemplate } from './markers.js';
import { keptValue, type SecretValues } from './secret-refs.js';
/** The --set path of a data key under `path`: the key may hold dots or commas (`.env`), escaped for --set. */
function setArg(path: string, key: string): string {
  return `${path}.${key.replace(/([.,\\])/g, '\\$1')}`;
}

/** A shell word: quoted when it holds a backslash (an escaped dot of a key) or a space. */
const word = (s: string): string => (/[\\\s'"]/.test(s) ? `'${s.replace(/'/g, "'\\''")}'` : s);

/**
 * The helm arguments that fill the placeholder keys of a Secret: `--set-file` with the project file a mounted key
 * comes from, when known; else `--set-string` (a dot in a key escaped for --set).
 */
export function fillArgs(sv: SecretValues): string[] {
  return sv.missing.map((k) => {
    const file = sv.use === 'files' ? sv.sources?.[k] : undefined;
    return file !== undefined
      ? `--set-file ${word(`${setArg(`${sv.path}.values`, k)}=${file}`)}`
      : `--set-string ${word(`${setArg(`${sv.path}.values`, k)}=...`)}`;
  });
}

/** `kubectl create secret` for one Secret of the chart, named NAME by the user. */
function createSecretCommand(sv: SecretValues): string {
  const tls = sv.type === 'kubernetes.io/tls' && sv.keys.every((k) => k === 'tls.crt' || k === 'tls.key');
  // Secret names and data keys are DNS names and [-._a-zA-Z0-9] keys: nothing a template would evaluate.
  if (tls) return `kubectl create secret tls NAME --namespace {{ .Release.Namespace }} --cert=tls.crt --key=tls.key`;
  const type = sv.type === 'Opaque' ? '' : ` --type=${sv.type}`;
  const from = sv.keys.map((k) =>
    sv.use === 'files' ? ` --from-file=${word(`${k}=${sv.sources?.[k] ?? `./${k}`}`)}` : ` --from-literal=${k}=...`,
  );
  return `kubectl create secret generic NAME --namespace {{ .Release.Namespace }}${type}${from.join('')}`;
}

/**
 * NOTES.txt lines for the Secrets whose converted values are placeholders: values.yaml holds none of their values,
 * so each must be created (and named with existingSecret) or given at install time. Once either is done the note
 * says so.
 */
function secretNotes(secrets: readonly SecretValues[], toggles: ReadonlyMap<string, string>): string[] {
  // A Secret only some environments have is noted where the values turn it on.
  const on = (sv: SecretValues, body: string[]): string[] => {
    const t = toggles.get(sv.name);
    return t === undefined ? body : [`{{- if index .Values.objects ${JSON.stringify(t)} }}`, ...body, '{{- end }}'];
  };
  const needed = secrets.filter((s) => s.missing.length > 0);
  const existing = (sv: SecretValues): string[] => [
    `  ${sv.name}: the existing Secret {{ .Values.${sv.path}.existingSecret }}. The chart cannot see its content: after changing it,`,
    `    kubectl rollout restart deployment,statefulset,daemonset --namespace {{ .Release.Namespace }} -l app.kubernetes.io/instance={{ .Release.Name }}`,
  ];
  const lines: string[] = [];
  // A Secret without placeholders is noted only once an existing one replaces it (upgrades cannot roll its readers).
  for (const sv of secrets.filter((s) => s.missing.length === 0))
    lines.push(...on(sv, [`{{- if .Values.${sv.path}.existingSecret }}`, ...existing(sv), `{{- end }}`]));
  if (!needed.length) return lines;
  lines.push(
    '',
    'Secrets: values.yaml holds no secret value. Each Secret below needs its real values, either in a Secret you',
    'create (then --set PATH.existingSecret=NAME: the chart creates none and the pods use yours) or at install time',
    '(--set-string PATH.values.KEY=VALUE; --set-file reads a file). Give them at the first install: a database',
    'keeps the password it first starts with, so a later upgrade changes what its clients send, not the password',
    'the database holds (then change it inside the database too, or delete its claim while it holds no data).',
  );
  for (const sv of needed) {
    const p = `.Values.${sv.path}`;
    // A key is given by the values, or by the Secret in the cluster (an upgrade keeps what the install was given).
    const given = sv.missing
      .map(
        (k) =>
          `(or (index ${p}.values ${JSON.stringify(k)}) (not (contains "<set-me" (${keptValue(sv.name, k)} | default "<set-me"))))`,
      )
      .join(' ');
    lines.push(
      ...on(sv, [
        `{{- if ${p}.existingSecret }}`,
        ...existing(sv),
        sv.missing.length > 1 ? `{{- else if and ${given} }}` : `{{- else if ${given} }}`,
        `  ${sv.name}: values given at install time.`,
        `{{- else }}`,
        `  ${sv.name} (keys ${sv.missing.join(', ')}) holds placeholders; either`,
        `    ${createSecretCommand(sv)}`,
        `    helm upgrade {{ .Release.Name }} CHART --reuse-values --set ${sv.path}.existingSecret=NAME`,
        '  or',
        `    helm upgrade {{ .Release.Name }} CHART --reuse-values ${fillArgs(sv).join(' ')}`,
        `{{- end }}`,
      ]),
    );
  }
  return lines;
}

/** A service the chart runs from an image compose builds (`build:`), by its values key. */
export interface ChartBuild {
  key: string;
  build: BuildConfig;
  /** The project directory, that a local build context is shown relative to. */
  workingDir: string;
}

/**
 * NOTES.txt lines for the images compose builds: the cluster only pulls, so each is built and pushed under the name
 * the chart runs (its values image, through the `<chart>.image` helper), with the report's `docker build` words.
 */
function buildNotes(builds: readonly ChartBuild[], chart: string): string[] {
  if (!builds.length) return [];
  const lines = [
    '',
    "Images to build: Kubernetes does not build images, so these services' pods cannot start until their image is in",
    'a registry the cluster pulls from (or loaded into its nodes: kind load docker-image, minikube image load). Build',
    'and push each under a name the cluster can pull, and set KEY.image.repository and KEY.image.tag to it; each line',
    'shows the name the chart runs now:',
  ];
  for (const b of builds) {
    const image = `{{ include "${chart}.image" .Values.${b.key}.image }}`;
    const inputs = escapeTemplate(buildInputs(b.workingDir, b.build));
    lines.push(`  ${b.key}: docker build -t ${image} ${inputs} && docker push ${image}`);
  }
  if (builds.some((b) => Object.keys(b.build.args ?? {}).length))
    lines.push(
      '  (--build-arg NAME takes the value of NAME from your environment: export those the compose file sets)',
    );
  return lines;
}

/**
 * `toggles`: service key → `objects:` key of its Ingress (or HTTPRoute), when only some environments have it;
 * `secretToggles`: the same for Secrets, by name; `builds`: the services whose image compose builds, in the chart
 * named `chart`.
 */
export function notes(
  lifter: HelmLifter,
  project: string,
  toggles: ReadonlyMap<string, string>,
  secretToggles: ReadonlyMap<string, string>,
  builds: readonly ChartBuild[],
  chart: string,
): string {
  const lines = [
    `Release {{ .Release.Name }} of {{ .Chart.Name }} {{ .Chart.Version }} is installed in namespace {{ .Release.Namespace }}.`,
    escapeTemplate(
      `It was converted from the compose project "${project}" by compose2k8s; values.yaml holds what you can change.`,
    ),
  ];
  if (lifter.ingresses.length) {
    lines.push('', 'Ingress:');
    for (const key of lifter.ingresses) {
      const p = `.Values.${key}.ingress`;
      lines.push(
        toggles.has(key)
          ? `{{- if and (index .Values.objects ${JSON.stringify(toggles.get(key))}) ${p}.enabled }}`
          : `{{- if ${p}.enabled }}`,
        // One line per rule: the host value, or each host of the rules value (an Ingress of several rules).
        `{{- range (${p}.rules | default (list (dict "host" ${p}.host))) }}`,
        `  ${key}: http{{ if $${p}.tls }}s{{ end }}://{{ .host | default "<ingress address>" }}/`,
        `{{- end }}`,
        `{{- end }}`,
      );
    }
  }
  if (lifter.routes.length) {
    lines.push('', 'HTTPRoutes (DNS for the hosts points at the Gateway named in parentRefs):');
    for (const key of lifter.routes) {
      const p = `.Values.${key}.route`;
      lines.push(
        toggles.has(key)
          ? `{{- if and (index .Values.objects ${JSON.stringify(toggles.get(key))}) ${p}.enabled }}`
          : `{{- if ${p}.enabled }}`,
        `  ${key}: {{ if ${p}.hostnames }}{{ first ${p}.hostnames }}{{ else }}<gateway address>{{ end }}/`,
        `{{- end }}`,
      );
    }
  }
  lines.push(...buildNotes(builds, chart));
  lines.push(...secretNotes(lifter.secretValues, secretToggles));
  const claims = [...lifter.claimTemplates].flatMap(([key, list]) =>
    list.map((c) => ({ values: `${key}.persistence.${c.key}`, pvc: c.pvc })),
  );
  if (claims.length)
    lines.push(
      '',
      "Storage: a StatefulSet's claim template cannot change, so size and storageClass of these values are fixed",
      'at the first install (an upgrade that changes them fails). To grow a claim, edit its PVC (one per pod,',
      'the StorageClass must allow volume expansion):',
      ...claims.map(
        (c) =>
          `  ${c.values}: kubectl patch pvc ${c.pvc} --namespace {{ .Release.Namespace }} -p '{"spec":{"resources":{"requests":{"storage":"NEW_SIZE"}}}}'`,
      ),
    );
  if (lifter.jobs.length)
    lines.push(
      '',
      'Jobs: each is named after a hash of its spec. An upgrade that changes one (its image, its environment, a Secret',
      'it reads through existingSecret) creates a new Job, which runs again, and deletes the old one; an upgrade that',
      'leaves it as it is does not run it again. To run one again anyway, delete it, then upgrade:',
      ...lifter.jobs.map((j) => `  kubectl delete job --selector=${j.selector} --namespace {{ .Release.Namespace }}`),
      // Kubernetes deletes a Job nothing waits for after it finishes; Helm creates it again at the next upgrade.
      ...lifter.jobs.flatMap((j) =>
        j.ttlSeconds === undefined
          ? []
          : [
              `  (${j.name} is deleted ${j.ttlSeconds}s after it finishes: an upgrade after that runs it again, even unchanged)`,
            ],
      ),
    );
  if (lifter.droppedNamespace)
    lines.push('', 'The namespace is the release namespace: install with --namespace NAME --create-namespace.');
  return lines.join('\n') + '\n';
}
