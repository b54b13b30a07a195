/**
 * A stand-in Kubernetes API server for `helm template --dry-run=server` / `helm install --dry-run=server`: enough
 * discovery for the kinds charts hold, GET of the Secrets it is given (what a chart's `lookup` sees of an installed
 * release named `rel`) and empty lists. Lets the tests run the real helm against "a cluster that has a release" without one.
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
  close(): Promise<void>;
}

/** Serves `secrets` (namespace → name → data key → plain value) in `dir`'s kubeconfig. */
export async function fakeCluster(
  dir: string,
  secrets: Record<string, Record<string, Record<string, string>>>,
): Promise<FakeCluster> {
  const server: Server = createServer((req, res) => {
    const send = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0]!;
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
  return {
    async helm(args) {
      try {
        const r = await run(toolPath('helm'), [...args, '--kubeconfig', kubeconfig], {
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
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
