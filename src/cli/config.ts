/**
 * `compose2k8s config`: print the resolved project like `docker compose config` does — services
 * sorted, long syntax, durations as Go durations (`1m30s`), no positions.
 */
import { Command, Option } from 'commander';
import type { Project, Service } from '../model/types.js';
import { emitYaml } from '../render/emit.js';
import { loadFromFlags, type CliIO, type LoadFlags } from './common.js';
import { addLoadOptions } from './options.js';

/** Go's `time.Duration.String()` for a number of milliseconds. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  let out: string;
  if (rest < 1000) {
    out = rest >= 1 ? `${trim(rest)}ms` : `${trim(rest * 1000)}µs`;
  } else {
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const m = Math.floor(rest / 60_000);
    rest -= m * 60_000;
    const s = `${trim(rest / 1000)}s`;
    out = h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
  }
  return neg ? '-' + out : out;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}

type Obj = Record<string, unknown>;

function durations(o: Obj | undefined, keys: string[]): Obj | undefined {
  if (!o) return o;
  const out: Obj = { ...o };
  for (const k of keys) if (typeof out[k] === 'number') out[k] = formatDuration(out[k] as number);
  return out;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (v !== null && typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

function sortKeys(o: Obj): Obj {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}

function renderService(svc: Service): Obj {
  const { name: _name, extensions, unsetEnvironment: _unset, ...rest } = svc;
  const out: Obj = { ...rest };
  for (const k of ['environment', 'labels', 'ports', 'expose', 'volumes', 'depends_on', 'secrets', 'configs']) {
    if (isEmpty(out[k])) delete out[k];
  }
  if (svc.command === null) out.command = [];
  if (svc.entrypoint === null) out.entrypoint = [];
  out.networks = Object.fromEntries(Object.entries(svc.networks).map(([n, a]) => [n, isEmpty(a) ? null : a]));
  if (isEmpty(out.networks) && svc.network_mode) delete out.networks;
  if (svc.healthcheck)
    out.healthcheck = durations(svc.healthcheck as Obj, ['interval', 'timeout', 'start_period', 'start_interval']);
  if (svc.stop_grace_period !== undefined) out.stop_grace_period = formatDuration(svc.stop_grace_period);
  if (svc.extra_hosts) out.extra_hosts = svc.extra_hosts.map((h) => `${h.host}=${h.ip}`);
  if (svc.deploy) {
    const d: Obj = { ...svc.deploy };
    if (svc.deploy.restart_policy) d.restart_policy = durations(svc.deploy.restart_policy as Obj, ['delay', 'window']);
    if (svc.deploy.update_config) d.update_config = durations(svc.deploy.update_config as Obj, ['delay', 'monitor']);
    if (svc.deploy.rollback_config)
      d.rollback_config = durations(svc.deploy.rollback_config as Obj, ['delay', 'monitor']);
    out.deploy = d;
  }
  return sortKeys({ ...out, ...extensions });
}

/**
 * Top-level resources with their extensions inlined; like `docker compose config`, networks and volumes
 * Compose creates get their effective name `<project>_<key>` (external ones keep their own).
 */
function withExtensions<T extends { extensions: Obj; name?: string; external?: boolean }>(
  group: Record<string, T>,
  project?: string,
): Obj | undefined {
  const names = Object.keys(group).sort();
  if (names.length === 0) return undefined;
  return Object.fromEntries(
    names.map((n) => {
      const { extensions, ...rest } = group[n]!;
      const named = project && rest.name === undefined ? { name: rest.external ? n : `${project}_${n}` } : {};
      return [n, { ...named, ...rest, ...extensions }];
    }),
  );
}

/** The project as `docker compose config` shows it (a plain object, ready for YAML/JSON). */
export function projectForDisplay(p: Project): Obj {
  const out: Obj = { name: p.name };
  out.services = Object.fromEntries(
    Object.keys(p.services)
      .sort()
      .map((n) => [n, renderService(p.services[n]!)]),
  );
  const groups: Array<[string, Obj | undefined]> = [
    ['networks', withExtensions(p.networks, p.name)],
    ['volumes', withExtensions(p.volumes, p.name)],
    ['secrets', withExtensions(p.secrets)],
    ['configs', withExtensions(p.configs)],
  ];
  for (const [k, v] of groups) if (v) out[k] = v;
  return { ...out, ...p.extensions };
}

/**
 * The resolved project as a compose file that reads back as itself, like `docker compose config` prints it: the
 * manifests' YAML emitter (src/render/emit.ts), so strings a YAML 1.1 reader (PyYAML, docker-compose 1.x, Go
 * yaml.v2) would take for a boolean, number or date (`off`, `yes`, `03:00`) are quoted; and every `$` written as
 * `$$`, as docker compose does (its `escapeDollarSign`), so a literal `$` (an interpolated `$$host`) is not
 * interpolated again when the output is read as a compose file.
 */
export function renderConfig(p: Project, format: 'yaml' | 'json'): string {
  const view = projectForDisplay(p);
  const text = format === 'json' ? JSON.stringify(view, null, 2) + '\n' : emitYaml(view);
  return text.replaceAll('$', '$$$$');
}

interface ConfigFlags extends LoadFlags {
  format: 'yaml' | 'json';
  services?: boolean;
  volumes?: boolean;
  profiles?: boolean;
  quiet?: boolean;
}

export function configCommand(io: CliIO): Command {
  const cmd = new Command('config').description(
    'Parse, resolve and print the compose project (like `docker compose config`)',
  );
  addLoadOptions(cmd)
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .option('--services', 'print the service names, one per line')
    .option('--volumes', 'print the volume names, one per line')
    .option('--profiles', 'print the profile names, one per line')
    .option('-q, --quiet', 'only validate the configuration, print nothing')
    .action((flags: ConfigFlags) => {
      const { project } = loadFromFlags(flags, io);
      if (flags.quiet) return;
      if (flags.services)
        return io.stdout(
          Object.keys(project.services)
            .sort()
            .map((s) => s + '\n')
            .join(''),
        );
      if (flags.volumes)
        return io.stdout(
          Object.keys(project.volumes)
            .sort()
            .map((s) => s + '\n')
            .join(''),
        );
      if (flags.profiles) {
        const all = new Set<string>();
        for (const s of Object.values(project.services)) for (const pr of s.profiles ?? []) all.add(pr);
        for (const prs of Object.values(project.disabledServices)) for (const pr of prs) all.add(pr);
        return io.stdout(
          [...all]
            .sort()
            .map((s) => s + '\n')
            .join(''),
        );
      }
      io.stdout(renderConfig(project, flags.format));
    });
  return cmd;
}
