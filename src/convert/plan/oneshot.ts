/**
 * One-shot tasks recognised by what they run, as data: a container whose command (or image) is one of
 * these does its work and exits — a schema migration, a data seed, a MongoDB replica-set initiation —
 * so it belongs in a Job, not a Deployment that restarts it forever. Kept conservative: a command that
 * also starts a server (`migrate && gunicorn ...`) is not one-shot, a curl/wget is one only as a single
 * request (no loop, no second command), and controller.ts still requires that compose does not restart it
 * and that nothing treats it as a server.
 */
import type { Service } from '../../model/types.js';
import { imageKey } from '../../kube/images.js';

/** Command patterns → what they do (for the report). */
const TASKS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\brs\.initiate\s*\(/, 'initialises a MongoDB replica set (rs.initiate)'],
  [/\bmanage\.py\s+migrate\b/, 'runs Django migrations (manage.py migrate)'],
  [
    /\b(rails|rake|bundle exec rake|bundle exec rails)\s+db:(migrate|setup|prepare)\b/,
    'runs Rails migrations (db:migrate)',
  ],
  [/\balembic\s+upgrade\b/, 'runs Alembic migrations (alembic upgrade)'],
  [/\bprisma\s+migrate\s+deploy\b/, 'runs Prisma migrations (prisma migrate deploy)'],
  [/\b(knex|sequelize(-cli)?)\s+(db:)?migrate\b/, 'runs JavaScript migrations (knex / sequelize migrate)'],
  [/\bflyway\b.*\bmigrate\b/, 'runs Flyway migrations'],
  [/\bliquibase\b.*\bupdate\b/, 'runs Liquibase migrations (liquibase update)'],
  [/\bartisan\s+migrate\b/, 'runs Laravel migrations (artisan migrate)'],
  [/\b(rake|rails)\s+db:seed\b|\bmanage\.py\s+loaddata\b|\bartisan\s+db:seed\b/, 'seeds the database'],
  [/\bmongo(import|restore)\b/, 'loads data into MongoDB (mongoimport / mongorestore)'],
  [/\bkafka-topics(\.sh)?\b.*--create\b/, 'creates Kafka topics (kafka-topics --create)'],
  [/\bmc\s+mb\b/, 'creates MinIO buckets (mc mb)'],
  // An app's own init command (`zammad-init`), not an init process that runs a server (dumb-init, tini -- ...).
  [/^(?:\S*\/)?(?!dumb-init\b|docker-init\b|s6-init\b)[a-z][a-z0-9]*(?:-[a-z0-9]+)*-init$/, "runs the app's init task"],
];

/** Words that start or keep a server running: a command with one of them is not a one-shot task. */
const SERVES =
  /\b(gunicorn|uvicorn|daphne|runserver|puma|unicorn|npm\s+(run\s+)?start|node\s+\S*server|serve|nginx|httpd|supervisord|sleep\s+infinity|tail\s+-f|exec\s+"\$@")\b/;

/** Images that only run a migration tool (golang-migrate, Flyway, Liquibase) → what they do. */
const TASK_IMAGES: Readonly<Record<string, string>> = {
  'migrate/migrate': 'runs golang-migrate migrations',
  'flyway/flyway': 'runs Flyway migrations',
  flyway: 'runs Flyway migrations',
  'liquibase/liquibase': 'runs Liquibase migrations',
  liquibase: 'runs Liquibase migrations',
};

/**
 * A command line that is one curl or wget request (`curl -fsS -XPUT http://search:9200/app`, also through
 * `sh -c`): no second command, loop, pipe, redirect or substitution (no `;`, `&`, `|`, `<`, `>`, backquote, `$(`,
 * newline), so nothing keeps it running once the request is done. A poller (`while true; do curl ...; sleep 60;
 * done`) has them.
 */
const SINGLE_REQUEST = /^(?:(?:\S*\/)?(?:sh|bash|ash|dash)\s+-c\s+)?(?:\S*\/)?(?:curl|wget)\s(?:(?!\$\()[^;&|<>`\n])*$/;

/**
 * Images whose entrypoint runs their tool on the command's arguments when the command starts with an option or
 * a URL (curlimages/curl: `command: [-fsS, http://x]` runs `curl -fsS http://x`) → that tool.
 */
const TOOL_IMAGES: Readonly<Record<string, string>> = {
  'curlimages/curl': 'curl',
};

/** Why `svc` looks like a one-shot task (`its command … runs Django migrations`), or undefined. */
export function oneShotEvidence(svc: Service): string | undefined {
  const cmd = [...(svc.entrypoint ?? []), ...(svc.command ?? [])].join(' ');
  if (cmd && SERVES.test(cmd)) return undefined;
  for (const [re, what] of TASKS) if (re.test(cmd)) return `its command (${clip(cmd)}) ${what}`;
  const request = singleRequest(svc, cmd);
  if (request) return request;
  const key = svc.image ? imageKey(TASK_IMAGES, svc.image) : undefined;
  if (key) return `its image ${key} ${TASK_IMAGES[key]}`;
  return undefined;
}

/** `its command (curl ...) makes a single HTTP request` when the command is one curl/wget request, else undefined. */
function singleRequest(svc: Service, cmd: string): string | undefined {
  if (!cmd) return undefined;
  const tool = !svc.entrypoint?.length && svc.image ? imageKey(TOOL_IMAGES, svc.image) : undefined;
  const first = cmd.split(/\s/, 1)[0]!;
  const viaImage = tool !== undefined && (first.startsWith('-') || first.includes('://'));
  if (!SINGLE_REQUEST.test(viaImage ? `${TOOL_IMAGES[tool]} ${cmd}` : cmd)) return undefined;
  const by = viaImage ? `, run by ${TOOL_IMAGES[tool]} in image ${tool}` : '';
  return `its command (${clip(cmd)}${by}) makes a single HTTP request (curl/wget)`;
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
