/**
 * `--pod-security restricted`: the checker implements the restricted Pod Security Standard rule by
 * rule, the converter makes compliant services pass it, and services that cannot comply keep their
 * setting and get an `unsupported` entry plus a warning naming the service.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import { convertProject } from '../../../src/index.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';
import type { ConvertResult } from '../../../src/convert/result.js';
import { checkPodSpec, checkRestricted, type RestrictedRule } from '../../../src/convert/pod/security-check.js';
import { applyPodSecurity, HELPER_UID } from '../../../src/convert/pod/security.js';
import { ConvertContext } from '../../../src/convert/context.js';
import { defaultOptions } from '../../../src/convert/intent/options.js';
import { planPods } from '../../../src/convert/plan/plan.js';
import { buildContainer } from '../../../src/convert/container/container.js';
import { loadProject } from '../../../src/index.js';
import { nodeFs } from '../../../src/node/fs.js';
import { fromYaml } from '../../helpers/project.js';
import { expectValid, validateObjects } from '../../helpers/validate.js';
import { CORPUS, composeFiles } from '../../helpers/corpus.js';
import { withDialects } from '../../helpers/dialects.js';

const SAMPLES = fileURLToPath(new URL('../../../samples/', import.meta.url));
const restricted: Partial<ConvertOptions> = { podSecurity: 'restricted' };

function convert(
  yaml: string,
  options: Partial<ConvertOptions> = restricted,
  files: Record<string, string> = {},
): ConvertResult {
  const r = convertProject(fromYaml(yaml, files), options);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expectValid(r.objects);
  return r;
}

function podOf(r: ConvertResult, name: string, kind = 'Deployment'): PodSpec {
  const o = r.objects.find((x) => x.kind === kind && x.metadata.name === name) as
    { spec: { template: { spec: PodSpec } } } | undefined;
  if (!o) throw new Error(`no ${kind}/${name}`);
  return o.spec.template.spec;
}

/** The items of `key` (`sysctls.x`, `volumes[0]`...) that --pod-security restricted downgraded to unsupported. */
const unsupported = (r: ConvertResult, svc: string, key: string) =>
  r.report.entries.filter(
    (e) =>
      e.service === svc &&
      (e.key === key || e.key.startsWith(`${key}.`)) &&
      e.status === 'unsupported' &&
      e.id === `${key}.restricted`,
  );

const rules = (r: ConvertResult) => checkRestricted(r.objects).map((v) => v.rule);

