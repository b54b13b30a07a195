/**
 * One-shot tasks recognised by what they run, as data: a container whose command (or image) is one of
 * these does its work and exits — a schema migration, a data seed, a MongoDB replica-set initiation —
 * so it belongs in a Job, not a Deployment that restarts it forever. Kept conservative: a command that
 * also starts a server (`migrate && gunicorn ...`) is not one-shot, a curl/wget is one only as a single
 * request (no loop, no second command), and controller.ts still requires that compose does not restart it
 * and that nothing treats it as a server.
 */
import type { Service } from '../../model/types.js';
import type { PhraseId } from '../../mappings/outcomes.js';
import { imageKey } from '../../kube/images.js';
import { commandWords } from '../../model/command.js';

/** Command patterns → what they do (for the report: phrases of report.yaml). */
const TASKS: ReadonlyArray<readonly [RegExp, PhraseId]> = [
  [/\brs\.initiate\s*\(/, 'task.mongo-replica-set'],
  [/\bmanage\.py\s+migrate\b/, 'task.django'],
  [/\b(rails|rake|bundle exec rake|bundle exec rails)\s+db:(migrate|setup|prepare)\b/, 'task.rails'],
  [/\balembic\s+upgrade\b/, 'task.alembic'],
  [/\bprisma\s+migrate\s+deploy\b/, 'task.prisma'],
  [/\b(knex|sequelize(-cli)?)\s+(db:)?migrate\b/, 'task.javascript'],
  [/\bflyway\b.*\bmigrate\b/, 'task.flyway'],
  [/\bliquibase\b.*\bupdate\b/, 'task.liquibase-update'],
  [/\bartisan\s+migrate\b/, 'task.laravel'],
  // Frappe / ERPNext: `bench --site all migrate`, `bench --site SITE migrate` (not `bench worker`, `bench serve`).
  [/\bbench\s+(?:--site\s+\S+\s+)?migrate\b/, 'task.frappe'],
  [/\b(rake|rails)\s+db:seed\b|\bmanage\.py\s+loaddata\b|\bartisan\s+db:seed\b/, 'task.seed'],
  [/\bmongo(import|restore)\b/, 'task.mongo-import'],
  [/\bkafka-topics(\.sh)?\b.*--create\b/, 'task.kafka-topics'],
  [/\bmc\s+mb\b/, 'task.minio-buckets'],
  // An app's own init command (`zammad-init`), not an init process that runs a server (dumb-init, tini -- ...).
  [/^(?:\S*\/)?(?!dumb-init\b|docker-init\b|s6-init\b)[a-z][a-z0-9]*(?:-[a-z0-9]+)*-init$/, 'task.app-init'],
];

/** Words that start or keep a server running: a command with one of them is not a one-shot task. */
const SERVES =
  /\b(gunicorn|uvicorn|daphne|runserver|puma|unicorn|npm\s+(run\s+)?start|node\s+\S*server|serve|nginx|httpd|supervisord|sleep\s+infinity|tail\s+-f|exec\s+"\$@")\b/;

/** Images that only run a migration tool (golang-migrate, Flyway, Liquibase) → what they do. */
const TASK_IMAGES: Readonly<Record<string, PhraseId>> = {
  'migrate/migrate': 'task.golang-migrate',
  'flyway/flyway': 'task.flyway',
  flyway: 'task.flyway',
  'liquibase/liquibase': 'task.liquibase',
  liquibase: 'task.liquibase',
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

/**
 * Why `svc` looks like a one-shot task, as the values of the phrase `evidence` (`oneshot.command`: its command …
 * runs Django migrations; `oneshot.image`), or undefined.
 */
export function oneShotEvidence(
  svc: Service,
):
  | { evidence: PhraseId; task: PhraseId; command: string }
  | { evidence: PhraseId; task: PhraseId; taskImage: string }
  | undefined {
  const cmd = commandWords(svc).join(' ');
  if (cmd && SERVES.test(cmd)) return undefined;
  for (const [re, task] of TASKS) if (re.test(cmd)) return { evidence: 'oneshot.command', task, command: clip(cmd) };
  const request = singleRequest(svc, cmd);
  if (request) return { evidence: 'oneshot.command', task: 'task.single-request', command: request };
  if (requestScript(cmd)) return { evidence: 'oneshot.command', task: 'task.requests', command: clip(cmd) };
  const key = svc.image ? imageKey(TASK_IMAGES, svc.image) : undefined;
  if (key) return { evidence: 'oneshot.image', task: TASK_IMAGES[key]!, taskImage: key };
  return undefined;
}

/** The command as the report shows it (`curl -fsS ...`, `-fsS http://x, run by curl in image curlimages/curl`)
 * when it is one curl/wget request, else undefined. */
function singleRequest(svc: Service, cmd: string): string | undefined {
  if (!cmd) return undefined;
  const tool = !svc.entrypoint?.length && svc.image ? imageKey(TOOL_IMAGES, svc.image) : undefined;
  const first = cmd.split(/\s/, 1)[0]!;
  const viaImage = tool !== undefined && (first.startsWith('-') || first.includes('://'));
  if (!SINGLE_REQUEST.test(viaImage ? `${TOOL_IMAGES[tool]} ${cmd}` : cmd)) return undefined;
  const by = viaImage ? `, run by ${TOOL_IMAGES[tool]} in image ${tool}` : '';
  return `${clip(cmd)}${by}`;
}

/** A piece of a request script: one curl/wget request, or a message or exit status (`echo done`, `true`). */
const SCRIPT_STEP = /^(?:(?:\S*\/)?(?:curl|wget)\s[^|<>`]*|(?:echo|printf|true|exit)\b[^|<>`]*)$/;

/**
 * True for a shell script that only makes curl/wget requests and prints (`sh -c "curl -XPOST http://es:9200/x ;
 * echo done"`, docker-elk's setup): steps joined by `;`, `&&`, `||` or newlines, no loop, pipe, redirect or
 * substitution and no other program, so it ends once its requests are done.
 */
function requestScript(cmd: string): boolean {
  const m = /^(?:\S*\/)?(?:sh|bash|ash|dash)\s+-c\s+([\s\S]*)$/.exec(cmd);
  if (!m || m[1]!.includes('$(')) return false;
  const steps = m[1]!.split(/\s*(?:;|&&|\|\||\n)\s*/).filter((x) => x !== '');
  return (
    steps.length > 1 &&
    steps.every((x) => SCRIPT_STEP.test(x)) &&
    steps.some((x) => !/^(echo|printf|true|exit)\b/.test(x))
  );
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
