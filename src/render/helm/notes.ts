/** templates/NOTES.txt: where the release answers, and what each Secret still needs. */
import type { HelmLifter } from './lift.js';
import { escapeTemplate } from './markers.js';
import type { SecretValues } from './secret-refs.js';
function setArg(path: string): string {
  const [head, ...rest] = path.split('.');
  // The last segment is a data key, which may hold dots or commas: escape them for --set.
  const last = rest.pop() ?? '';
  return [head, ...rest, last.replace(/([.,\\])/g, '\\$1')].join('.');
}

/** `kubectl create secret` for one Secret of the chart, named NAME by the user. */
function createSecretCommand(sv: SecretValues): string {
  const tls = sv.type === 'kubernetes.io/tls' && sv.keys.every((k) => k === 'tls.crt' || k === 'tls.key');
  // Secret names and data keys are DNS names and [-._a-zA-Z0-9] keys: nothing a template would evaluate.
  if (tls) return `kubectl create secret tls NAME --namespace {{ .Release.Namespace }} --cert=tls.crt --key=tls.key`;
  const type = sv.type === 'Opaque' ? '' : ` --type=${sv.type}`;
  const from = sv.keys.map((k) => (sv.use === 'files' ? ` --from-file=${k}=./${k}` : ` --from-literal=${k}=...`));
  return `kubectl create secret generic NAME --namespace {{ .Release.Namespace }}${type}${from.join('')}`;
}

/**
 * NOTES.txt lines for the Secrets whose converted values are placeholders: values.yaml holds none of their values,
 * so each must be created (and named with existingSecret) or given at install time. Once either is done the note
 * says so.
 */
function secretNotes(secrets: readonly SecretValues[]): string[] {
  const needed = secrets.filter((s) => s.missing.length > 0);
  const existing = (sv: SecretValues): string[] => [
    `  ${sv.name}: the existing Secret {{ .Values.${sv.path}.existingSecret }}. The chart cannot see its content: after changing it,`,
    `    kubectl rollout restart deployment,statefulset,daemonset --namespace {{ .Release.Namespace }} -l app.kubernetes.io/instance={{ .Release.Name }}`,
  ];
  const lines: string[] = [];
  // A Secret without placeholders is noted only once an existing one replaces it (upgrades cannot roll its readers).
  for (const sv of secrets.filter((s) => s.missing.length === 0))
    lines.push(`{{- if .Values.${sv.path}.existingSecret }}`, ...existing(sv), `{{- end }}`);
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
    const given = sv.missing.map((k) => `(index ${p}.values ${JSON.stringify(k)})`).join(' ');
    lines.push(
      `{{- if ${p}.existingSecret }}`,
      ...existing(sv),
      sv.missing.length > 1 ? `{{- else if and ${given} }}` : `{{- else if ${given} }}`,
      `  ${sv.name}: values given at install time.`,
      `{{- else }}`,
      `  ${sv.name} (keys ${sv.missing.join(', ')}) holds placeholders; either`,
      `    ${createSecretCommand(sv)}`,
      `    helm upgrade {{ .Release.Name }} CHART --reuse-values --set ${setArg(`${sv.path}.existingSecret`)}=NAME`,
      '  or',
      `    helm upgrade {{ .Release.Name }} CHART --reuse-values ${sv.missing.map((k) => `--set-string ${setArg(`${sv.path}.values.${k}`)}=...`).join(' ')}`,
      `{{- end }}`,
    );
  }
  return lines;
}

/** `toggles`: service key → `objects:` key of its Ingress (or HTTPRoute), when only some environments have it. */
export function notes(lifter: HelmLifter, project: string, toggles: ReadonlyMap<string, string> = new Map()): string {
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
        `  ${key}: http{{ if ${p}.tls }}s{{ end }}://{{ ${p}.host | default "<ingress address>" }}/`,
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
  lines.push(...secretNotes(lifter.secretValues));
  if (lifter.droppedNamespace)
    lines.push('', 'The namespace is the release namespace: install with --namespace NAME --create-namespace.');
  return lines.join('\n') + '\n';
}