describe('checkRestricted', () => {
  const good = (): Record<string, unknown> => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: {
        metadata: { labels: { a: 'b' } },
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'web',
              image: 'nginx',
              ports: [{ containerPort: 8080 }],
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
              },
            },
          ],
          volumes: [
            { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
    },
  });
  type Spec = PodSpec & { containers: Container[] };
  const mutate = (f: (spec: Spec, c: Container) => void): unknown => {
    const o = good() as { spec: { template: { spec: Spec } } };
    f(o.spec.template.spec, o.spec.template.spec.containers[0]!);
    return o;
  };
  const P = '/spec/template/spec';
  const C = `${P}/containers/0/securityContext`;

  it('accepts a compliant pod, and objects without pods', () => {
    expect(checkRestricted([good(), { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} }])).toEqual(
      [],
    );
  });

  const cases: Array<[string, (s: Spec, c: Container) => void, RestrictedRule, string]> = [
    ['hostNetwork', (s) => void (s.hostNetwork = true), 'host-namespaces', `${P}/hostNetwork`],
    ['hostPID', (s) => void (s.hostPID = true), 'host-namespaces', `${P}/hostPID`],
    ['hostIPC', (s) => void (s.hostIPC = true), 'host-namespaces', `${P}/hostIPC`],
    ['privileged', (_, c) => void (c.securityContext!.privileged = true), 'privileged', `${C}/privileged`],
    [
      'SYS_ADMIN (beyond baseline)',
      (_, c) => void (c.securityContext!.capabilities!.add = ['SYS_ADMIN']),
      'capabilities-baseline',
      `${C}/capabilities/add/0`,
    ],
    [
      'CHOWN (baseline, not restricted)',
      (_, c) => void (c.securityContext!.capabilities!.add = ['CHOWN']),
      'capabilities-add',
      `${C}/capabilities/add/0`,
    ],
    [
      'no drop ALL',
      (_, c) => void (c.securityContext!.capabilities!.drop = ['NET_RAW']),
      'capabilities-drop-all',
      `${C}/capabilities/drop`,
    ],
    [
      'hostPath',
      (s) => void (s.volumes = [{ name: 'h', hostPath: { path: '/' } }]),
      'host-path-volumes',
      `${P}/volumes/0/hostPath`,
    ],
    [
      'nfs volume',
      (s) => void (s.volumes = [{ name: 'n', nfs: { server: 'nfs', path: '/' } }]),
      'volume-types',
      `${P}/volumes/0/nfs`,
    ],
    ['hostPort', (_, c) => void (c.ports![0]!.hostPort = 80), 'host-ports', `${P}/containers/0/ports/0/hostPort`],
    [
      'AppArmor unconfined',
      (_, c) => void (c.securityContext!.appArmorProfile = { type: 'Unconfined' }),
      'apparmor',
      `${C}/appArmorProfile/type`,
    ],
    [
      'SELinux type',
      (_, c) => void (c.securityContext!.seLinuxOptions = { type: 'spc_t' }),
      'selinux',
      `${C}/seLinuxOptions/type`,
    ],
    [
      'SELinux user',
      (s) => void (s.securityContext!.seLinuxOptions = { user: 'system_u' }),
      'selinux',
      `${P}/securityContext/seLinuxOptions/user`,
    ],
    ['procMount', (_, c) => void (c.securityContext!.procMount = 'Unmasked'), 'proc-mount', `${C}/procMount`],
    [
      'seccomp unconfined',
      (_, c) => void (c.securityContext!.seccompProfile = { type: 'Unconfined' }),
      'seccomp',
      `${C}/seccompProfile/type`,
    ],
    ['seccomp unset', (s) => void delete s.securityContext!.seccompProfile, 'seccomp', `${C}/seccompProfile`],
    [
      'unsafe sysctl',
      (s) => void (s.securityContext!.sysctls = [{ name: 'kernel.msgmax', value: '1' }]),
      'sysctls',
      `${P}/securityContext/sysctls/0/name`,
    ],
    [
      'privilege escalation',
      (_, c) => void delete c.securityContext!.allowPrivilegeEscalation,
      'privilege-escalation',
      `${C}/allowPrivilegeEscalation`,
    ],
    ['runAsNonRoot unset', (s) => void delete s.securityContext!.runAsNonRoot, 'run-as-non-root', `${C}/runAsNonRoot`],
    [
      'runAsNonRoot false on the container',
      (_, c) => void (c.securityContext!.runAsNonRoot = false),
      'run-as-non-root',
      `${C}/runAsNonRoot`,
    ],
    ['runAsUser 0', (_, c) => void (c.securityContext!.runAsUser = 0), 'run-as-user', `${C}/runAsUser`],
    [
      'hostProcess',
      (_, c) => void (c.securityContext!.windowsOptions = { hostProcess: true }),
      'host-process',
      `${C}/windowsOptions/hostProcess`,
    ],
  ];
  it.each(cases)('catches %s', (_, f, rule, path) => {
    expect(checkRestricted([mutate(f)])).toEqual([{ object: 'Deployment/web', path, rule }]);
  });

  it('allows the safe sysctls, Localhost seccomp and container_t', () => {
    const o = mutate((s, c) => {
      s.securityContext!.sysctls = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }];
      c.securityContext!.seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' };
      c.securityContext!.seLinuxOptions = { type: 'container_t', level: 's0:c1,c2' };
    });
    expect(checkRestricted([o])).toEqual([]);
  });

  it('checks init containers and CronJob templates', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: {
        schedule: '@daily',
        jobTemplate: { spec: { template: (good() as { spec: { template: unknown } }).spec.template } },
      },
    };
    const t = (cron.spec.jobTemplate.spec.template as { spec: PodSpec }).spec;
    t.initContainers = [{ name: 'init', image: 'busybox' }];
    expect(checkRestricted([cron]).map((v) => v.path)).toEqual([
      '/spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/capabilities/drop',
      '/spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/allowPrivilegeEscalation',
    ]);
  });
});

