/**
 * Compose `healthcheck` → readiness, liveness and startup probes (issue 5).
 *
 * - The check: `[CMD, a, b]` → exec `[a, b]`; `[CMD-SHELL, s]` → exec `[sh, -c, s]`; a test that is
 *   plainly one curl/wget GET of the container itself → `httpGet` (no curl needed in the image).
 * - Timing: interval → periodSeconds, timeout → timeoutSeconds, retries → failureThreshold, with the
 *   Compose defaults (30s, 30s, 3). start_period → a startupProbe polling every start_interval (5s)
 *   for the whole start period, so slow starters are not killed; without start_period, a startupProbe with
 *   the same check and period. Either way its window is at least STARTUP_SECONDS (first starts can take
 *   minutes, and Docker never kills an unhealthy container).
 * - Liveness is deliberately less trigger-happy than readiness: same check and period, twice the
 *   failureThreshold. Docker only marks an unhealthy container; Kubernetes restarts it, so a pod is
 *   first taken out of its Service and only restarted when it stays unhealthy twice as long.
 * - No healthcheck: a tcpSocket readiness probe on a port the container is known to serve (plan/ports.ts
 *   servedPorts; option `defaultProbes`), or a `no-probes` finding saying why there is none.
 * - Then `x-k8s.probes` / `kompose.service.healthcheck.*` change or replace them: the dialects' override applier
 *   (intent/dialect.ts; probes-overrides.ts), present only when a dialect that reads them was passed. When they
 *   replace the derived action or switch readiness off, the applier takes the healthcheck too (no default probe).
 */
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import { healthcheckDisabled } from '../../model/healthcheck.js';
import type { Healthcheck, Service } from '../../model/types.js';
import type { PodPlan } from '../plan/pod.js';
import type { ContainerStep } from '../step.js';
import type { ConvertContext } from '../context.js';
import { parseHttpArgv, testCommand, type HttpCheck } from './http-check.js';
import { overrideApplier } from '../intent/dialect.js';
import { imageTag, statefulImage } from '../../kube/images.js';
import { routesOf, servedPorts } from '../plan/ports.js';
import { heuristicImage } from '../plan/base-image.js';
import type { OutcomeId, PhraseId } from '../../mappings/outcomes.js';
import type { Values } from '../book.js';
import { namedBelow, sourceOverApp } from '../storage/bind-kinds.js';
import { normalize } from '../../util/path.js';
import { selfNamedTest } from './self-named.js';
import { workloadRef } from './container.js';
import { reachOf } from '../network/reach.js';
import { LONG_RUNNING } from '../../kube/workloads.js';

/** A readiness check to suggest for a well-known image (STATEFUL_IMAGES key), a phrase of report.yaml (`test.*`). */
const SUGGESTED_TEST: Readonly<Record<string, PhraseId>> = {
  postgres: 'test.pg-isready',
  postgis: 'test.pg-isready',
  timescaledb: 'test.pg-isready',
  'bitnami/postgresql': 'test.pg-isready',
  mysql: 'test.mysqladmin',
  percona: 'test.mysqladmin',
  mariadb: 'test.mariadb',
  redis: 'test.redis',
  'redis-stack-server': 'test.redis',
  'bitnami/redis': 'test.redis',
  valkey: 'test.valkey',
  mongo: 'test.mongo',
  rabbitmq: 'test.rabbitmq',
};

/**
 * The `test:` a fix suggests for `svc` (values of `{~test}`): the check of its image where the image is known
 * (`pg_isready`, `redis-cli ping`: databases speak no HTTP and ship no curl), an HTTP check on its port where it is
 * routed as HTTP, else a generic one. A mariadb before 11 may predate healthcheck.sh: mysqladmin, which it has; a
 * mongo before 5 has the legacy mongo shell, not mongosh.
 */
export function suggestedTest(ctx: ConvertContext, svc: Service | undefined): Values {
  const image = svc ? heuristicImage(ctx, svc) : undefined;
  const key = image ? statefulImage(image) : undefined;
  const known = key ? SUGGESTED_TEST[key] : undefined;
  if (known === 'test.mariadb' && /^(5|10)\./.test(imageTag(image!))) return { test: 'test.mysqladmin' };
  if (known === 'test.mongo' && /^[34]\./.test(imageTag(image!))) return { test: 'test.mongo-shell' };
  if (known) return { test: known };
  const http = svc ? routesOf(ctx, svc.name)[0] : undefined;
  return http ? { test: 'test.http', httpPort: http.port.target } : { test: 'test.generic' };
}

