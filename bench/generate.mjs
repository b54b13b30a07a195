/**
 * A synthetic compose file with `n` services, shaped like real large projects: shared settings through
 * anchors and `<<` merge keys, environment maps, published and container-only ports, named volumes and
 * bind mounts, healthchecks, and depends_on chains (each service waits for the two before it).
 * Deterministic: the same `n` always gives the same text.
 */
export function generateCompose(n) {
  const out = [
    'name: bench',
    'x-common: &common',
    '  restart: unless-stopped',
    '  logging: {driver: json-file, options: {max-size: 10m}}',
    '  environment: &env',
    '    LOG_LEVEL: info',
    '    REGION: eu-west-1',
    '    FEATURE_FLAGS: "a,b,c"',
    'x-health: &health',
    '  interval: 10s',
    '  timeout: 3s',
    '  retries: 3',
    '  start_period: 20s',
    'services:',
  ];
  for (let i = 0; i < n; i++) {
    const s = `svc-${i}`;
    out.push(
      `  ${s}:`,
      '    <<: *common',
      `    image: registry.example.com/team/${s}:1.${i % 10}.0`,
      '    environment:',
      '      <<: *env',
      `      SERVICE_ID: "${i}"`,
      `      PEER_URL: http://svc-${(i + 1) % n}:8080`,
      `      DATABASE_URL: postgres://app:\${DB_PASSWORD:-secret}@db-${i % 7}:5432/app`,
      '    ports:',
      `      - "${10000 + i}:8080"`,
      '      - target: 9100',
      '        protocol: tcp',
      '    expose: ["7000"]',
      '    volumes:',
      `      - data-${i}:/var/lib/app`,
      `      - type: volume`,
      `        source: cache-${i % 10}`,
      '        target: /cache',
      '    healthcheck:',
      '      <<: *health',
      '      test: ["CMD", "curl", "-f", "http://localhost:8080/health"]',
      '    deploy:',
      '      resources:',
      `        limits: {cpus: "0.${(i % 9) + 1}", memory: ${128 + (i % 4) * 64}M}`,
    );
    const deps = [i - 1, i - 2].filter((d) => d >= 0);
    if (deps.length) {
      out.push('    depends_on:');
      for (const d of deps) out.push(`      svc-${d}: {condition: ${d % 2 ? 'service_healthy' : 'service_started'}}`);
    }
  }
  out.push('volumes:');
  for (let i = 0; i < n; i++) out.push(`  data-${i}: {}`);
  for (let i = 0; i < Math.min(n, 10); i++) out.push(`  cache-${i}: {}`);
  return out.join('\n') + '\n';
}