describe('applyPodSecurity (--pod-security restricted)', () => {
  it('changes nothing without the option', () => {
    const r = convert('services: {web: {image: nginx}}', {});
    expect(podOf(r, 'web').securityContext).toBeUndefined();
    expect(rules(r)).toContain('run-as-non-root');
  });

  it('makes a plain service pass restricted and notes that its image must not run as root', () => {
    const r = convert('services:\n  web:\n    image: nginx\n    ports: ["80:8080"]\n');
    const spec = podOf(r, 'web');
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0]!.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(checkRestricted(r.objects)).toEqual([]);
    const user = r.report.entries.find((e) => e.service === 'web' && e.key === 'user');
    expect(user?.status).toBe('approximated');
    expect(user?.pos?.line).toBe(2);
  });

  it('reports a hostPort (x-k8s hostPorts) on the ports item it comes from, which the Services own', () => {
    const r = convert(`services:
  web:
    image: nginx
    user: "101"
    ports: ["8080:8080", "9443:9443"]
    x-k8s: {hostPorts: true}
`);
    expect(podOf(r, 'web').containers[0]!.ports!.map((p) => p.hostPort)).toEqual([8080, 9443]);
    expect(rules(r)).toEqual(['host-ports', 'host-ports']);
    const items = unsupported(r, 'web', 'ports');
    // The Services own `ports[i]` and come after pod security: their entry first, then the violation.
    expect(items.map((e) => [e.path, e.message])).toEqual([
      [
        'ports[0]',
        expect.stringMatching(/^in-cluster: Service\/web port 8080 .*; --pod-security restricted: uses a hostPort/),
      ],
      [
        'ports[1]',
        expect.stringMatching(/^in-cluster: Service\/web port 9443 .*; --pod-security restricted: uses a hostPort/),
      ],
    ]);
    expect(r.objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name)).toContain('web');
  });

  it('keeps a numeric user and cap_add NET_BIND_SERVICE', () => {
    const r = convert(
      'services:\n  web:\n    image: nginx\n    user: "101:101"\n    cap_add: [NET_BIND_SERVICE]\n    cap_drop: [NET_RAW]\n',
    );
    const sc = podOf(r, 'web').containers[0]!.securityContext!;
    expect(sc).toMatchObject({
      runAsUser: 101,
      runAsGroup: 101,
      capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
    });
    expect(checkRestricted(r.objects)).toEqual([]);
    expect(r.report.entries.filter((e) => e.service === 'web' && e.key === 'user').map((e) => e.status)).toEqual([
      'converted',
    ]);
  });

  it('makes start-order init containers and the sidecars comply', () => {
    const r = convert(`services:
  app:
    image: app
    user: "1000"
    depends_on: [db]
  log:
    image: fluent/fluent-bit
    user: "1000"
    network_mode: service:app
  db:
    image: postgres
    user: "999"
    expose: ["5432"]
`);
    const spec = podOf(r, 'app');
    expect(spec.initContainers?.length).toBeGreaterThan(0);
    expect(spec.containers).toHaveLength(2);
    expect(checkRestricted(r.objects)).toEqual([]);
    for (const c of spec.initContainers!) expect(c.securityContext?.runAsUser).toBeGreaterThan(0);
  });

  it('gives helper containers without a user uid 65532, and keeps a helper that names one', () => {
    const ctx = withDialects(
      new ConvertContext(fromYaml('services: {app: {image: app, user: "1000"}}'), defaultOptions(restricted)),
    );
    const [plan] = planPods(ctx);
    const c = buildContainer(ctx, plan!.main, plan!);
    plan!.spec.containers.push(c);
    plan!.containers.set('app', c);
    plan!.spec.initContainers = [
      { name: 'init', image: 'busybox', command: ['true'] },
      { name: 'named', image: 'busybox', securityContext: { runAsUser: 1234 } },
    ];
    applyPodSecurity(ctx, plan!);
    expect(plan!.spec.initContainers.map((i) => i.securityContext?.runAsUser)).toEqual([HELPER_UID, 1234]);
    expect(HELPER_UID).toBe(65532);
    expect(checkPodSpec(plan!.spec)).toEqual([]);
    expect(ctx.diags.list).toEqual([]);
  });

  it('overrides no-new-privileges:false and says so', () => {
    const r = convert(
      'services:\n  app:\n    image: app\n    user: "1000"\n    security_opt: ["no-new-privileges:false"]\n',
    );
    expect(podOf(r, 'app').containers[0]!.securityContext!.allowPrivilegeEscalation).toBe(false);
    const e = r.report.entries.filter(
      (x) => x.service === 'app' && x.key === 'security_opt' && x.status === 'approximated',
    );
    expect(e).toHaveLength(1);
    expect(e[0]!.message).toContain('allowPrivilegeEscalation: false');
    expect(e[0]!.pos?.line).toBe(5);
  });

  it('reports privileged: true as unsupported, keeps it, and warns naming the service', () => {
    const r = convert('services:\n  agent:\n    image: agent\n    user: "1000"\n    privileged: true\n');
    const sc = podOf(r, 'agent').containers[0]!.securityContext!;
    expect(sc.privileged).toBe(true);
    expect(sc.allowPrivilegeEscalation).toBeUndefined(); // the API server rejects false next to privileged
    expect(unsupported(r, 'agent', 'privileged')).toHaveLength(1);
    const w = r.diagnostics.find((d) => d.code === 'pod-security-violation');
    expect(w?.severity).toBe('warning');
    expect(w?.message).toMatch(/service agent .*privileged: true/);
    expect(w?.pos?.line).toBe(5);
    expect(new Set(rules(r))).toEqual(new Set(['privileged', 'privilege-escalation']));
  });

  it.each([['root'], ['"0"'], ['"0:0"']])('reports user %s as unsupported and keeps root explicit', (u) => {
    const r = convert(`services:\n  db:\n    image: db\n    user: ${u}\n`);
    expect(podOf(r, 'db').containers[0]!.securityContext!.runAsNonRoot).toBe(false);
    expect(unsupported(r, 'db', 'user')).toHaveLength(1);
    expect(rules(r)).toContain('run-as-non-root');
  });

  it('reports capabilities beyond NET_BIND_SERVICE; SYS_ADMIN keeps privilege escalation allowed', () => {
    const r = convert('services:\n  vpn:\n    image: vpn\n    user: "1000"\n    cap_add: [NET_ADMIN, SYS_ADMIN]\n');
    const sc = podOf(r, 'vpn').containers[0]!.securityContext!;
    expect(sc.allowPrivilegeEscalation).toBeUndefined();
    const e = unsupported(r, 'vpn', 'cap_add');
    expect(e).toHaveLength(1);
    expect(e[0]!.message).toContain('NET_ADMIN');
    expect(e[0]!.message).toContain('SYS_ADMIN');
  });

  it('reports host namespaces and unsafe sysctls (kept with --allow-unsafe-sysctls)', () => {
    const r = convert(
      `services:
  a:
    image: a
    user: "1000"
    network_mode: host
  b:
    image: b
    user: "1000"
    pid: host
    ipc: host
  c:
    image: c
    user: "1000"
    sysctls: {net.core.somaxconn: "1024", net.ipv4.tcp_syncookies: "1"}
`,
      { ...restricted, allowUnsafeSysctls: true },
    );
    expect(unsupported(r, 'a', 'network_mode')).toHaveLength(1);
    expect(unsupported(r, 'b', 'pid')).toHaveLength(1);
    expect(unsupported(r, 'b', 'ipc')).toHaveLength(1);
    const s = unsupported(r, 'c', 'sysctls');
    expect(s).toHaveLength(1);
    expect(s[0]!.message).toContain('net.core.somaxconn');
    expect(s[0]!.message).not.toContain('tcp_syncookies');
    expect(podOf(r, 'a').hostNetwork).toBe(true);
  });

  it('maps seccomp and AppArmor profiles and SELinux labels, reporting the unconfined ones', () => {
    const r = convert(`services:
  ok:
    image: a
    user: "1000"
    security_opt: ["seccomp=/etc/docker/seccomp/strict.json", "apparmor=my-profile", "label=level:s0:c100,c200"]
  bad:
    image: b
    user: "1000"
    security_opt: ["seccomp:unconfined", "apparmor:unconfined", "label:type:spc_t"]
`);
    const ok = podOf(r, 'ok').containers[0]!.securityContext!;
    expect(ok.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'strict.json' });
    expect(ok.appArmorProfile).toEqual({ type: 'Localhost', localhostProfile: 'my-profile' });
    expect(ok.seLinuxOptions).toEqual({ level: 's0:c100,c200' });
    expect(unsupported(r, 'ok', 'security_opt')).toEqual([]);
    // One item per option, each downgraded with its own reason.
    const bad = unsupported(r, 'bad', 'security_opt');
    expect(bad.map((e) => e.path)).toEqual(['security_opt[0]', 'security_opt[1]', 'security_opt[2]']);
    for (const [i, why] of ['seccomp unconfined', 'AppArmor unconfined', 'custom SELinux type'].entries())
      expect(bad[i]!.message).toContain(why);
    expect(checkRestricted(r.objects).every((v) => v.object === 'Deployment/bad')).toBe(true);
  });

  it('reports a hostPath volume (with --host-path) on the service that mounts it', () => {
    const r = convert(
      'services:\n  exporter:\n    image: e\n    user: "65534"\n    volumes: ["/proc:/host/proc:ro"]\n',
      { ...restricted, hostPath: true },
    );
    expect(podOf(r, 'exporter').volumes?.some((v) => v.hostPath)).toBe(true);
    const e = unsupported(r, 'exporter', 'volumes');
    expect(e).toHaveLength(1);
    expect(e[0]!.message).toContain('hostPath volume /proc');
  });

  it('applies to Jobs too', () => {
    const r = convert('services:\n  migrate:\n    image: m\n    user: "1000"\n    deploy: {mode: replicated-job}\n');
    expect(r.objects.some((o) => o.kind === 'Job')).toBe(true);
    expect(checkRestricted(r.objects)).toEqual([]);
  });
});

