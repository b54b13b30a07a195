/** normalizeProject: depends_on, secrets/configs, networks and the reference checks between them. */
import { describe, expect, it } from 'vitest';
import { load, service } from './normalize-helper.js';

describe('depends_on', () => {
  it('list → map with defaults; long form defaults', () => {
    const { result, problems } = load(`services:
  web:
    image: w
    depends_on: [db, cache]
  worker:
    image: w
    depends_on:
      db:
        condition: service_healthy
      cache:
        condition: service_started
        required: false
        restart: true
  db: {image: postgres}
  cache: {image: redis}
`);
    expect(problems).toEqual([]);
    const started = { condition: 'service_started', required: true, restart: false };
    expect(result?.services['web']?.depends_on).toEqual({ db: started, cache: started });
    expect(result?.services['worker']?.depends_on).toEqual({
      db: { condition: 'service_healthy', required: true, restart: false },
      cache: { condition: 'service_started', required: false, restart: true },
    });
  });

  it('long form needs a known condition', () => {
    expect(service('depends_on:\n  db:\n    condition: healthy', '  db: {image: x}').problems).toEqual([
      'invalid-value@6:9',
    ]);
  });
});

describe('secrets and configs references', () => {
  const top = `secrets:
  db_pw: {file: ./pw.txt}
  api: {environment: API_KEY}
configs:
  nginx: {file: ./nginx.conf}
  inline: {content: "hello"}`;

  it('short syntax gets default targets; long syntax keeps its own, mode strings are octal', () => {
    const { web, problems, result } = service(
      `secrets:
  - db_pw
  - source: api
    target: api_key
    mode: "0440"
  - source: db_pw
    target: /etc/pw
    mode: 0o400
configs:
  - nginx
  - source: inline
    target: /etc/inline.txt
    uid: "103"
    mode: 292`,
      top,
    );
    expect(problems).toEqual([]);
    expect(web?.secrets).toEqual([
      { source: 'db_pw', target: '/run/secrets/db_pw' },
      { source: 'api', target: '/run/secrets/api_key', mode: 0o440 },
      { source: 'db_pw', target: '/etc/pw', mode: 0o400 },
    ]);
    expect(web?.configs).toEqual([
      { source: 'nginx', target: '/nginx' },
      { source: 'inline', target: '/etc/inline.txt', uid: '103', mode: 292 },
    ]);
    expect(result?.secrets['db_pw']).toEqual({ file: '/proj/pw.txt', extensions: {} });
    expect(result?.configs['inline']).toEqual({ content: 'hello', extensions: {} });
  });

  it('unknown secret or config is an error at the reference', () => {
    expect(service('secrets: [nope]\nconfigs:\n  - source: gone', top).problems).toEqual([
      'unknown-secret@4:15',
      'unknown-config@6:9',
    ]);
  });

  it('a secret with no source is an error', () => {
    expect(load('services: {}\nsecrets:\n  s: {labels: {a: b}}').problems).toEqual(['invalid-secret@3:3']);
  });
});

