import { describe, expect, test } from 'vitest';
import { container, entries, entry, pod, run } from '../run.js';
import { expectValid } from '../../helpers/validate.js';

describe('image and build', () => {
  test('image is used as is', () => {
    const r = run({ web: { image: 'nginx:1.27-alpine' } });
    expect(container(r, 'web').image).toBe('nginx:1.27-alpine');
    expect(entry(r, 'web', 'image')).toMatchObject({ id: 'image.set', path: 'image', status: 'converted' });
  });

  test('an image that is no reference (unset variables, a docs placeholder, upper case) is unsupported, not converted', () => {
    const r = run({
      a: { image: ':' },
      b: { image: 'apache/airflow:|version|' },
      c: { image: 'MyApp:1' },
      d: { image: 'registry.example.com:5000/team/app_1:v2.0-rc1@sha256:' + 'a'.repeat(64) },
    });
    for (const s of ['a', 'b', 'c'])
      expect(entry(r, s, 'image')).toMatchObject({ id: 'image.invalid', status: 'unsupported' });
    expect(entry(r, 'a', 'image').fix).toContain('set the variables');
    expect(entry(r, 'd', 'image')).toMatchObject({ id: 'image.set', status: 'converted' });
  });

  test('build without image uses the docker compose image name <project>-<service>', () => {
    const r = run({ api: { build: { context: '/project/api' } } }, {}, { name: 'shop' });
    expect(container(r, 'api').image).toBe('shop-api');
    const e = entry(r, 'api', 'build');
    expect(e).toMatchObject({ id: 'build.default-image', status: 'approximated' });
    expect(e.fix).toContain('`docker build -t REGISTRY/shop-api:TAG api && docker push REGISTRY/shop-api:TAG`');
    expect(e.objects).toEqual(['Deployment/api']);
  });

  test('a build entry gives the build command with its inputs, the services sharing it, and IfNotPresent', () => {
    // superset: several services, one build; react-express-mysql: `target: development`, which a plain
    // `docker build` (the last stage) would not make.
    const build = { context: '/project', dockerfile: 'docker/Dockerfile', target: 'dev', args: { NODE_ENV: 'x' } };
    const r = run(
      {
        web: { build },
        'worker-beat': { build: { ...build } },
        other: { build: { context: '/project/other' }, pull_policy: 'always' },
        named: { image: 'registry.example.com/named:1', build: { context: '/project/named' } },
      },
      {},
      { name: 'shop' },
    );
    const e = entry(r, 'web', 'build');
    expect(e.fix).toContain(
      '`docker build -t REGISTRY/shop-web:TAG -f docker/Dockerfile --target dev --build-arg NODE_ENV . && docker push REGISTRY/shop-web:TAG`',
    );
    expect(e.fix).toContain('--set web.image.repository=REGISTRY/shop-web --set web.image.tag=TAG');
    expect(e.fix).toContain("`--build-arg NAME` takes NAME's value from the environment");
    expect(entry(r, 'other', 'build').fix).not.toContain('--build-arg');
    expect(e.message).toContain('the same build as worker-beat');
    expect(e.fix).toContain('one image serves worker-beat too');
    // The values key of the chart: camelCase where the name is no Go template identifier.
    expect(entry(r, 'worker-beat', 'build').fix).toContain(
      '--set workerBeat.image.repository=REGISTRY/shop-worker-beat',
    );
    expect(entry(r, 'other', 'build').message).not.toContain('same build');
    // The name compose gives a built image has no tag (`:latest`, pulled Always): a node that has it loaded uses it.
    expect(container(r, 'web').imagePullPolicy).toBe('IfNotPresent');
    expect(e.message).toContain('imagePullPolicy IfNotPresent');
    expect(container(r, 'other').imagePullPolicy).toBe('Always');
    expect(container(r, 'named').imagePullPolicy).toBeUndefined();
    expect(entry(r, 'named', 'build').fix).toContain(
      '`docker build -t registry.example.com/named:1 named && docker push registry.example.com/named:1`',
    );
  });

  test('build with image: the image is used and build is ignored', () => {
    const r = run({ api: { image: 'registry.example.com/api:1', build: { context: '/project/api' } } });
    expect(container(r, 'api').image).toBe('registry.example.com/api:1');
    expect(entry(r, 'api', 'build')).toMatchObject({ id: 'build.image-used', status: 'ignored' });
  });

  test('neither image nor build is an error diagnostic', () => {
    const r = run({ x: {} });
    expect(r.diagnostics.some((d) => d.code === 'no-image' && d.severity === 'error')).toBe(true);
  });
});