describe.runIf(existsSync(SAMPLES))('samples under --pod-security restricted', () => {
  const dirs = existsSync(SAMPLES)
    ? readdirSync(SAMPLES)
        .filter((d) => existsSync(`${SAMPLES}${d}/compose.yaml`))
        .sort()
    : [];
  it.each(dirs.map((d) => [d]))('%s: every violation is reported as unsupported', (dir) => {
    for (const hostPath of [false, true]) {
      const loaded = loadProject({ files: ['compose.yaml'], workingDir: `${SAMPLES}${dir}`, fs: nodeFs, env: {} });
      expect(loaded.project).toBeDefined();
      const r = convertProject(loaded.project!, { ...restricted, hostPath }, nodeFs);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const flagged = new Set(
        r.report.entries
          .filter((e) => e.status === 'unsupported' && /\.restricted(-|$)/.test(e.id))
          .flatMap((e) => e.objects),
      );
      const violations = checkRestricted(r.objects);
      for (const v of violations) expect(flagged, `${v.object} ${v.path} (${v.rule})`).toContain(v.object);
      for (const o of flagged)
        expect(
          violations.some((v) => v.object === o),
          o,
        ).toBe(true);
      if (dir !== 'monitoring') expect(violations).toEqual([]);
    }
  });
});

