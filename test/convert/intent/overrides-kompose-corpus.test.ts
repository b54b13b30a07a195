/**
 * Every kompose label used by kompose's own conversion fixtures, read from the shared corpus and
 * parsed to the override that matches kompose's expected output (output-k8s.*). Skipped when the
 * corpus is absent.
 */
import { describe, expect, it } from 'vitest';
import { claimSettings, serviceOverrides, volumeOverrides } from '../../../src/convert/intent/overrides.js';
import { ctxFixture, diagLines, hasKompose } from './overrides-helpers.js';

describe.runIf(hasKompose)('kompose fixtures', () => {
  it('expose: hosts with their own path, TLS secret and ingress class', () => {
    const ctx = ctxFixture('expose/compose.yaml');
    expect(serviceOverrides(ctx, 'web').ingress).toEqual({
      enabled: true,
      rules: [{ host: 'batman.example.com', path: '/dev' }, { host: 'batwoman.example.com' }],
      hosts: ['batman.example.com', 'batwoman.example.com'],
      tlsSecret: 'test-secret',
      className: 'nginx',
    });
    expect(serviceOverrides(ctx, 'redis')).toEqual({});
    expect(ctx.diags.list).toEqual([]);
  });

  it('healthcheck: readiness exec from a shell-split test, with timing', () => {
    const ctx = ctxFixture('healthcheck/compose-healthcheck.yaml');
    expect(serviceOverrides(ctx, 'redis').readiness).toEqual({
      type: 'exec',
      command: ['echo', 'liveness'],
      periodSeconds: 10,
      timeoutSeconds: 1,
      failureThreshold: 5,
    });
    expect(serviceOverrides(ctx, 'redis').liveness).toBeUndefined();
  });

  it('healthcheck: httpGet liveness and readiness', () => {
    const o = serviceOverrides(ctxFixture('healthcheck/compose-healthcheck.yaml'), 'postgresql');
    expect(o.liveness).toEqual({ type: 'http', path: '/health', port: 8080 });
    expect(o.readiness).toEqual({
      type: 'http',
      path: '/ready',
      port: 8080,
      periodSeconds: 10,
      timeoutSeconds: 1,
      failureThreshold: 5,
    });
  });

  it('healthcheck: tcpSocket probes and the service group', () => {
    const ctx = ctxFixture('healthcheck/compose-healthcheck.yaml');
    const mongo = serviceOverrides(ctx, 'mongo');
    expect(mongo.serviceGroup).toBe('my-group');
    expect(mongo.liveness).toEqual({ type: 'tcp', port: 8080 });
    expect(mongo.readiness).toEqual({
      type: 'tcp',
      port: 9090,
      periodSeconds: 10,
      timeoutSeconds: 1,
      failureThreshold: 5,
    });
    const mysql = serviceOverrides(ctx, 'mysql');
    expect(mysql.serviceGroup).toBe('my-group');
    expect(mysql.readiness).toEqual({
      type: 'tcp',
      port: 9091,
      periodSeconds: 11,
      timeoutSeconds: 2,
      failureThreshold: 6,
    });
    expect(ctx.diags.list).toEqual([]);
  });

  it('controller.type daemonset', () => {
    const ctx = ctxFixture('controller/compose-controller-label-v3.yaml');
    expect(serviceOverrides(ctx, 'mysql').controller).toBe('DaemonSet');
    expect(serviceOverrides(ctx, 'web').controller).toBeUndefined();
  });

  it('service.type is case-insensitive (LoadBalancer, NodePort, nodeport, headless)', () => {
    expect(serviceOverrides(ctxFixture('controller/compose.yaml'), 'frontend').serviceType).toBe('LoadBalancer');
    expect(serviceOverrides(ctxFixture('label-port/docker-compose.yml'), 'webapiapplication').serviceType).toBe(
      'NodePort',
    );
    expect(serviceOverrides(ctxFixture('configmap/compose.yaml'), 'redis').serviceType).toBe('NodePort');
    expect(serviceOverrides(ctxFixture('change-in-volume/compose.yaml'), 'redis').serviceType).toBe('Headless');
    expect(serviceOverrides(ctxFixture('v2/compose.yaml'), 'redis').serviceType).toBe('LoadBalancer');
  });

  it('service.nodeport.port with type nodeport', () => {
    const ctx = ctxFixture('service-label/docker-compose.yaml');
    const svc = Object.values(ctx.project.services).find((s) => s.labels['kompose.service.nodeport.port'])!;
    const o = serviceOverrides(ctx, svc);
    expect(o.serviceType).toBe('NodePort');
    expect(o.nodePort).toBe(33111);
  });

  it('external-traffic-policy local with an ingress host "lb", which kompose does not apply beside a LoadBalancer', () => {
    const v1 = serviceOverrides(ctxFixture('external-traffic-policy/compose-v1.yaml'), 'front-end');
    expect(v1).toMatchObject({ serviceType: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    expect(v1.ingress).toMatchObject({ enabled: false, besideLoadBalancer: true, hosts: ['lb'], className: 'nginx' });
    expect(serviceOverrides(ctxFixture('external-traffic-policy/compose-v2.yaml'), 'front-end').serviceType).toBe(
      'Headless',
    );
  });

  it('cronjob schedule, concurrency policy and backoff limit', () => {
    expect(serviceOverrides(ctxFixture('cronjob/compose.yaml'), 'challenge').cron).toEqual({
      schedule: '* * * * *',
      concurrencyPolicy: 'Forbid',
      backoffLimit: 0,
    });
  });

  it('hpa: cpu and memory as utilization percentages, replica bounds', () => {
    expect(serviceOverrides(ctxFixture('hpa/compose.yaml'), 'web').hpa).toEqual({
      cpu: 50,
      memory: 70,
      minReplicas: 1,
      maxReplicas: 10,
    });
  });

  it('init container from a JSON-array command label', () => {
    const o = serviceOverrides(ctxFixture('initcontainer/compose.yaml'), 'web');
    expect(o.initContainers).toHaveLength(1);
    expect(o.initContainers![0]!.name).toBe('init-myservice');
    expect(o.initContainers![0]!.image).toBe('busybox:1.28');
    expect(o.initContainers![0]!.command!.slice(0, 2)).toEqual(['sh', '-c']);
    expect(o.initContainers![0]!.command![2]).toMatch(/^until nslookup myservice\./);
  });

  it('security-context.fsgroup', () => {
    expect(serviceOverrides(ctxFixture('fsgroup/compose.yaml'), 'pgadmin').fsGroup).toBe(1001);
  });

  it('volume.type per service', () => {
    const ctx = ctxFixture('multiple-type-volumes/compose.yaml');
    expect(serviceOverrides(ctx, 'web').volumes).toEqual({ type: 'configMap' });
    expect(serviceOverrides(ctx, 'db').volumes).toEqual({ type: 'persistentVolumeClaim' });
  });

  it('volume.size, storage-class-name and subpath on the service', () => {
    expect(serviceOverrides(ctxFixture('pvc-request-size/compose.yaml'), 'postgresql').volumes).toEqual({
      size: '200Mi',
    });
    expect(serviceOverrides(ctxFixture('pvc-request-size/compose.yaml'), 'redis').volumes).toBeUndefined();
    expect(serviceOverrides(ctxFixture('storage-class-name/compose.yaml'), 'nginx').volumes).toEqual({
      storageClass: 'custom-storage-class-name',
    });
    expect(serviceOverrides(ctxFixture('vols-subpath/compose.yaml'), 'postgres').volumes).toEqual({ subpath: 'test' });
  });

  it('top-level volume labels win over the service label (size 500Mi vs 200Mi, selector)', () => {
    // kompose tolerates the undeclared volume db-config; compose does not, so declare it.
    const ctx = ctxFixture('volume-mounts/named-volume/docker-compose-v3.yml', {}, '\n  db-config: {}\n');
    expect(volumeOverrides(ctx, 'db-data')).toEqual({ size: '500Mi', selector: 'db-data-dev' });
    expect(claimSettings(ctx, 'db-data', 'db')).toEqual({ size: '500Mi', selector: 'db-data-dev' });
    expect(claimSettings(ctx, 'db-config', 'db')).toEqual({ size: '200Mi' });
  });

  it('image-pull-policy values, and an invalid one reported at the label', () => {
    const ctx = ctxFixture('image-pull-policy/compose-files/v3-image-pull-policy.yml');
    expect(['nginx0', 'nginx1', 'nginx2'].map((s) => serviceOverrides(ctx, s).imagePullPolicy)).toEqual([
      'Always',
      'IfNotPresent',
      'Never',
    ]);
    const bad = ctxFixture('image-pull-policy/compose-files/v12-fail-image-pull-policy.yml');
    expect(serviceOverrides(bad, 'nginx0').imagePullPolicy).toBeUndefined();
    expect(diagLines(bad)).toEqual([
      'kompose-label-invalid 5:7 service "nginx0": label kompose.image-pull-policy: "Fail" is not one of Always, IfNotPresent, Never',
    ]);
  });

  it('image-pull-policy from an interpolated default', () => {
    expect(serviceOverrides(ctxFixture('compose-env-interpolation/compose.yaml'), 'foo').imagePullPolicy).toBe(
      'IfNotPresent',
    );
    expect(
      serviceOverrides(ctxFixture('compose-env-interpolation/compose.yaml', { IMAGE_PULL_POLICY: 'never' }), 'foo')
        .imagePullPolicy,
    ).toBe('Never');
  });

  it('ephemeral-storage labels under deploy.labels', () => {
    expect(serviceOverrides(ctxFixture('deploy/labels/compose.yaml'), 'app').resources).toEqual({
      requests: { ephemeralStorage: '1Gi' },
      limits: { ephemeralStorage: '1Gi' },
    });
  });

  it('service.group shared by two services', () => {
    const ctx = ctxFixture('security-contexts/compose.yaml');
    expect([serviceOverrides(ctx, 'dind').serviceGroup, serviceOverrides(ctx, 'cup').serviceGroup]).toEqual([
      'cup',
      'cup',
    ]);
  });

  it('a misspelt kompose label (host-port-protocol fixture) is reported, not applied', () => {
    const ctx = ctxFixture('host-port-protocol/compose.yaml');
    expect(serviceOverrides(ctx, 'nginx').hostPorts).toBeUndefined();
    expect(diagLines(ctx)).toEqual([
      expect.stringMatching(
        /^kompose-label-unknown 5:7 service "nginx": label kompose\.container\.kompose\.controller\.port\.expose is not/,
      ),
    ]);
  });
});
