/**
 * The conversion worker: the page posts its state on every edit, this converts it off the main
 * thread and replies with the rendered objects, the report, the diagnostics, the graph and the time
 * it took; on request it also builds a zip of the CLI's output layouts.
 *
 * It bundles the lean entry (src/browser.ts) only. The texts (report messages and fixes, diagnostic messages and
 * hints) and the input dialects (kompose labels, x-k8s, Traefik / Docker helper labels, ofelia jobs, Dockerfiles:
 * src/dialects.ts) and the output modes (--pod-security restricted, --ingress gateway: src/modes.ts) are chunks of
 * their own, fetched at start-up: conversions before they arrive have no fixes or hints, their messages are ids and
 * values, each dialect's labels and keys are reported as not loaded, and an option asking for a mode is an error; the
 * worker tells the page (`texts` reply) to convert again once it has them. The Helm/Kustomize/files renderers are a
 * chunk loaded on the first zip.
 */
import {
  convert,
  memoryFs,
  renderJson,
  renderYaml,
  type ConvertOutput,
  type Dialect,
  type KubeObject,
  type OutputMode,
  type ReportTexts,
} from '../src/browser.js';
import { zipSync, strToU8 } from 'fflate';
import { buildGraph, idOf } from './graph.js';
import {
  DIR,
  type ConvertReply,
  type ObjectView,
  type Reply,
  type Request,
  type State,
  type ZipReply,
} from './protocol.js';
import { SAMPLES } from './samples.js';

/** The report's texts and the dialects, once their chunks have loaded (one conversion context, not module state of the core). */
const loaded: { texts?: ReportTexts; dialects?: readonly Dialect[]; modes?: readonly OutputMode[] } = {};
const post = (reply: Reply, transfer: Transferable[] = []): void =>
  (self as unknown as Worker).postMessage(reply, transfer);
// Both at once, so the page converts again once. Without the texts chunk the report keeps id-and-values messages
// and no fixes; without the dialects chunk their labels and keys stay reported as not loaded.
void Promise.all([
  import('../src/mappings/texts.js').then(
    (m) => m.TEXTS,
    () => undefined,
  ),
  import('../src/dialects.js').then(
    (m) => m.DIALECTS,
    () => undefined,
  ),
  import('../src/modes.js').then(
    (m) => m.MODES,
    () => undefined,
  ),
]).then(([texts, dialects, modes]) => {
  if (texts) loaded.texts = texts;
  if (dialects) loaded.dialects = dialects;
  if (modes) loaded.modes = modes;
  if (texts || dialects || modes) post({ kind: 'texts' });
});

function run(state: State): ConvertOutput {
  const files: Record<string, string> = {};
  const side = state.sample ? SAMPLES[state.sample] : undefined;
  if (side) for (const [path, text] of Object.entries(side)) files[`${DIR}/${path}`] = text;
  for (const f of state.files) files[`${DIR}/${f.name}`] = f.content;
  if (state.env.trim()) files[`${DIR}/.env`] = state.env;
  else delete files[`${DIR}/.env`];
  const o = state.options;
  return convert({
    files: state.files.map((f) => ({ path: `${DIR}/${f.name}`, content: f.content })),
    fs: memoryFs(files),
    workingDir: DIR,
    ...(loaded.texts ? { texts: loaded.texts } : {}),
    ...(loaded.dialects ? { dialects: loaded.dialects } : {}),
    ...(loaded.modes ? { modes: loaded.modes } : {}),
    options: {
      secrets: o.secrets,
      networkPolicies: o.networkPolicies,
      ...(o.namespace?.trim() ? { namespace: o.namespace.trim() } : {}),
      ...(o.ingressHost?.trim() ? { ingressHost: o.ingressHost.trim() } : {}),
    },
  });
}

/** Service of each object: from the report (which entries produced it), else its name label. */
function serviceOf(objects: readonly KubeObject[], result: ConvertOutput): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of result.report?.entries ?? []) {
    if (e.service) for (const id of e.objects) if (!out.has(id)) out.set(id, e.service);
  }
  for (const o of objects) {
    const label = o.metadata.labels?.['app.kubernetes.io/name'];
    if (!out.has(idOf(o)) && label) out.set(idOf(o), label);
  }
  return out;
}

function onConvert(req: Extract<Request, { kind: 'convert' }>): ConvertReply {
  const t0 = performance.now();
  const result = run(req.state);
  const diagnostics = result.diagnostics;
  const services = serviceOf(result.objects, result);
  let all = '';
  let objects: ObjectView[] = [];
  try {
    const render = req.format === 'json' ? renderJson : renderYaml;
    all = result.objects.length ? render(result.objects) : '';
    objects = result.objects.map((o) => ({
      id: idOf(o),
      kind: o.kind,
      name: o.metadata.name,
      service: services.get(idOf(o)),
      text: req.format === 'json' ? JSON.stringify(o, null, 2) + '\n' : renderYaml([o]),
    }));
  } catch (e) {
    diagnostics.push({
      severity: 'error',
      code: 'internal-error',
      message: `rendering failed: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  const graph = buildGraph(result.objects, result.report?.entries ?? []);
  return {
    id: req.id,
    kind: 'convert',
    ms: performance.now() - t0,
    project: result.project?.name ?? 'project',
    objects,
    all,
    report: result.report,
    diagnostics,
    graph,
  };
}

async function onZip(req: Extract<Request, { kind: 'zip' }>): Promise<ZipReply> {
  const { renderFiles, renderHelmChart, renderKustomize } = await import('../src/renderers.js');
  const result = run(req.state);
  const project = result.project?.name ?? 'project';
  const ns = req.state.options.namespace?.trim();
  const files =
    req.layout === 'helm'
      ? renderHelmChart(result.objects, { name: project, project: result.project })
      : req.layout === 'kustomize'
        ? renderKustomize(result.objects, ns ? { namespace: ns } : {})
        : renderFiles(result.objects);
  const top = req.layout === 'files' ? project : `${project}-${req.layout}`;
  const tree: Record<string, Uint8Array> = {};
  for (const f of files) tree[`${top}/${f.path}`] = strToU8(f.content);
  const bytes = zipSync(tree, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') });
  return { id: req.id, kind: 'zip', name: `${top}.zip`, files: Object.keys(tree), bytes };
}

self.onmessage = (e: MessageEvent<Request>) => {
  const req = e.data;
  if (req.kind === 'zip')
    void onZip(req).then(
      (reply) => post(reply, [reply.bytes.buffer]),
      (e: unknown) => post({ id: req.id, kind: 'zip-failed', error: e instanceof Error ? e.message : String(e) }),
    );
  else post(onConvert(req));
};