describe('pull_policy', () => {
  test.each([
    ['always', 'Always', 'converted'],
    ['never', 'Never', 'approximated'],
    ['missing', 'IfNotPresent', 'converted'],
    ['if_not_present', 'IfNotPresent', 'converted'],
    ['build', 'IfNotPresent', 'approximated'],
    ['daily', 'Always', 'approximated'],
  ])('%s → %s', (policy, k8s, status) => {
    const r = run({ web: { image: 'nginx', pull_policy: policy } });
    expect(container(r, 'web').imagePullPolicy).toBe(k8s);
    expect(entry(r, 'web', 'pull_policy').status).toBe(status);
  });
  test('never on an image named with its registry: the fix says it can be pulled from there', () => {
    // sentry-self-hosted: ghcr.io/getsentry/* with pull_policy: never (install.sh pulls them first).
    const r = run({ api: { image: 'ghcr.io/getsentry/snuba:nightly', pull_policy: 'never' } });
    expect(container(r, 'api').imagePullPolicy).toBe('Never');
    const e = entry(r, 'api', 'pull_policy');
    expect(e).toMatchObject({ id: 'pull_policy.never-registry', status: 'approximated' });
    expect(e.fix).toContain('is in registry ghcr.io: to let the nodes pull it, set pull_policy: missing');
    expect(entry(r, 'api', 'pull_policy').message).toContain('ErrImageNeverPull');
  });
  test('never on an image compose builds → IfNotPresent: the cluster pulls what was pushed; Never would not', () => {
    const r = run({ web: { image: 'app-local', build: { context: '.' }, pull_policy: 'never' } });
    expect(container(r, 'web').imagePullPolicy).toBe('IfNotPresent');
    expect(entry(r, 'web', 'pull_policy')).toMatchObject({ id: 'pull_policy.never-build', status: 'approximated' });
    expect(entry(r, 'web', 'pull_policy').message).toContain('app-local is built by compose');
  });
});

describe('entrypoint and command', () => {
  test('entrypoint → command, command → args', () => {
    const r = run({ web: { image: 'x', entrypoint: ['/bin/sh', '-c'], command: ['echo hi'] } });
    const c = container(r, 'web');
    expect(c.command).toEqual(['/bin/sh', '-c']);
    expect(c.args).toEqual(['echo hi']);
    expect(entry(r, 'web', 'command')).toMatchObject({ id: 'command.args', status: 'converted' });
    expect(entry(r, 'web', 'entrypoint')).toMatchObject({ id: 'entrypoint.command', status: 'converted' });
  });

  test('command alone → args, image ENTRYPOINT kept', () => {
    const r = run({ web: { image: 'x', command: ['npm', 'start'] } });
    expect(container(r, 'web').command).toBeUndefined();
    expect(container(r, 'web').args).toEqual(['npm', 'start']);
  });

  test('empty entrypoint with a command: the command becomes the container command', () => {
    const r = run({ web: { image: 'x', entrypoint: null, command: ['python', 'app.py'] } });
    const c = container(r, 'web');
    expect(c.command).toEqual(['python', 'app.py']);
    expect(c.args).toBeUndefined();
    expect(entry(r, 'web', 'entrypoint').id).toBe('entrypoint.empty');
    expect(entry(r, 'web', 'command').id).toBe('command.as-command');
  });

  test('empty command without entrypoint cannot clear the image CMD: approximated', () => {
    const r = run({ web: { image: 'x', command: null } });
    const c = container(r, 'web');
    expect(c.args).toBeUndefined();
    expect(c.command).toBeUndefined();
    const e = entry(r, 'web', 'command');
    expect(e).toMatchObject({ id: 'command.empty', status: 'approximated' });
    expect(e.fix).toContain('entrypoint');
  });

  test('empty command with an entrypoint is exact (k8s drops the image CMD when only command is set)', () => {
    const r = run({ web: { image: 'x', entrypoint: ['tini', '--'], command: [] } });
    expect(container(r, 'web').command).toEqual(['tini', '--']);
    expect(container(r, 'web').args).toBeUndefined();
    expect(entry(r, 'web', 'command')).toMatchObject({ id: 'command.empty-with-entrypoint', status: 'converted' });
  });

  test('empty entrypoint without command is approximated', () => {
    const r = run({ web: { image: 'x', entrypoint: [] } });
    expect(container(r, 'web').command).toBeUndefined();
    expect(entry(r, 'web', 'entrypoint')).toMatchObject({ id: 'entrypoint.cannot-clear', status: 'approximated' });
  });
});

