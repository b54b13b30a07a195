/**
 * Builds normalized `Project` objects in code, so converter tests do not need the loader:
 * `project({ web: { image: 'nginx', ports: [{ target: 80, published: '8080' }] } })`.
 * Every Service field the loader always sets gets its default; ports get protocol `tcp`.
 */
import { positionsFromPointers } from '../../src/model/positions.js';
import type { ExposedPort, Project, Service, ServicePort } from '../../src/model/types.js';
import { formatOneLine, type SourcePos } from '../../src/report/diagnostic.js';
import { convert, loadProject } from '../../src/index.js';
import { memoryFs } from '../../src/load/fs.js';
import type { ConvertOptions } from '../../src/convert/intent/options.js';

export type ServiceInput = Partial<Omit<Service, 'ports' | 'name' | 'expose'>> & {
  ports?: Array<Partial<ServicePort> & { target: number }>;
  /** As written in compose (`"3000"`, `"53/udp"`, no ranges) or typed. */
  expose?: Array<string | ExposedPort>;
};

/** `"9100-9101/udp"` → two typed entries, as the loader expands them. */
function exposed(e: string | ExposedPort): ExposedPort[] {
  if (typeof e !== 'string') return [e];
  const [range = '', protocol = 'tcp'] = e.split('/');
  const [from, to = from] = range.split('-').map(Number);
  const out: ExposedPort[] = [];
  for (let t = from!; t <= to!; t++) out.push({ target: t, protocol: protocol as ExposedPort['protocol'] });
  return out;
}

export interface ProjectInput {
  name?: string;
  workingDir?: string;
  networks?: Project['networks'];
  volumes?: Project['volumes'];
  secrets?: Project['secrets'];
  configs?: Project['configs'];
  environment?: Record<string, string>;
  /** Pointer → position, e.g. `{ 'services/web/user': { file: 'compose.yaml', line: 3, col: 11 } }`. */
  sources?: Record<string, SourcePos>;
}

export function service(name: string, input: ServiceInput = {}): Service {
  const { ports, expose, ...rest } = input;
  const svc: Service = {
    name,
    environment: {},
    labels: {},
    volumes: [],
    depends_on: {},
    networks: input.network_mode ? {} : { default: {} },
    secrets: [],
    configs: [],
    extensions: {},
    ...rest,
    ports: (ports ?? []).map((p) => ({ protocol: 'tcp' as const, ...p })),
    expose: (expose ?? []).flatMap(exposed),
  };
  return svc;
}

export function project(services: Record<string, ServiceInput>, input: ProjectInput = {}): Project {
  const svcs: Record<string, Service> = {};
  for (const [name, s] of Object.entries(services)) svcs[name] = service(name, s);
  const usesDefault = Object.values(svcs).some((s) => 'default' in s.networks);
  const workingDir = input.workingDir ?? '/project';
  return {
    name: input.name ?? 'demo',
    workingDir,
    composeFiles: [`${workingDir}/compose.yaml`],
    services: svcs,
    networks: input.networks ?? (usesDefault ? { default: { extensions: {} } } : {}),
    volumes: input.volumes ?? {},
    secrets: input.secrets ?? {},
    configs: input.configs ?? {},
    disabledServices: {},
    extensions: {},
    environment: input.environment ?? {},
    sources: positionsFromPointers(Object.entries(input.sources ?? {})),
  };
}

/**
 * Load a compose file through the real loader (in memory): `fromYaml('services: {web: {image: nginx}}')`.
 * `files` adds more files (absolute paths or relative to the project dir `/project`). Throws when the
 * loader reports errors, listing them.
 */
export function fromYaml(text: string, files: Record<string, string> = {}, env: Record<string, string> = {}): Project {
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) all[k.startsWith('/') ? k : `/project/${k}`] = v;
  all['/project/compose.yaml'] = text;
  const r = loadProject({ files: ['compose.yaml'], workingDir: '/project', fs: memoryFs(all), env });
  if (!r.project) throw new Error(`loader failed:\n${r.diagnostics.map(formatOneLine).join('\n')}`);
  return r.project;
}

/** `convert()` of one compose file, /p/compose.yaml, on a memory file system with an empty environment. */
export function convertYaml(yaml: string, options?: Partial<ConvertOptions>): ReturnType<typeof convert> {
  return convert({
    files: [{ path: '/p/compose.yaml', content: yaml }],
    workingDir: '/p',
    fs: memoryFs({ '/p/compose.yaml': yaml }),
    env: {},
    ...(options ? { options } : {}),
  });
}
