/**
 * Project shapes the main generator (generate.mjs) lacks, each one thing every service shares: a cost that grows
 * with the square of the services hides in such sharing (one credential all services hold, one folder all mount,
 * one alias all carry), and a generator without it cannot see it. Row `scaleShapes` of bench/run.mjs converts each
 * at two sizes; session 10 found four quadratic steps this way (bench/README.md). Deterministic.
 */
const SHAPES = {
  // one bind folder and one config file every service mounts, one secret value every service holds
  sharedBind: (i) =>
    `  s${i}:\n    image: app:${i}\n    volumes: ["./shared:/data/shared", "./cfg/app.conf:/etc/app.conf:ro"]\n` +
    `    environment:\n      SECRET_KEY: same-secret-for-all\n      API_TOKEN: tok-${i % 3}\n`,
  // every service waits for one hub and for the one before it, and names the hub and a peer by URL
  dependsHub: (i) =>
    `  s${i}:\n    image: app:${i}\n    depends_on:\n      hub: {condition: service_healthy}\n` +
    (i > 0 ? `      s${i - 1}: {condition: service_started}\n` : '') +
    `    environment:\n      HUB_URL: http://hub:8080/api\n      PEER: s${(i * 7) % 50}:9000\n    expose: ["9000"]\n`,
  // aliases on 20 networks, one alias every service carries, a link alias each
  aliases: (i) =>
    `  s${i}:\n    image: nginx\n    networks:\n      n${i % 20}:\n        aliases: [a${i}, shared-alias]\n` +
    `    links: ["hub:hub-${i}"]\n`,
  // a Traefik router per service, one middleware all of them use
  traefik: (i) =>
    `  s${i}:\n    image: app:${i}\n    labels:\n      traefik.enable: "true"\n` +
    `      traefik.http.routers.r${i}.rule: Host(\`s${i}.example.com\`) && PathPrefix(\`/p\`)\n` +
    `      traefik.http.routers.r${i}.middlewares: strip@docker\n` +
    `      traefik.http.services.r${i}.loadbalancer.server.port: "80${i % 10}0"\n` +
    `      traefik.http.middlewares.strip.stripprefix.prefixes: /p\n`,
  // one secret file and one config every service reads, plus a secret of its own
  secretsFiles: (i) =>
    `  s${i}:\n    image: postgres:16\n    secrets: [db_pw, s${i}_key]\n    configs: [shared_cfg]\n` +
    `    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_pw\n`,
};

export const SHAPE_NAMES = Object.keys(SHAPES);

/** The files the shapes read, for memoryFs, under /shapes. */
export const SHAPE_FILES = {
  '/shapes/shared/a.txt': 'x',
  '/shapes/cfg/app.conf': 'password = hunter2\nhost = hub:8080\n',
  '/shapes/pw': 'pw',
};

/** The compose text of `shape` with `n` services (and a hub they may name). */
export function shapeCompose(shape, n) {
  let s =
    'name: shapes\nservices:\n  hub:\n    image: app\n    healthcheck: {test: ["CMD", "true"]}\n    ports: ["8080:8080"]\n';
  for (let i = 0; i < n; i++) s += SHAPES[shape](i);
  if (shape === 'aliases') s += 'networks:\n' + Array.from({ length: 20 }, (_, k) => `  n${k}: {}\n`).join('');
  if (shape === 'secretsFiles') {
    s += 'secrets:\n  db_pw: {file: ./pw}\n';
    for (let i = 0; i < n; i++) s += `  s${i}_key: {environment: K${i}}\n`;
    s += 'configs:\n  shared_cfg: {content: "x=1"}\n';
  }
  return s;
}