describe('simple container fields', () => {
  test('working_dir, stdin_open, tty', () => {
    const r = run({ web: { image: 'x', working_dir: '/app', stdin_open: true, tty: true } });
    const c = container(r, 'web');
    expect(c.workingDir).toBe('/app');
    expect(c.stdin).toBe(true);
    expect(c.tty).toBe(true);
  });

  test('container name is the DNS-1123 service name', () => {
    const r = run({ Web_App: { image: 'x' } });
    expect(pod(r, 'web-app').containers[0]!.name).toBe('web-app');
  });
});

describe('ports', () => {
  test('one containerPort per distinct (target, protocol) from ports and expose', () => {
    const r = run({
      dns: {
        image: 'coredns',
        ports: [
          { target: 53, published: '53', protocol: 'udp' },
          { target: 53, published: '53' },
          { target: 53, published: '5353', protocol: 'udp' },
        ],
        expose: ['8080', '53/udp', '9100-9101'],
      },
    });
    expect(container(r, 'dns').ports).toEqual([
      { name: 'udp-53', containerPort: 53, protocol: 'UDP' },
      { name: 'tcp-53', containerPort: 53, protocol: 'TCP' },
      { name: 'tcp-8080', containerPort: 8080, protocol: 'TCP' },
      { name: 'tcp-9100', containerPort: 9100, protocol: 'TCP' },
      { name: 'tcp-9101', containerPort: 9101, protocol: 'TCP' },
    ]);
  });

  test('a compose port name is used (sanitized, ≤ 15 chars)', () => {
    const r = run({ web: { image: 'x', ports: [{ target: 80, name: 'Web_Frontend_HTTP_Port' }] } });
    const name = container(r, 'web').ports![0]!.name!;
    expect(name).toBe('web-frontend-ht');
    expect(name.length).toBeLessThanOrEqual(15);
  });

  test('SCTP ports keep their protocol', () => {
    const r = run({ sig: { image: 'x', ports: [{ target: 3868, protocol: 'sctp' }] } });
    expect(container(r, 'sig').ports).toEqual([{ name: 'sctp-3868', containerPort: 3868, protocol: 'SCTP' }]);
  });
});