describe.runIf(existsSync(CORPUS))('corpus under --pod-security restricted', () => {
  it('converts to valid objects without internal errors, and every violation is a reported unsupported key', () => {
    const problems: string[] = [];
    let converted = 0;
    for (const f of composeFiles(CORPUS.replace(/\/$/, ''))) {
      const loaded = loadProject({ files: [f], workingDir: f.slice(0, f.lastIndexOf('/')), fs: nodeFs, env: {} });
      if (!loaded.project) continue;
      converted++;
      const r = convertProject(loaded.project, restricted, nodeFs);
      for (const d of r.diagnostics) if (d.code === 'internal-error') problems.push(`${f}: ${d.message}`);
      const flagged = new Set(
        r.report.entries
          .filter((e) => e.status === 'unsupported' && /\.restricted(-|$)/.test(e.id))
          .flatMap((e) => e.objects),
      );
      for (const v of checkRestricted(r.objects))
        if (!flagged.has(v.object)) problems.push(`${f}: ${v.object} ${v.path} (${v.rule}) not reported`);
      // Whatever the validator says about the default conversion is not ours; restricted adds nothing to it.
      const base = new Set(
        validateObjects(convertProject(loaded.project, {}, nodeFs).objects).map((i) => `${i.object} ${i.message}`),
      );
      for (const i of validateObjects(r.objects))
        if (!base.has(`${i.object} ${i.message}`)) problems.push(`${f}: ${i.object} ${i.path}: ${i.message}`);
    }
    expect(problems).toEqual([]);
    expect(converted).toBeGreaterThan(50);
  }, 300_000);
});
