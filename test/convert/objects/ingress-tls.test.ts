/**
 * TLS backends (issue 14): a container port that serves HTTPS behind the Ingress gets ingress-nginx's
 * backend-protocol annotation, or the report says what to set for another controller.
 */
import { describe, expect, it } from 'vitest';
import { convertProject } from '../../../src/index.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';
import { fromYaml } from '../../helpers/project.js';
import { expectValid } from '../../helpers/validate.js';
import { memoryFs } from '../../../src/load/fs.js';

// Shaped like a security platform's dashboard (HTTPS on 5601 by setting), an app published on 443 next to a plain web app.
const COMPOSE = `
services:
  dashboard:
    image: example/dashboard
    ports: ["5601:5601"]
    environment:
      SERVER_SSL_ENABLED: "true"
  console:
    image: example/console
    ports: ["8080:8080"]
    healthcheck:
      test: ["CMD", "curl", "-kf", "https://localhost:8080/health"]
  portal:
    image: example/portal
    ports: ["443:3000"]
  web:
    image: nginx
    ports: ["80:80"]
    environment:
      SMTP_TLS_VERIFY: "true"
`;

function convert(options: Partial<ConvertOptions> = {}) {
  const r = convertProject(fromYaml(COMPOSE), options);
  expectValid(r.objects);
  const annotations = (name: string) =>
    r.objects.find((o) => o.kind === 'Ingress' && o.metadata.name === name)?.metadata.annotations ?? {};
  const entry = (svc: string) => r.report.entries.find((e) => e.service === svc && e.path === 'ports[0]');
  return { annotations, entry };
}

describe('TLS backends behind the Ingress', () => {
  it('sets backend-protocol HTTPS for an nginx class, from settings or the healthcheck', () => {
    const { annotations, entry } = convert({ ingressClass: 'nginx' });
    expect(annotations('dashboard')['nginx.ingress.kubernetes.io/backend-protocol']).toBe('HTTPS');
    expect(entry('dashboard')?.id).toBe('ports.ingress-tls-backend');
    expect(entry('dashboard')?.message).toContain('SERVER_SSL_ENABLED=true');
    expect(annotations('console')['nginx.ingress.kubernetes.io/backend-protocol']).toBe('HTTPS');
    expect(entry('console')?.message).toContain('https://localhost:8080');
    expect(entry('portal')?.message).toContain('published as TLS port 443');
    // A TLS client setting (verify) is not the server speaking TLS.
    expect(annotations('web')['nginx.ingress.kubernetes.io/backend-protocol']).toBeUndefined();
    expect(entry('web')?.id).not.toMatch(/tls/);
  });

  it('says what to set when the class is another controller', () => {
    const { annotations, entry } = convert({ ingressClass: 'traefik' });
    expect(annotations('dashboard')['nginx.ingress.kubernetes.io/backend-protocol']).toBeUndefined();
    expect(entry('dashboard')?.id).toBe('ports.ingress-tls-backend-unknown');
    expect(entry('dashboard')?.fix).toContain('serversscheme');
  });

  it('with the default class, sets the nginx annotation and still reports the backend as unknown', () => {
    const { annotations, entry } = convert();
    expect(annotations('dashboard')['nginx.ingress.kubernetes.io/backend-protocol']).toBe('HTTPS');
    expect(entry('dashboard')?.id).toBe('ports.ingress-tls-backend-unknown');
  });
});

describe('upload limits behind the Ingress', () => {
  const UPLOADS = `
services:
  cloud:
    image: example/cloud
    ports: ["8080:80"]
    environment:
      UPLOAD_MAX_SIZE: 512M
      PHP_MEMORY_LIMIT: 1G
  notes:
    image: example/notes
    ports: ["3000:3000"]
    environment:
      MAX_UPLOAD_SIZE: "1048576"
`;
  const run = (options: Partial<ConvertOptions> = {}) => {
    const r = convertProject(fromYaml(UPLOADS), options);
    expectValid(r.objects);
    const ann = (name: string) =>
      r.objects.find((o) => o.kind === 'Ingress' && o.metadata.name === name)?.metadata.annotations ?? {};
    return { r, ann };
  };

  it('carries an upload limit over 1 MB as proxy-body-size, and leaves 1 MB alone', () => {
    const { r, ann } = run({ ingressClass: 'nginx' });
    expect(ann('cloud')['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('512m');
    expect(r.report.entries.find((e) => e.service === 'cloud' && e.path === 'ports[0]')?.id).toBe(
      'ports.ingress-body-size',
    );
    expect(ann('notes')['nginx.ingress.kubernetes.io/proxy-body-size']).toBeUndefined();
  });

  it('does not set the nginx annotation for another class but reports it', () => {
    const { r, ann } = run({ ingressClass: 'traefik' });
    expect(ann('cloud')['nginx.ingress.kubernetes.io/proxy-body-size']).toBeUndefined();
    expect(r.report.entries.find((e) => e.service === 'cloud' && e.path === 'ports[0]')?.message).toContain('not set');
  });
});

describe('upload limits from the proxy config we carry', () => {
  // Shaped like a proxy-fronted app: an nginx front end with a mounted conf allowing 50 MB uploads.
  const PROXY = `
services:
  proxy:
    image: nginx:1.27
    ports: ["80:80"]
    volumes:
      - ./nginx/default.conf:/etc/nginx/conf.d/default.conf:ro
  app:
    image: example/app
    expose: ["8000"]
  php:
    image: php:8-apache
    ports: ["8081:80"]
    volumes:
      - ./php:/usr/local/etc/php/conf.d:ro
`;
  const files = {
    'nginx/default.conf':
      'server {\n  listen 80;\n  client_max_body_size 50m;  # uploads\n  location / { proxy_pass http://app:8000; }\n}\n',
    'php/uploads.ini': 'upload_max_filesize = 64M\npost_max_size = 2G\n; memory_limit = 4G\n',
  };
  it('client_max_body_size / post_max_size over 1m → proxy-body-size on the Ingress, with a note naming the file', () => {
    const r = convertProject(
      fromYaml(PROXY, files),
      { ingressClass: 'nginx' },
      memoryFs(Object.fromEntries(Object.entries(files).map(([k, v]) => [`/project/${k}`, v]))),
    );
    expectValid(r.objects);
    const ann = (name: string) =>
      r.objects.find((o) => o.kind === 'Ingress' && o.metadata.name === name)?.metadata.annotations ?? {};
    expect(ann('proxy')['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('50m');
    expect(ann('php')['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('2048m');
    const e = r.report.entries.find((x) => x.service === 'proxy' && x.path === 'ports[0]');
    expect(e?.id).toBe('ports.ingress-body-size-config');
    expect(e?.message).toContain('nginx/default.conf');
  });

  it('client_max_body_size 0 (no limit) → 0, and a limit of 1m or less sets nothing', () => {
    const conf = (v: string) => ({ '/project/nginx/default.conf': `server { client_max_body_size ${v}; }\n` });
    const ann = (v: string) => {
      const r = convertProject(
        fromYaml(PROXY, { 'nginx/default.conf': 'x' }),
        { ingressClass: 'nginx' },
        memoryFs(conf(v)),
      );
      return r.objects.find((o) => o.kind === 'Ingress' && o.metadata.name === 'proxy')?.metadata.annotations ?? {};
    };
    expect(ann('0')['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('0');
    expect(ann('1m')['nginx.ingress.kubernetes.io/proxy-body-size']).toBeUndefined();
    expect(ann('512k')['nginx.ingress.kubernetes.io/proxy-body-size']).toBeUndefined();
  });
});
