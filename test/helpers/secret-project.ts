/**
 * The generated project of issue 13's property tests: a random secret value in every position a compose project
 * can hold one — environment, `.env`, `env_file`, `secrets:` files, `configs:`, bind-mounted files and directories,
 * healthchecks (CMD and CMD-SHELL, HTTP headers), labels, command, entrypoint, URLs — and an override file (an
 * environment for `--overlay`) that adds secrets of its own.
 */
import fc from 'fast-check';

/** A value no other text of the project contains by chance: letters and digits around a fixed core. */
export const secretValue = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9]{6,12}$/), fc.stringMatching(/^[A-Za-z0-9]{4,8}$/))
  .map(([a, b]) => `Sx${a}9q${b}`);

export const POSITIONS = [
  'environment',
  'dotenv',
  'envFile',
  'secretFile',
  'config',
  'boundKey',
  'boundDir',
  'cmdShell',
  'cmdHeader',
  'label',
  'command',
  'entrypoint',
  'url',
] as const;
export type Position = (typeof POSITIONS)[number];

/** The positions of the override file `compose.prod.yaml`: a literal and an interpolated one. */
export const OVERLAY_POSITIONS = ['overlayLiteral', 'overlayDotenv'] as const;
export type OverlayPosition = (typeof OVERLAY_POSITIONS)[number];

export type SecretValues = Record<Position | OverlayPosition, string>;

export const valuesArb: fc.Arbitrary<SecretValues> = fc.record(
  Object.fromEntries([...POSITIONS, ...OVERLAY_POSITIONS].map((p) => [p, secretValue])) as Record<
    Position | OverlayPosition,
    typeof secretValue
  >,
);

export const DIR = '/project';

export function composeText(v: SecretValues): string {
  return `
services:
  db:
    image: mysql:8
    environment:
      MYSQL_ROOT_PASSWORD: \${MYSQL_ROOT_PASSWORD}
      DB_PASSWORD: ${v.environment}
    env_file: [app.env]
    healthcheck:
      test: ["CMD-SHELL", "mysqladmin ping -uroot -p\${MYSQL_ROOT_PASSWORD}"]
    labels:
      com.example.backup: "mysqldump -p\${BACKUP_PASSWORD}"
    secrets: [db_root]
    configs: [tls_key]
  api:
    image: example/api
    ports: ["8080:8080"]
    environment:
      API_TOKEN: \${API_TOKEN}
      DATABASE_URL: postgres://app:\${PG_PASS}@db:5432/app
    healthcheck:
      test: ["CMD", "curl", "-f", "-H", "Authorization: Bearer \${API_TOKEN}", "http://localhost:8080/health"]
    command: ["serve", "--admin-password=\${ADMIN_PASSWORD}"]
  cache:
    image: redis:7
    healthcheck:
      test: ["CMD-SHELL", "redis-cli -a '\${REDIS_PASSWORD}' ping | grep PONG"]
  web:
    image: nginx
    entrypoint: ["/docker-entrypoint.sh", "--token", "\${WEB_SECRET_TOKEN}"]
    volumes:
      - ./certs/server.key:/etc/nginx/server.key:ro
      - ./conf:/etc/nginx/conf.d:ro
secrets:
  db_root:
    file: ./db_root.txt
configs:
  tls_key:
    file: ./tls/private.pem
`;
}

export function dotenvText(v: SecretValues): string {
  return [
    `MYSQL_ROOT_PASSWORD=${v.dotenv}`,
    `API_TOKEN=${v.cmdHeader}`,
    `PG_PASS=${v.url}`,
    `ADMIN_PASSWORD=${v.command}`,
    `WEB_SECRET_TOKEN=${v.entrypoint}`,
    `BACKUP_PASSWORD=${v.label}`,
    `REDIS_PASSWORD=${v.cmdShell}`,
    `PROD_SIGNING_KEY=${v.overlayDotenv}`,
    '',
  ].join('\n');
}

/** The override file of the `prod` environment: a new literal secret and one from `.env`. */
export function overlayText(v: SecretValues): string {
  return `
services:
  api:
    environment:
      PROD_DB_PASSWORD: ${v.overlayLiteral}
      SIGNING_KEY: \${PROD_SIGNING_KEY}
`;
}

const pem = (x: string): string => `-----BEGIN PRIVATE KEY-----\n${x}\n-----END PRIVATE KEY-----\n`;

/** Every file of the project, by absolute path; `edit` may change the texts (to add an error, say). */
export function secretFiles(v: SecretValues): Record<string, string> {
  return {
    [`${DIR}/compose.yaml`]: composeText(v),
    [`${DIR}/compose.prod.yaml`]: overlayText(v),
    [`${DIR}/.env`]: dotenvText(v),
    [`${DIR}/app.env`]: `APP_SECRET_KEY=${v.envFile}\nAPP_MODE=production\n`,
    [`${DIR}/db_root.txt`]: v.secretFile,
    [`${DIR}/tls/private.pem`]: pem(v.config),
    [`${DIR}/certs/server.key`]: pem(v.boundKey),
    [`${DIR}/conf/default.conf`]: 'server { listen 80; }\n',
    [`${DIR}/conf/.htpasswd`]: `admin:${v.boundDir}\n`,
  };
}