const DEFAULT_INTERVAL_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 3;
const DEFAULT_START_INTERVAL_MS = 5_000;
/**
 * The shortest startup window (before liveness applies): Docker never restarts an unhealthy container, while a
 * liveness probe kills one that is still starting, and the restart starts over. First starts (schema
 * migrations, a database's initialisation or crash recovery) can take minutes; a longer window costs nothing
 * once the app is up, since the startupProbe ends at its first success.
 */
export const STARTUP_SECONDS = 300;
/** Liveness failureThreshold = readiness failureThreshold × this. */
export const LIVENESS_FACTOR = 2;

/** Milliseconds → whole seconds (rounded up, at least 1); 0 or absent → the default. */
function seconds(ms: number | undefined, defMs: number): number {
  const v = ms === undefined || ms <= 0 ? defMs : ms;
  return Math.max(1, Math.ceil(v / 1000));
}

/**
 * The container's TCP ports, in order: those the service declares (ports, then expose) and those an Ingress routes to
 * (container.ts containerPorts).
 */
export function declaredTcpPorts(c: Container): number[] {
  return (c.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.containerPort);
}

type Handler = Pick<Probe, 'exec' | 'httpGet' | 'tcpSocket'>;

function httpHandler(h: HttpCheck): Handler {
  return {
    httpGet: {
      path: h.path,
      port: h.port,
      ...(h.scheme === 'HTTPS' ? { scheme: 'HTTPS' } : {}),
      ...(h.headers.length ? { httpHeaders: h.headers.map((x) => ({ name: x.name, value: x.value })) } : {}),
    },
  };
}

/**
 * A probe: its own copy of the handler (a later patch may edit one probe), then the timings (in this key order).
 * Built by stores rather than by `{ ...handler, periodSeconds }`: V8 gives each object of such a literal a hidden
 * class of its own.
 */
function probe(handler: Handler, periodSeconds: number, timeoutSeconds: number, failureThreshold: number): Probe {
  const p: Probe = structuredClone(handler);
  p.periodSeconds = periodSeconds;
  p.timeoutSeconds = timeoutSeconds;
  p.failureThreshold = failureThreshold;
  return p;
}

interface Check {
  handler: Handler;
  /** How the check was translated, for the report: the phrase `how` and its values. */
  how: Values;
}

/** Translate a healthcheck test; the problem (the phrase `why` and its values) when it cannot be. */
function translateTest(test: string[], ports: number[]): Check | { why: PhraseId; form?: string } {
  const kind = test[0];
  if (kind === 'CMD') {
    if (test.length < 2) return { why: 'healthcheck.cmd-without-command' };
  } else if (kind === 'CMD-SHELL') {
    if (test.length !== 2 || !test[1]!.trim()) return { why: 'healthcheck.shell-one-string' };
  } else {
    return { why: 'healthcheck.unknown-form', form: JSON.stringify(kind) };
  }
  const exec = testCommand(test)!;
  // An argv or `sh -c` script that is plainly one HTTP GET of the container itself.
  const http = parseHttpArgv(exec);
  if (http && ports.includes(http.port))
    return {
      handler: httpHandler(http),
      how: {
        how: 'probe.http-get',
        scheme: http.scheme === 'HTTPS' ? 'https' : 'http',
        httpPort: http.port,
        httpPath: http.path,
      },
    };
  return {
    handler: { exec: { command: exec } },
    how: http ? { how: 'probe.exec-http', httpPort: http.port } : { how: 'probe.exec' },
  };
}

/**
 * A check that deletes the file it tests (a heartbeat the app re-creates): `os.remove('/tmp/health.txt')` or `rm F`
 * (each fails when F is missing: the deletion is the test), `test -f F && rm -f F` (`rm -f` never fails, so F must
 * be tested elsewhere in the check: an `rm -f /tmp/lock` beside a `curl` consumes nothing it tests).
 */