describe('networks', () => {
  it('no networks and no network_mode → default network, created implicitly', () => {
    const { web, result } = service('');
    expect(web?.networks).toEqual({ default: {} });
    expect(result?.networks).toEqual({ default: { extensions: {} } });
  });

  it('network_mode alone → no networks', () => {
    const { web, result } = service('network_mode: host');
    expect(web?.networks).toEqual({});
    expect(result?.networks).toEqual({});
  });

  it('list → map; null values → {}', () => {
    const top = 'networks:\n  front: {}\n  back:\n    driver: bridge\n    driver_opts: {mtu: 1400}';
    expect(service('networks: [front, back]', top).web?.networks).toEqual({ front: {}, back: {} });
    const { web, result } = service(
      'networks:\n  front:\n  back:\n    aliases: [db]\n    ipv4_address: 172.16.0.2',
      top,
    );
    expect(web?.networks).toEqual({ front: {}, back: { aliases: ['db'], ipv4_address: '172.16.0.2' } });
    expect(result?.networks['back']).toEqual({ driver: 'bridge', driver_opts: { mtu: '1400' }, extensions: {} });
  });

  it('a blank name (an unset variable) is no name: the entry is named from its key, as compose-go does', () => {
    const { result } = load(
      'services: {}\nnetworks:\n  outside:\n    external: true\n    name: ""\nvolumes:\n  data:\n    name: ""\nsecrets:\n  s:\n    external: true\n    name: ""',
    );
    expect(result?.networks['outside']).toEqual({ external: true, extensions: {} });
    expect(result?.volumes['data']).toEqual({ extensions: {} });
    expect(result?.secrets['s']).toEqual({ external: true, extensions: {} });
  });

  it('legacy external: {name} → external + name (with a deprecation warning)', () => {
    const { result, problems } = load(
      'services: {}\nnetworks:\n  outside:\n    external:\n      name: real-net\nvolumes:\n  data:\n    external: true',
    );
    expect(result?.networks['outside']).toEqual({ external: true, name: 'real-net', extensions: {} });
    expect(result?.volumes['data']).toEqual({ external: true, extensions: {} });
    expect(problems).toEqual(['external-name-deprecated@5:7']);
  });

  it('unknown network is an error at the reference', () => {
    expect(service('networks: [nope]').problems).toEqual(['unknown-network@4:16']);
  });
});

describe('service references', () => {
  it.each([
    ['depends_on: [ghost]', 'unknown-service@4:18'],
    ['links: ["ghost:alias"]', 'unknown-service@4:13'],
    ['volumes_from: [ghost]', 'unknown-service@4:20'],
    ['network_mode: "service:ghost"', 'unknown-service@4:5'],
  ])('%s', (line, problem) => {
    expect(service(line).problems).toEqual([problem]);
  });

  it('volumes_from container:x is not a service reference', () => {
    expect(service('volumes_from: ["container:other", "other:ro"]', '  other: {image: x}').problems).toEqual([]);
  });

  it('volumes_from naming a service called container is a service reference (only container: names a container)', () => {
    // the same rule the profiles use (compose-go GetDependencies): a bare `container` is a service name
    expect(service('volumes_from: [container]').problems).toEqual(['unknown-service@4:20']);
    expect(service('volumes_from: [container]', '  container: {image: x}').problems).toEqual([]);
  });

  it('missing image and build', () => {
    expect(load('services:\n  web:\n    ports: ["80"]').problems).toEqual(['missing-image@2:3']);
  });
});

describe('errors do not hide other errors', () => {
  it('a schema error in one key still lets the rest of the service be checked', () => {
    expect(service('ports: "80"\ndepends_on: [ghost]').problems).toEqual(['invalid-type@4:5', 'unknown-service@5:18']);
  });

  it('a wrongly typed image is not also reported as a missing image', () => {
    expect(load('services:\n  web:\n    image: [x]').problems).toEqual(['invalid-type@3:5']);
  });
});

describe('volumes: the local driver with o: bind', () => {
  it('its device is a host path relative to the project, as compose-go resolves it; other options stay as written', () => {
    const { result, problems } = load(
      'services: {}\nvolumes:\n' +
        '  a: {driver: local, driver_opts: {type: none, o: bind, device: ./data}}\n' +
        '  b: {driver: local, driver_opts: {type: none, o: bind, device: /srv/b}}\n' +
        '  c: {driver_opts: {type: none, o: bind, device: ./c}}\n' +
        '  d: {driver: local, driver_opts: {type: nfs, o: addr=10.0.0.1, device: ":/export"}}\n',
    );
    expect(problems).toEqual([]);
    const device = (v: string) => result?.volumes[v]?.driver_opts?.device;
    expect([device('a'), device('b'), device('c'), device('d')]).toEqual(['/proj/data', '/srv/b', './c', ':/export']);
  });
});
