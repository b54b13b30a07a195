/**
 * Probe settings from `x-k8s.probes.*` and the `kompose.service.healthcheck.*` labels (via overrides.ts),
 * applied on top of the probes derived from the compose `healthcheck`:
 *
 * - an action (exec / http / tcp) replaces the derived probe's action; http and tcp without a port use the
 *   service's first TCP port, http without a path uses `/`;
 * - timing fields override the derived probe's timing. A probe that did not exist takes its timing from the
 *   compose `healthcheck` (interval, timeout, retries — kompose does the same), else Kubernetes defaults;
 * - `disabled` removes the probe (and the default readiness probe is not added).
 *
 * Each label / x-k8s key that shaped a probe gets its own report entry. Part of the dialects' OverrideApplier
 * (intent/dialect.ts), called by probes.ts after the derived probes: only src/convert/dialects.ts imports it, so the
 * lean entry without dialects does not bundle it.
 */
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import type { Healthcheck, Service } from '../../model/types.js';
import type { OutcomeId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
import type { SourcePos } from '../../report/diagnostic.js';
import type { ConvertContext } from '../context.js';
import type { PodPlan } from '../plan/pod.js';
import { serviceOverrides, type ProbeOverride } from '../intent/overrides.js';
import { dialect } from '../intent/dialect.js';
import { healthcheckDisabled } from '../../model/healthcheck.js';
import { probesFromHealthcheck } from './probes.js';
import { workloadRef } from './container.js';

type ProbeKind = 'readiness' | 'liveness' | 'startup';
const FIELD = { readiness: 'readinessProbe', liveness: 'livenessProbe', startup: 'startupProbe' } as const;
const KINDS: readonly ProbeKind[] = ['readiness', 'liveness', 'startup'];

type Outcome = 'disabled' | 'invalid' | 'timing-only' | 'set';

/** The outcome of a probe setting, for a kompose label and for an x-k8s key. */
const OUTCOME: Record<Outcome, readonly [label: OutcomeId, xk8s: OutcomeId]> = {
  disabled: ['labels.kompose.probe-disabled', 'x-k8s.probes-disabled'],
  invalid: ['labels.kompose.probe-invalid', 'x-k8s.probes-invalid'],
  'timing-only': ['labels.kompose.probe-timing-only', 'x-k8s.probes-timing-only'],
  set: ['labels.kompose.probe-set', 'x-k8s.probes-set'],
};

interface Source {
  key: string;
  pos?: SourcePos;
}

/**
 * The report keys (and positions) of the labels / x-k8s keys that set the `kind` probe of `svc`: only those of the
 * dialects passed, as only they were read (another's label or key has its `report.dialect-not-loaded` entry).
 */
function probeSources(ctx: ConvertContext, svc: Service, kind: ProbeKind): Source[] {
  const out: Source[] = [];
  const prefix = `kompose.service.healthcheck.${kind}.`;
  const seen = new Set<string>();
  const labelSets = dialect(ctx, 'kompose')
    ? ([
        ['labels', svc.labels],
        ['deploy.labels', svc.deploy?.labels ?? {}],
      ] as const)
    : [];
  for (const [where, labels] of labelSets) {
    for (const k of Object.keys(labels)) {
      if (!k.startsWith(prefix) || seen.has(k)) continue;
      seen.add(k);
      const segs = where.split('.');
      out.push({ key: `labels.${k}`, pos: ctx.servicePos(svc, ...segs, k) ?? ctx.servicePos(svc, ...segs) });
    }
  }
  const x = dialect(ctx, 'x-k8s') ? svc.extensions['x-k8s'] : undefined;
  const probes = x && typeof x === 'object' ? (x as Record<string, unknown>)['probes'] : undefined;
  if (probes && typeof probes === 'object' && kind in probes)
    out.push({ key: `x-k8s.probes.${kind}`, pos: ctx.servicePos(svc, 'x-k8s', 'probes', kind) });
  return out;
}

function firstTcpPort(c: Container): number | undefined {
  return c.ports?.find((p) => (p.protocol ?? 'TCP') === 'TCP')?.containerPort;
}

function seconds(ms: number | undefined): number | undefined {
  return ms === undefined || ms <= 0 ? undefined : Math.max(1, Math.ceil(ms / 1000));
}

/** Timing for a probe the healthcheck did not produce: the healthcheck's own timing, where written. */
function healthcheckTiming(hc: Healthcheck | undefined, kind: ProbeKind, livenessFactor: number): Probe {
  if (!hc) return {};
  const t: Probe = {};
  const period = seconds(hc.interval);
  const timeout = seconds(hc.timeout);
  if (period !== undefined) t.periodSeconds = period;
  if (timeout !== undefined) t.timeoutSeconds = timeout;
  if (hc.retries !== undefined && hc.retries > 0)
    t.failureThreshold = kind === 'liveness' ? hc.retries * livenessFactor : hc.retries;
  return t;
}

type Action = Pick<Probe, 'exec' | 'httpGet' | 'tcpSocket'>;

function action(o: ProbeOverride, c: Container): Action | string {
  if (o.type === 'exec')
    return o.command?.length ? { exec: { command: [...o.command] } } : 'exec probe without a command';
  const port = o.port ?? firstTcpPort(c);
  if (port === undefined) return `${o.type} probe without a port, and the container has no TCP port`;
  if (o.type === 'http') return { httpGet: { path: o.path ?? '/', port } };
  return { tcpSocket: { port } };
}

function describe(p: Probe): string {
  const a = p.exec
    ? `exec ${JSON.stringify(p.exec.command)}`
    : p.httpGet
      ? `httpGet ${p.httpGet.path ?? '/'} port ${String(p.httpGet.port)}`
      : p.tcpSocket
        ? `tcpSocket port ${String(p.tcpSocket.port)}`
        : 'no action';
  const t = [
    p.periodSeconds !== undefined ? `every ${p.periodSeconds}s` : undefined,
    p.timeoutSeconds !== undefined ? `timeout ${p.timeoutSeconds}s` : undefined,
    p.failureThreshold !== undefined ? `failureThreshold ${p.failureThreshold}` : undefined,
    p.initialDelaySeconds !== undefined ? `initialDelaySeconds ${p.initialDelaySeconds}` : undefined,
  ].filter(Boolean);
  return `${a}${t.length ? `, ${t.join(', ')}` : ''}`;
}

/** Apply the service's probe overrides to its container (after the healthcheck-derived probes are set). */
export function applyProbeOverrides(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  livenessFactor: number,
): void {
  const o = serviceOverrides(ctx, svc);
  const objects = [`${plan.kind}/${plan.name}`];
  for (const kind of KINDS) {
    const ov = o[kind];
    if (!ov) continue;
    const sources = probeSources(ctx, svc, kind);
    // Each label / x-k8s key is its own item; override-entries.ts leaves items reported here alone.
    const rec = (what: Outcome, values: Values = {}): void => {
      for (const s of sources)
        ctx.outcome(svc.name, s.key, OUTCOME[what][s.key.startsWith('x-k8s.') ? 1 : 0], values, {
          objects,
          ...(s.pos ? { pos: s.pos } : {}),
        });
    };
    const field = FIELD[kind];
    if (ov.disabled) {
      delete c[field];
      rec('disabled', { field });
      continue;
    }
    const existing = c[field];
    let probe: Probe;
    if (ov.type) {
      const a = action(ov, c);
      if (typeof a === 'string') {
        rec('invalid', { field, why: a });
        continue;
      }
      const {
        exec: _e,
        httpGet: _h,
        tcpSocket: _t,
        grpc: _g,
        ...timing
      } = existing ?? healthcheckTiming(svc.healthcheck, kind, livenessFactor);
      probe = { ...a, ...timing };
    } else if (existing) {
      probe = { ...existing };
    } else {
      rec('timing-only', { field });
      continue;
    }
    if (ov.periodSeconds !== undefined) probe.periodSeconds = ov.periodSeconds;
    if (ov.timeoutSeconds !== undefined) probe.timeoutSeconds = ov.timeoutSeconds;
    if (ov.failureThreshold !== undefined) probe.failureThreshold = ov.failureThreshold;
    if (ov.initialDelaySeconds !== undefined) probe.initialDelaySeconds = ov.initialDelaySeconds;
    c[field] = probe;
    rec('set', { field, probe: describe(probe) });
  }
}

/**
 * OverrideApplier.healthcheck: when the probe settings give the pod a probe action or switch readiness off, the
 * compose healthcheck only adds its own probes (no default probe, no check of the files it uses) and says what is
 * left of it; true then, false when probes.ts derives the probes as without settings.
 */
export function overriddenHealthcheck(ctx: ConvertContext, svc: Service, c: Container, plan: PodPlan): boolean {
  const o = serviceOverrides(ctx, svc);
  if (!(o.readiness?.disabled || o.readiness?.type || (o.liveness?.type && !o.liveness.disabled))) return false;
  const hc = svc.healthcheck;
  const at = { objects: [workloadRef(plan)] };
  if (healthcheckDisabled(hc)) ctx.outcome(svc.name, 'healthcheck', 'healthcheck.disabled-overridden', {}, at);
  else if (hc?.test && hc.test.length > 0) probesFromHealthcheck(ctx, svc, c, plan, hc);
  else if (hc) ctx.outcome(svc.name, 'healthcheck', 'healthcheck.timing-only', {}, at);
  return true;
}
