/**
 * A stand-in Kubernetes API server for `helm template --dry-run=server` / `helm install --dry-run=server` and
 * `kubectl wait`: enough discovery for the kinds charts hold, GET of the Secrets it is given (what a chart's `lookup`
 * sees of an installed release named `rel`), lists of the complete Jobs it is given, and empty lists. Lets the tests run the real helm against "a cluster that has a release" without one.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { toolPath } from '../../scripts/tools.mjs';
import type { ToolRun } from './render-tools.js';

const run = promisify(execFile);

/** group/version → its resources [plural, Kind]. */
const RESOURCES: Record<string, Array<[string, string]>> = {
  v1: [
    ['configmaps', 'ConfigMap'],
    ['secrets', 'Secret'],
    ['services', 'Service'],
    ['persistentvolumeclaims', 'PersistentVolumeClaim'],
    ['serviceaccounts', 'ServiceAccount'],
    ['namespaces', 'Namespace'],
  ],
  'apps/v1': [
    ['deployments', 'Deployment'],
    ['statefulsets', 'StatefulSet'],
    ['daemonsets', 'DaemonSet'],
  ],
  'batch/v1': [
    ['jobs', 'Job'],
    ['cronjobs', 'CronJob'],
  ],
  'networking.k8s.io/v1': [
    ['networkpolicies', 'NetworkPolicy'],
    ['ingresses', 'Ingress'],
  ],
  'rbac.authorization.k8s.io/v1': [
    ['roles', 'Role'],
    ['rolebindings', 'RoleBinding'],
  ],
};

const PLURALS = new Set(Object.values(RESOURCES).flatMap((list) => list.map(([plural]) => plural)));

export interface FakeCluster {
  /** Runs the real helm with a kubeconfig pointing at this server. */
  helm(args: string[]): Promise<ToolRun>;
  /** Runs the real kubectl with a kubeconfig pointing at this server. */
  kubectl(args: string[]): Promise<ToolRun>;
  close(): Promise<void>;
}

/** A Job the cluster has, complete (what `kubectl wait --for=condition=complete` looks for). */
export interface FakeJob {
  namespace: string;
  name: string;
  labels: Record<string, string>;
}

/** Whether `labels` satisfy a `k=v,k2=v2` label selector (or a `metadata.name=X` field selector). */
function matches(selector: string | null, get: (k: string) => string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((kv) => {
    const [k, v] = kv.split('=') as [string, string];
    return get(k) === v;
  });
}

/**
 * Serves `secrets` (namespace → name → data key → plain value) and `jobs` (lists filtered by label and field
 * selectors, each Job complete) in `dir`'s kubeconfig.
 */
export async function fakeCluster(
  dir: string,
  secrets: Record<string, Record<string, Record<string, string>>>,
  jobs: FakeJob[] = [],
): Promise<FakeCluster> {
  const server: Server = createServer((req, res) => {
    const send = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const jobList = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs$/.exec(path);
    if (jobList && req.method === 'GET') {
      const items = jobs
        .filter((j) => j.namespace === jobList[1])
        .filter((j) => matches(url.searchParams.get('labelSelector'), (k) => j.labels[k]))
        .filter((j) => matches(url.searchParams.get('fieldSelector'), (k) => (k === 'metadata.name' ? j.name : '')))
        .map((j) => ({
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: j.name, namespace: j.namespace, labels: j.labels, resourceVersion: '1', uid: j.name },
          status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
        }));
      if (url.searchParams.get('watch') !== 'true')
        return send(200, { kind: 'JobList', apiVersion: 'batch/v1', metadata: { resourceVersion: '1' }, items });
      // A watch-list (kubectl wait): the items as ADDED events, the bookmark that ends the initial events, then
      // nothing; the stream stays open until the client or close() ends it.
      res.writeHead(200, { 'content-type': 'application/json' });
      for (const object of items) res.write(JSON.stringify({ type: 'ADDED', object }) + '\n');
      const end = { 'k8s.io/initial-events-end': 'true' };
      const mark = { kind: 'Job', apiVersion: 'batch/v1', metadata: { resourceVersion: '1', annotations: end } };
      res.write(JSON.stringify({ type: 'BOOKMARK', object: mark }) + '\n');
      return;
    }
    if (path === '/version') return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.0' });
    if (path === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'] });
    if (path === '/apis')
      return send(200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: Object.keys(RESOURCES)
          .filter((gv) => gv.includes('/'))
          .map((gv) => {
            const [name, version] = gv.split('/');
            const v = { groupVersion: gv, version };
            return { name, versions: [v], preferredVersion: v };
          }),
      });
    const gv = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))$/.exec(path);
    if (gv) {
      const groupVersion = gv[1] ?? gv[2]!;
      return send(200, {
        kind: 'APIResourceList',
        groupVersion,
        resources: (RESOURCES[groupVersion] ?? []).map(([name, kind]) => ({
          name,
          singularName: kind.toLowerCase(),
          namespaced: kind !== 'Namespace',
          kind,
          verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'],
        })),
      });
    }
    const secret = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(path);
    const data = secret ? secrets[secret[1]!]?.[secret[2]!] : undefined;
    if (secret && data)
      return send(200, {
        apiVersion: 'v1',
        kind: 'Secret',
        // Helm's own: an object of release `rel` (an upgrade may change it).
        metadata: {
          name: secret[2],
          namespace: secret[1],
          labels: { 'app.kubernetes.io/managed-by': 'Helm' },
          annotations: { 'meta.helm.sh/release-name': 'rel', 'meta.helm.sh/release-namespace': secret[1] },
        },
        type: 'Opaque',
        data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      });
    // A list (helm's release records): none.
    if (req.method === 'GET' && PLURALS.has(path.slice(path.lastIndexOf('/') + 1)))
      return send(200, { kind: 'List', apiVersion: 'v1', metadata: {}, items: [] });
    return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{ name: fake, cluster: { server: "http://127.0.0.1:${port}" } }]`,
      'users: [{ name: fake, user: { token: fake } }]',
      'contexts: [{ name: fake, context: { cluster: fake, user: fake } }]',
      'current-context: fake',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const tool = async (name: 'helm' | 'kubectl', args: string[]): Promise<ToolRun> => {
    try {
      const r = await run(toolPath(name), [...args, '--kubeconfig', kubeconfig], {
        timeout: 120_000,
        maxBuffer: 1 << 26,
      });
      return { status: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return {
        status: typeof err.code === 'number' ? err.code : -1,
        stdout: err.stdout ?? '',
        stderr: err.stderr ?? '',
      };
    }
  };
  return {
    helm: (args) => tool('helm', args),
    kubectl: (args) => tool('kubectl', args),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