describe('user', () => {
  test('numeric uid:gid → runAsUser/runAsGroup', () => {
    const r = run({ web: { image: 'x', user: '1000:2000' } });
    expect(container(r, 'web').securityContext).toEqual({ runAsUser: 1000, runAsGroup: 2000 });
    expect(entry(r, 'web', 'user')).toMatchObject({ id: 'user.uid-gid', status: 'converted' });
  });

  test.each([
    ['root', { runAsUser: 0 }],
    ['0', { runAsUser: 0 }],
    ['root:root', { runAsUser: 0, runAsGroup: 0 }],
    ['nobody:nogroup', { runAsUser: 65534, runAsGroup: 65534 }],
    ['nobody:1000', { runAsUser: 65534, runAsGroup: 1000 }],
  ])('user %s has the same ids in every image: kept, not dropped', (user, want) => {
    const r = run({ web: { image: 'x', user } });
    expect(container(r, 'web').securityContext).toMatchObject(want);
    expect(entry(r, 'web', 'user')).toMatchObject({ status: 'converted' });
  });

  test('a non-root user on a port below 1024 gets ip_unprivileged_port_start=0, as Docker sets it', () => {
    const r = run({
      web: { image: 'python:3.12-alpine', user: '1000', ports: [{ target: 80, published: '8080' }] },
      www: { image: 'php:8.3-fpm', user: 'www-data', expose: ['443'] },
      high: { image: 'x', user: '1000', ports: [{ target: 8080, published: '8080' }] },
      root: { image: 'x', user: '0', ports: [{ target: 80, published: '80' }] },
      own: {
        image: 'x',
        user: '1000',
        ports: [{ target: 80, published: '80' }],
        sysctls: { 'net.ipv4.ip_unprivileged_port_start': '80' },
      },
    });
    const sysctls = (s: string) => pod(r, s).securityContext?.sysctls;
    expect(sysctls('web')).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
    expect(entry(r, 'web', 'user').message).toBe(
      'runAsUser: 1000; sysctl net.ipv4.ip_unprivileged_port_start=0 on the pod, as Docker sets it, so uid 1000 can bind port 80',
    );
    expect(sysctls('www')).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
    expect(sysctls('high')).toBeUndefined();
    expect(sysctls('root')).toBeUndefined();
    expect(sysctls('own')).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
    expectValid(r.objects);
  });

  test('a non-root user on a low port it serves undeclared (its image its well-known port) gets the sysctl too', () => {
    // httpd and nginx listen on 80 by themselves: as uid 1000 / 101 they bind it under Docker, and the default probe
    // checks it; without the sysctl the server cannot bind it in the pod and the container crashes.
    const r = run({
      web: { image: 'httpd:2.4', user: '1000:1000' },
      ng: { image: 'nginx:1.27', user: '101' },
      cache: { image: 'redis:7', user: '999' },
      // Reconfigured to a port of its own: not trusted to serve the image's 80.
      moved: { image: 'httpd:2.4', user: '1000', expose: ['8080'] },
    });
    const sysctls = (s: string) => pod(r, s).securityContext?.sysctls;
    for (const [svc, uid] of [
      ['web', 1000],
      ['ng', 101],
    ] as const) {
      expect(sysctls(svc)).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
      expect(container(r, svc).readinessProbe?.tcpSocket?.port).toBe(80);
      expect(entry(r, svc, 'user').message).toMatch(new RegExp(`so uid ${uid} can bind port 80$`));
    }
    expect(sysctls('cache')).toBeUndefined();
    expect(sysctls('moved')).toBeUndefined();
    expectValid(r.objects);
  });

  test('no ip_unprivileged_port_start for a sidecar of a pod on the node network: the kubelet rejects net.* there', () => {
    // nginx as uid 101 serves 80 undeclared; its pod is the host-network one of `proxy` (network_mode: service:).
    // A net.* sysctl on a hostNetwork pod is refused at admission ("not allowed with host net enabled"): no pod.
    const r = run({
      proxy: { image: 'busybox:1.36', command: ['sleep', 'infinity'], network_mode: 'host' },
      web: { image: 'nginx:1.27', user: '101', network_mode: 'service:proxy' },
    });
    expect(pod(r, 'proxy').hostNetwork).toBe(true);
    expect(pod(r, 'proxy').securityContext?.sysctls).toBeUndefined();
  });

  test('two non-root containers of one pod on ports below 1024 share one ip_unprivileged_port_start sysctl', () => {
    const r = run({
      web: { image: 'x', user: '1000', expose: ['80'] },
      tls: { image: 'y', user: '1001', expose: ['443'], network_mode: 'service:web' },
    });
    expect(pod(r, 'web').containers.map((c) => c.name)).toEqual(['web', 'tls']);
    expect(pod(r, 'web').securityContext?.sysctls).toEqual([
      { name: 'net.ipv4.ip_unprivileged_port_start', value: '0' },
    ]);
    expect(entry(r, 'tls', 'user').message).toMatch(/uid 1001 can bind port 443$/);
    expectValid(r.objects);
  });

  test('an image that runs as a fixed non-root uid gets the same sysctl on a port below 1024, on its user entry', () => {
    const r = run({
      grafana: { image: 'grafana/grafana:11.0.0', environment: { GF_SERVER_HTTP_PORT: '80' }, expose: ['80'] },
      plausible: {
        image: 'ghcr.io/plausible/community-edition:v3.2.0',
        ports: [
          { target: 80, published: '80' },
          { target: 443, published: '443' },
        ],
      },
      high: { image: 'grafana/grafana:11.0.0', ports: [{ target: 3000, published: '3000' }] },
      root: { image: 'grafana/grafana:11.0.0', user: '0', ports: [{ target: 80, published: '80' }] },
      hostnet: { image: 'grafana/grafana:11.0.0', network_mode: 'host', expose: ['80'] },
      unknown: { image: 'x', expose: ['80'] },
    });
    const sysctls = (s: string) => pod(r, s).securityContext?.sysctls;
    const low = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }];
    expect(sysctls('grafana')).toEqual(low);
    expect(entry(r, 'grafana', 'user')).toMatchObject({
      id: 'user.image-uid',
      status: 'converted',
      objects: ['Deployment/grafana'],
      message:
        "the grafana/grafana image runs as uid 472 (its Dockerfile's USER); sysctl net.ipv4.ip_unprivileged_port_start=0 on the pod, as Docker sets it, so uid 472 can bind port 80",
    });
    expect(sysctls('plausible')).toEqual(low);
    expect(entry(r, 'plausible', 'user').message).toContain('uid 999 can bind port 80, 443');
    // Nothing to do, so nothing reported: no entry for a user: the file does not set.
    for (const s of ['high', 'root', 'hostnet', 'unknown']) expect(sysctls(s)).toBeUndefined();
    for (const s of ['high', 'hostnet', 'unknown']) expect(entries(r, s, 'user')).toEqual([]);
    expectValid(r.objects);
  });

  test('under restricted, a fixed-uid image runs as that uid: the one user entry says so', () => {
    const r = run({ grafana: { image: 'grafana/grafana:11.0.0', expose: ['80'] } }, { podSecurity: 'restricted' });
    const e = entry(r, 'grafana', 'user');
    expect(e).toMatchObject({ id: 'user.restricted-image-uid', status: 'converted' });
    expect(e.message).toMatch(/^the grafana\/grafana image runs as uid 472 .*; runAsUser: 472, the uid/);
    expect(container(r, 'grafana').securityContext?.runAsUser).toBe(472);
    expect(pod(r, 'grafana').securityContext?.sysctls).toEqual([
      { name: 'net.ipv4.ip_unprivileged_port_start', value: '0' },
    ]);
  });

  test('under restricted, a known uid is set where the image USER is a name the kubelet cannot verify', () => {
    // mastodon: `USER mastodon` (uid 991); with runAsNonRoot and no runAsUser the kubelet refuses the container.
    const r = run(
      {
        web: { image: 'ghcr.io/mastodon/mastodon:v4.3.17' },
        named: { image: 'ghcr.io/mastodon/mastodon:v4.3.17', user: 'mastodon' },
        unknown: { image: 'example/app' },
        db: { image: 'postgres:14-alpine' },
      },
      { podSecurity: 'restricted' },
    );
    expect(container(r, 'web').securityContext?.runAsUser).toBe(991);
    expect(entry(r, 'web', 'user')).toMatchObject({
      id: 'user.restricted-image-uid',
      status: 'converted',
      values: { uid: 991, image: 'mastodon/mastodon' },
    });
    // A user: the service names is its own (reported as before); an image the converter does not know keeps the hedge.
    expect(container(r, 'named').securityContext?.runAsUser).toBeUndefined();
    expect(entry(r, 'named', 'user').id).toBe('user.restricted-name');
    expect(container(r, 'unknown').securityContext?.runAsUser).toBeUndefined();
    expect(entry(r, 'unknown', 'user')).toMatchObject({ id: 'user.restricted-unset', status: 'approximated' });
    // postgres starts as root and drops to its user (70 in Alpine): said plainly, with the user: that works.
    expect(entry(r, 'db', 'user')).toMatchObject({ id: 'user.restricted-root-image', status: 'approximated' });
    expect(entry(r, 'db', 'user').fix).toMatch(/^set `user: "70"`/);
    expectValid(r.objects);
  });

  test('root with a group name only the image knows stays a name problem', () => {
    const r = run({ web: { image: 'x', user: 'root:staff' } });
    expect(container(r, 'web').securityContext?.runAsUser).toBeUndefined();
    expect(entry(r, 'web', 'user')).toMatchObject({ id: 'user.name', status: 'unsupported' });
  });

  test('a user name the image does not fix cannot be expressed', () => {
    const r = run({ db: { image: 'ghcr.io/acme/db:2', user: 'postgres' } });
    expect(container(r, 'db').securityContext).toBeUndefined();
    const e = entry(r, 'db', 'user');
    expect(e).toMatchObject({ id: 'user.name', status: 'unsupported' });
    expect(e.fix).toContain('numeric');
  });

  test.each([
    ['postgres:16', 'postgres', { runAsUser: 999 }, /postgres is uid 999 in the postgres image/],
    ['postgres:16-alpine', 'postgres:postgres', { runAsUser: 70, runAsGroup: 70 }, /70:70 in the postgres \(Alpine\)/],
    ['docker.io/library/php:8.3-fpm', 'www-data', { runAsUser: 33 }, /www-data is uid 33/],
    ['php:8.3-fpm-alpine', 'www-data:www-data', { runAsUser: 82, runAsGroup: 82 }, /82:82/],
    ['redis:7-alpine', 'redis:redis', { runAsUser: 999, runAsGroup: 1000 }, /999:1000/],
  ])('%s user %s: the image fixes the ids, so they are mapped', (image, user, want, message) => {
    const r = run({ s: { image, user } });
    expect(container(r, 's').securityContext).toEqual(want);
    expect(entry(r, 's', 'user')).toMatchObject({ id: 'user.image-known', status: 'converted', message });
  });

  test('an unknown user name with a known group keeps the group and says the image user runs instead', () => {
    const r = run({ netbox: { image: 'netboxcommunity/netbox:v4.1', user: 'unit:root' } });
    expect(container(r, 'netbox').securityContext).toEqual({ runAsGroup: 0 });
    const e = entry(r, 'netbox', 'user');
    expect(e).toMatchObject({ id: 'user.name-group-kept', status: 'unsupported' });
    expect(e.message).toContain("runs as the image's own user (root when the image sets no USER), not as unit");
    expect(e.fix).toContain('user: "<uid>:0"');
  });

  test('a name the image does not define stays reported, even for a known image', () => {
    const r = run({ db: { image: 'postgres:16', user: 'app' } });
    expect(container(r, 'db').securityContext).toBeUndefined();
    expect(entry(r, 'db', 'user')).toMatchObject({ id: 'user.name', status: 'unsupported' });
  });

  test('numeric uid with a group name keeps the uid', () => {
    const r = run({ web: { image: 'ghcr.io/acme/web', user: '1000:staff' } });
    expect(container(r, 'web').securityContext).toEqual({ runAsUser: 1000 });
    expect(entry(r, 'web', 'user')).toMatchObject({ id: 'user.group-name', status: 'approximated' });
  });

  test("numeric uid with a group name the image fixes (node's node group) gets both ids", () => {
    const r = run({ web: { image: 'node:20', user: '1000:node' } });
    expect(container(r, 'web').securityContext).toEqual({ runAsUser: 1000, runAsGroup: 1000 });
    expect(entry(r, 'web', 'user')).toMatchObject({ id: 'user.uid-gid', status: 'converted' });
  });
});

