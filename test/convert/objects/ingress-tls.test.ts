/**
 * TLS backends (issue 14): a container port that serves HTTPS behind the Ingress gets ingress-nginx's
 * backend-protocol annotation, or the report says what to set for another controller.
 */
import { describe, expect, it } from 'vitest';
import { convertProject } from '../../../src/convert/index.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';
import { fromYaml } from '../../helpers/project.js';
import { expectValid } from '../../helpers/validate.js';

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
