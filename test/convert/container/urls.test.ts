/**
 * Values that point the browser at localhost:<published port> (issue 12 §4) and settings that advertise
 * the app's own address (issue 14): reported with the new address, rewritten when --ingress-host is given.
 */
import { describe, expect, it } from 'vitest';
import { convertProject } from '../../../src/index.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';
import { fromYaml } from '../../helpers/project.js';
import { expectValid } from '../../helpers/validate.js';

// Shaped like a NextAuth web app with an API, and a Kafka broker advertising its listener.
const COMPOSE = `
services:
  web:
    image: example/web
    ports: ["3000:3000"]
    environment:
      NEXTAUTH_URL: http://localhost:3000
      API_PUBLIC_URL: http://localhost:8080/api
      CORS_ORIGINS: http://localhost:3000,http://127.0.0.1:3000
      INTERNAL_CACHE: http://localhost:6379
  api:
    image: example/api
    ports: ["8080:8080"]
  kafka:
    image: bitnami/kafka
    ports: ["9094:9094"]
    environment:
      KAFKA_CFG_ADVERTISED_LISTENERS: PLAINTEXT://kafka:9092,EXTERNAL://localhost:9094
      CONNECT_REST_ADVERTISED_HOST_NAME: kafka
  turn:
    image: coturn/coturn
    ports: ["3478:3478/udp"]
    environment:
      TURN_EXTERNAL_HOST: 203.0.113.10
      TURN_REALM: example.org
`;

function convert(options: Partial<ConvertOptions> = {}) {
  const r = convertProject(fromYaml(COMPOSE), options);
  expectValid(r.objects);
  const data = (name: string) =>
    (
      r.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name) as unknown as {
        data: Record<string, string>;
      }
    ).data;
  const entry = (svc: string, path: string) => r.report.entries.find((e) => e.service === svc && e.path === path);
  return { r, data, entry };
}

describe('localhost URLs', () => {
  it('reports them with the Ingress address and leaves them as they are without --ingress-host', () => {
    const { data, entry } = convert();
    expect(data('web-env').NEXTAUTH_URL).toBe('http://localhost:3000');
    const e = entry('web', 'environment.NEXTAUTH_URL');
    expect(e?.id).toBe('environment.localhost-url');
    expect(e?.message).toContain('http://web.localhost');
    expect(entry('web', 'environment.API_PUBLIC_URL')?.message).toContain('http://api.localhost');
    // Not a published port: the container's own loopback, left alone and not reported.
    expect(entry('web', 'environment.INTERNAL_CACHE')).toBeUndefined();
  });

  it('rewrites them to the Ingress hosts with --ingress-host and says so', () => {
    const { data, entry } = convert({ ingressHost: 'example.com' });
    const env = data('web-env');
    expect(env.NEXTAUTH_URL).toBe('http://web.example.com');
    expect(env.API_PUBLIC_URL).toBe('http://api.example.com/api');
    expect(env.CORS_ORIGINS).toBe('http://web.example.com,http://web.example.com');
    expect(env.INTERNAL_CACHE).toBe('http://localhost:6379');
    expect(entry('web', 'environment.NEXTAUTH_URL')?.id).toBe('environment.localhost-url-rewritten');
  });

  it("takes a URL without a port as its scheme's port (http://localhost is port 80), not a bare or longer name", () => {
    // samples/proxy-app: the browser-facing URL is http://localhost, where the proxy publishes 80.
    const yaml = `
services:
  proxy: {image: nginx, ports: ["80:80"]}
  api:
    image: example/api
    environment:
      PUBLIC_URL: http://localhost
      CALLBACK_URL: http://127.0.0.1/auth/callback
      TLS_URL: https://localhost/x
      DB_HOST: localhost
      OTHER_URL: http://localhost.example.com/
`;
    const plain = convertProject(fromYaml(yaml));
    const entry = (path: string) => plain.report.entries.find((e) => e.service === 'api' && e.path === path);
    expect(entry('environment.PUBLIC_URL')?.id).toBe('environment.localhost-url');
    expect(entry('environment.PUBLIC_URL')?.message).toContain('reached at http://<ingress address>');
    expect(entry('environment.CALLBACK_URL')?.id).toBe('environment.localhost-url');
    // Nothing publishes 443; a bare host name or a longer name is no published port.
    for (const k of ['TLS_URL', 'DB_HOST', 'OTHER_URL']) expect(entry(`environment.${k}`)?.id).toBe(undefined);
    const host = convertProject(fromYaml(yaml), { ingressHost: 'example.com' });
    const env = (
      host.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'api-env') as unknown as {
        data: Record<string, string>;
      }
    ).data;
    expect(env.PUBLIC_URL).toBe('http://example.com');
    expect(env.CALLBACK_URL).toBe('http://example.com/auth/callback');
    expect(env.OTHER_URL).toBe('http://localhost.example.com/');
  });

  it('uses https when the Ingress has a TLS secret', () => {
    const { data } = convert({ ingressHost: 'example.com', ingressTlsSecret: 'tls' });
    expect(data('web-env').NEXTAUTH_URL).toBe('https://web.example.com');
  });
});

describe('advertised addresses', () => {
  it('flags an advertised listener that must become the load balancer address, and its localhost port', () => {
    const { data, entry } = convert({ ingressHost: 'example.com' });
    const e = entry('kafka', 'environment.KAFKA_CFG_ADVERTISED_LISTENERS');
    expect(e?.id).toBe('environment.localhost-url');
    expect(e?.message).toContain('LoadBalancer address of kafka');
    expect(entry('turn', 'environment.TURN_EXTERNAL_HOST')?.id).toBe('environment.advertised-address');
    expect(entry('turn', 'environment.TURN_REALM')).toBeUndefined();
    // A service name is what peers in the cluster dial: nothing to change.
    expect(entry('kafka', 'environment.CONNECT_REST_ADVERTISED_HOST_NAME')).toBeUndefined();
    expect(entry('kafka', 'environment.KAFKA_CFG_ADVERTISED_LISTENERS')?.fix).not.toContain('--ingress-host');
    // A TCP port has no Ingress host to rewrite to.
    expect(data('kafka-env').KAFKA_CFG_ADVERTISED_LISTENERS).toContain('localhost:9094');
  });
});

describe("URLs naming a routed published port on the Docker host's public name", () => {
  it('are reported with the Ingress address: the Ingress answers on 80/443 only', () => {
    // posthog hobby: LIVESTREAM_HOST https://${DOMAIN}:8666, livestream publishes 8666:8080 (an Ingress host now).
    const r = convertProject(
      fromYaml(`
services:
  web:
    image: example/web
    ports: ["80:8000"]
    environment:
      LIVESTREAM_HOST: https://posthog.example.com:8666
      SITE_URL: https://posthog.example.com
      PEER_URL: http://livestream:8080
      OTHER_API: https://api.example.org:9443
      LISTENERS: http://0.0.0.0:8666
  livestream:
    image: ghcr.io/posthog/livestream:main
    ports: ["8666:8080"]
`),
    );
    expectValid(r.objects);
    const entry = (path: string) => r.report.entries.find((e) => e.service === 'web' && e.path === path);
    const e = entry('environment.LIVESTREAM_HOST');
    expect(e).toMatchObject({ id: 'environment.published-port-url', status: 'approximated' });
    expect(e?.message).toContain('a port livestream published on the Docker host');
    expect(e?.message).toContain('that port is reached at http://livestream.localhost');
    for (const k of ['SITE_URL', 'PEER_URL', 'OTHER_API', 'LISTENERS'])
      expect(entry(`environment.${k}`)).toBeUndefined();
  });
});