const CONSUMES = [
  /\bos\.(?:remove|unlink)\(\s*['"]([^'"]+)['"]/,
  /(?:^|[\s;&|(])(?:rm|unlink)\s+((?:-[a-zA-Z]+\s+)*)['"]?(\/[^\s'";&|)]+)/,
];

/** The file an exec check deletes, or undefined: it consumes what it tests, so it must run as one probe. */
export function consumedFile(handler: Handler): string | undefined {
  const text = handler.exec?.command?.join(' ') ?? '';
  for (const re of CONSUMES) {
    const m = re.exec(text);
    if (!m) continue;
    const file = m[2] ?? m[1]!;
    const forced = m[2] !== undefined && /f/.test(m[1] ?? '');
    if (!forced || text.split(file).length > 2) return file;
  }
  return undefined;
}

/** Probes from the healthcheck's test; false when it cannot become one (reported). */
export function probesFromHealthcheck(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  hc: Healthcheck,
): boolean {
  const test = selfNamedTest(ctx, svc, plan, hc.test!);
  const check = translateTest(test, declaredTcpPorts(c));
  if ('why' in check) {
    ctx.downgrade(svc.name, 'healthcheck.test', 'healthcheck.test.invalid', check);
    return false;
  }
  const period = seconds(hc.interval, DEFAULT_INTERVAL_MS);
  const timeout = seconds(hc.timeout, DEFAULT_TIMEOUT_MS);
  const retries = hc.retries !== undefined && hc.retries > 0 ? hc.retries : DEFAULT_RETRIES;
  c.readinessProbe = probe(check.handler, period, timeout, retries);
  // A check that deletes what it tests runs once per interval in Docker; a readiness and a liveness probe on their own
  // timers would take turns finding the file gone (sentry's consumers). Readiness only: Docker never restarts either.
  const consumed = consumedFile(check.handler);
  if (!consumed) c.livenessProbe = probe(check.handler, period, timeout, retries * LIVENESS_FACTOR);
  // Without start_period the startup probe has the same check and period. Docker never kills an unhealthy
  // container; the liveness probe would kill an app still migrating its schema, or a database still initialising or
  // replaying its log after a crash, and the restart begins again.
  const grace = hc.start_period !== undefined && hc.start_period > 0;
  if (!grace && hc.start_interval !== undefined)
    ctx.outcome(svc.name, 'healthcheck.start_interval', 'healthcheck.start_interval.no-start-period');
  const every = grace ? seconds(hc.start_interval, DEFAULT_START_INTERVAL_MS) : period;
  // start_period is a grace period, not a deadline: Docker ignores failures during it and then still
  // allows `retries` failed checks `interval` apart before the container counts as unhealthy.
  const window = grace ? hc.start_period! / 1000 + retries * period : 0;
  const threshold = Math.max(2, Math.ceil(Math.max(window, STARTUP_SECONDS) / every));
  c.startupProbe = probe(check.handler, every, timeout, threshold);
  const startFor = every * threshold;
  let startup: Values;
  if (grace)
    startup =
      window >= STARTUP_SECONDS
        ? { startup: 'startup.window', startEvery: every, startFor }
        : { startup: 'startup.short-window', startEvery: every, startFor, window };
  else {
    const image = heuristicImage(ctx, svc);
    const db = image ? statefulImage(image) : undefined;
    startup = db
      ? { startup: 'startup.database', db, startEvery: every, startFor }
      : { startup: 'startup.first-start', startEvery: every, startFor };
  }
  ctx.outcome(
    svc.name,
    'healthcheck',
    consumed ? 'healthcheck.probes-consuming' : 'healthcheck.probes',
    {
      ...check.how,
      period,
      timeout,
      retries,
      restartAfter: retries * LIVENESS_FACTOR,
      consumed: consumed ?? '',
      ...startup,
    },
    { objects: [workloadRef(plan)] },
  );
  return true;
}

/**
 * A tcpSocket readiness probe on a port the container is known to serve, or the finding that it has none. `why` says
 * why there is no probe from a healthcheck (a phrase of report.yaml, `hc-probe.*`, and its values); `said`: the
 * healthcheck entry already says it (a healthcheck without test), so the probe's note, added to that entry, does not
 * repeat it.
 */
function defaultProbe(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  plan: PodPlan,
  why: Values,
  said = false,
  tcp: OutcomeId = why.why === 'hc-probe.no-healthcheck' ? 'healthcheck.default-tcp' : 'healthcheck.fallback-tcp',
): void {
  // A one-shot pod (Job, CronJob) is not probed: nothing routes to it or waits for its readiness, and it often runs a
  // tool of its image (kibana-encryption-keys, pg_dump), not the server that would listen on the image's port.
  if (!LONG_RUNNING.has(plan.kind)) return;
  // Only a port the container is known to serve (routed as HTTP, addressed by peers, named by itself, listened on
  // by its command, the image's well-known port): the first declared port may be one nothing listens on (an unused
  // 1888, SMTP 25).
  const served = servedPorts(ctx, svc)[0];
  const port = served?.port;
  if (port !== undefined && ctx.options.defaultProbes) {
    c.readinessProbe = { tcpSocket: { port }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 };
    // Added to the healthcheck's own entry when it has one (a healthcheck without test): one item, one entry.
    // Its why: the served port's phrase, after the healthcheck's unless said (a list, `{~why|; }`).
    const { why: servedWhy, ...servedValues } = served!.why;
    ctx.downgrade(
      svc.name,
      'healthcheck',
      tcp,
      { ...why, ...servedValues, why: said ? servedWhy! : `${why.why} ${servedWhy}`, port, ...suggestedTest(ctx, svc) },
      { objects: [workloadRef(plan)] },
    );
    return;
  }
  const declared = declaredTcpPorts(c);
  // A sidecar whose image's well-known port its pod's main container serves (network/reach.ts mainHolds).
  const held = reachOf(ctx, svc.name).mainHolds[0];
  const main: Values = held === undefined ? {} : { mainPort: held, main: ctx.index.ownerOf(svc.name) };
  if (port === undefined && ctx.options.defaultProbes)
    ctx.downgrade(
      svc.name,
      'healthcheck',
      held !== undefined
        ? 'healthcheck.main-holds-port'
        : declared.length
          ? 'healthcheck.declared-unserved'
          : 'healthcheck.no-known-port',
      {
        lead: said ? 'hc-probe.said' : 'hc-probe.lead',
        ...why,
        ports: declared.join(', '),
        ...main,
        ...suggestedTest(ctx, svc),
      },
      { objects: [workloadRef(plan)] },
    );
  // Why no probe is derived, and the test to suggest: phrases of report.yaml.
  const reason: PhraseId =
    port !== undefined
      ? 'no-probe.disabled'
      : declared.length
        ? 'no-probe.no-known-port'
        : held !== undefined
          ? 'no-probe.main-holds-port'
          : svc.ports.length || svc.expose.length || c.ports?.length // any port at all (any protocol)
            ? 'no-probe.no-tcp-port'
            : 'no-probe.no-port';
  ctx.finding(
    'no-probes',
    {
      container: c.name,
      ...why,
      reason,
      ...suggestedTest(ctx, svc),
      ...(declared.length ? { declared: declared.join(', ') } : {}),
      ...main,
    },
    { object: workloadRef(plan), service: svc.name, pos: ctx.servicePos(svc) },
  );
}

/** ContainerStep: probes for one container from its service's healthcheck, then its probe overrides. */
export const applyProbes: ContainerStep = (ctx, svc, container, plan) => {
  const applier = overrideApplier(ctx);
  if (!applier?.healthcheck(ctx, svc, container, plan)) probesFromService(ctx, svc, container, plan);
  applier?.probes(ctx, svc, container, plan, LIVENESS_FACTOR);
};

/**
 * The path a healthcheck test runs or reads (bind-kinds.ts namedBelow: its program, a script or config file) from a
 * bind mount of `svc` that storage did not emit (a missing file or directory, a host path), with that mount's item;
 * not one over the image's own copy of the build context (the image holds the file).
 */
function unmountedPath(
  ctx: ConvertContext,
  svc: Service,
  c: Container,
  test: readonly string[],
): { used: string; item: string } | undefined {
  const words = test[0] === 'CMD' ? test.slice(1) : test[0] === 'CMD-SHELL' ? (test[1] ?? '').trim().split(/\s+/) : [];
  const mounted = new Set((c.volumeMounts ?? []).map((m) => normalize(m.mountPath)));
  for (const [i, v] of svc.volumes.entries()) {
    if (v.type !== 'bind' || mounted.has(normalize(v.target))) continue;
    const used = namedBelow(words, v.target, svc.working_dir, true);
    if (used && !sourceOverApp(ctx, svc, v)) return { used, item: `volumes[${i}]` };
  }
  return undefined;
}

function probesFromService(ctx: ConvertContext, svc: Service, container: Container, plan: PodPlan): void {
  const hc = svc.healthcheck;
  if (healthcheckDisabled(hc)) {
    ctx.outcome(svc.name, 'healthcheck', 'healthcheck.disabled', {}, { objects: [workloadRef(plan)] });
    return;
  }
  if (hc?.test && hc.test.length > 0) {
    const missing = unmountedPath(ctx, svc, container, hc.test);
    if (missing) {
      // Docker only marks such a container unhealthy; a liveness or startup probe would restart it forever.
      const why = { why: 'hc-probe.unmounted', used: missing.used, item: missing.item };
      defaultProbe(ctx, svc, container, plan, why, false, 'healthcheck.unmounted-tcp');
      return;
    }
    if (!probesFromHealthcheck(ctx, svc, container, plan, hc))
      defaultProbe(ctx, svc, container, plan, { why: 'hc-probe.not-convertible' });
    return;
  }
  if (hc) {
    ctx.outcome(svc.name, 'healthcheck', 'healthcheck.no-test');
  }
  defaultProbe(
    ctx,
    svc,
    container,
    plan,
    { why: hc ? 'hc-probe.no-test' : 'hc-probe.no-healthcheck' },
    hc !== undefined,
  );
}