describe('privileges', () => {
  test('privileged, capabilities (CAP_ prefix dropped), read_only, no-new-privileges', () => {
    const r = run({
      web: {
        image: 'x',
        cap_add: ['CAP_NET_ADMIN', 'SYS_TIME'],
        cap_drop: ['ALL'],
        read_only: true,
        security_opt: ['no-new-privileges:true'],
      },
    });
    expect(container(r, 'web').securityContext).toEqual({
      capabilities: { add: ['NET_ADMIN', 'SYS_TIME'], drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
  });

  test('privileged with no-new-privileges: the invalid combination is not emitted', () => {
    const r = run({ web: { image: 'x', privileged: true, security_opt: ['no-new-privileges'] } });
    expect(container(r, 'web').securityContext).toEqual({ privileged: true });
    expect(entry(r, 'web', 'security_opt')).toMatchObject({
      id: 'security_opt.no-new-privileges-privileged',
      path: 'security_opt[0]',
      status: 'unsupported',
    });
  });

  test('each security_opt option is its own item, security_opt[i]', () => {
    const r = run({ web: { image: 'x', security_opt: ['no-new-privileges:false', 'seccomp:unconfined', 'bogus'] } });
    expect(entries(r, 'web', 'security_opt').map((e) => [e.path, e.id, e.status])).toEqual([
      ['security_opt[0]', 'security_opt.escalation-allowed', 'converted'],
      ['security_opt[1]', 'security_opt.seccomp-unconfined', 'converted'],
      ['security_opt[2]', 'security_opt.unknown', 'unsupported'],
    ]);
  });

  test('seccomp/apparmor unconfined and SELinux labels', () => {
    const r = run({
      web: { image: 'x', security_opt: ['seccomp=unconfined', 'apparmor:unconfined', 'label:type:spc_t'] },
    });
    expect(container(r, 'web').securityContext).toEqual({
      seccompProfile: { type: 'Unconfined' },
      appArmorProfile: { type: 'Unconfined' },
      seLinuxOptions: { type: 'spc_t' },
    });
  });
});

/** Kubernetes' $(VAR) expansion of command/args (third_party/forked/golang/expansion), for the tests. */
function kubeExpand(s: string, env: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '$' || i + 1 >= s.length) {
      out += s[i];
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      out += '$';
      i += 1;
    } else if (next === '(') {
      const close = s.indexOf(')', i + 2);
      if (close < 0) {
        out += '$(';
        i += 1;
      } else {
        const name = s.slice(i + 2, close);
        out += name in env ? env[name] : `$(${name})`;
        i = close;
      }
    } else {
      out += '$' + next;
      i += 1;
    }
  }
  return out;
}

describe('command/entrypoint and Kubernetes $(VAR) expansion', () => {
  test('shell $(...) and $$ reach the container as compose passes them, even when a name is an env variable', async () => {
    const { fromYaml } = await import('../../helpers/project.js');
    const { convertProject } = await import('../../../src/index.js');
    const p = fromYaml(`
services:
  worker:
    image: python:3.12-slim
    environment:
      DB_HOST: db
      hostname: not-this
    entrypoint: ["/bin/sh", "-c"]
    command: ["echo uid $$(id -u) on $$(hostname) pid $$$$; exec celery -A app worker --hostname $$(DB_HOST)"]
`);
    const r = convertProject(p, {});
    expectValid(r.objects);
    const c = container(r, 'worker');
    const env = { DB_HOST: 'db', hostname: 'not-this' };
    const composeRuns = 'echo uid $(id -u) on $(hostname) pid $$; exec celery -A app worker --hostname $(DB_HOST)';
    expect(p.services.worker!.command).toEqual([composeRuns]);
    expect(c.command).toEqual(['/bin/sh', '-c']);
    expect(c.args!.map((a) => kubeExpand(a, env))).toEqual([composeRuns]);
    expect(entry(r, 'worker', 'command').message).toMatch(/doubled/);
    expect(entry(r, 'worker', 'entrypoint').message).not.toMatch(/doubled/);
  });

  test('text without $( or $$ is unchanged', () => {
    const r = run({
      redis: { image: 'valkey/valkey:8', command: ['sh', '-c', 'valkey-server --requirepass $REDIS_PASSWORD'] },
    });
    expect(container(r, 'redis').args).toEqual(['sh', '-c', 'valkey-server --requirepass $REDIS_PASSWORD']);
  });
});
