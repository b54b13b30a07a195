/**
 * Issue 13, diagnostics and error messages: the generated project of the no-secret property test with one error
 * placed on or next to a line that holds a secret value — a YAML syntax error inside the value, an unknown key
 * under it, an interpolation error on a line holding a token, a bad `.env` or env_file line, an invalid value that
 * interpolates a secret, a type error in a flow mapping, a secret block scalar above a bad key, a converter error
 * (an invalid kompose label) that quotes an interpolated secret. Neither the
 * library's diagnostics (messages, hints, code frames, JSON) nor what the CLI prints (text and `--report json` on
 * stderr, `lint`) may show any of the values; each error is still reported, at its file and line.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convert, memoryFs } from '../../src/index.js';
import { convert as convertLean } from '../../src/browser.js';
import { DIALECTS } from '../../src/dialects.js';
import { everyOutput, leaks } from '../helpers/outputs.js';
import { runInMemory } from '../helpers/cli.js';
import { DIR, secretFiles, valuesArb, type SecretValues } from '../helpers/secret-project.js';

type Files = Record<string, string>;

function replaceIn(files: Files, name: string, from: string | RegExp, to: string): Files {
  const path = `${DIR}/${name}`;
  const text = files[path]!;
  const next = text.replace(from, to);
  if (next === text) throw new Error(`the error case did not apply to ${name}: ${String(from)}`);
  return { ...files, [path]: next };
}

/** An error case: how it changes the project, and the code and file it is reported with. */
interface ErrorCase {
  code: string;
  file: string;
  apply(files: Files, v: SecretValues): Files;
}

const DB_PASSWORD_LINE = /^ {6}DB_PASSWORD: .*$/m;

const CASES: Record<string, ErrorCase> = {
  'YAML syntax error inside the value': {
    code: 'yaml-syntax',
    file: 'compose.yaml',
    apply: (f, v) => replaceIn(f, 'compose.yaml', DB_PASSWORD_LINE, `      DB_PASSWORD: "${v.environment}`),
  },
  'unknown key on the line after the value': {
    code: 'unknown-key',
    file: 'compose.yaml',
    apply: (f, v) =>
      replaceIn(f, 'compose.yaml', DB_PASSWORD_LINE, `      DB_PASSWORD: ${v.environment}\n    bogus: 1`),
  },
  'required variable missing on a line holding a token': {
    code: 'interpolation-required',
    file: 'compose.yaml',
    apply: (f, v) =>
      replaceIn(
        f,
        'compose.yaml',
        /command: \[.*\]/,
        `command: ["serve", "--admin-password=${v.command}", "--key", "\${UNSET_VARIABLE:?set it}"]`,
      ),
  },
  'invalid interpolation in the value': {
    code: 'interpolation-syntax',
    file: 'compose.yaml',
    apply: (f, v) => replaceIn(f, 'compose.yaml', DB_PASSWORD_LINE, `      DB_PASSWORD: ${v.environment}\${`),
  },
  'type error in a flow mapping beside the value': {
    code: 'invalid-type',
    file: 'compose.yaml',
    apply: (f, v) =>
      replaceIn(
        f,
        'compose.yaml',
        /environment:\n {6}API_TOKEN: .*\n {6}DATABASE_URL: .*$/m,
        `environment: {API_TOKEN: ${v.cmdHeader}, DATABASE_URL: "postgres://app:${v.url}@db/app", X: [1]}`,
      ),
  },
  'a secret block scalar above a bad key': {
    code: 'unknown-key',
    file: 'compose.yaml',
    apply: (f, v) =>
      replaceIn(f, 'compose.yaml', DB_PASSWORD_LINE, `      DB_PASSWORD: |\n        ${v.environment}\n    bogus: 1`),
  },
  'an invalid port that interpolates a secret': {
    code: 'invalid-port',
    file: 'compose.yaml',
    apply: (f) => replaceIn(f, 'compose.yaml', 'ports: ["8080:8080"]', 'ports: ["${REDIS_PASSWORD}"]'),
  },
  'an invalid kompose label that interpolates a secret (a converter error)': {
    code: 'kompose-label-invalid',
    file: 'compose.yaml',
    apply: (f) =>
      replaceIn(
        f,
        'compose.yaml',
        '    image: redis:7\n',
        '    image: redis:7\n    labels:\n      kompose.service.type: ${REDIS_PASSWORD}\n',
      ),
  },
  '.env line with a space in the key': {
    code: 'dotenv-syntax',
    file: '.env',
    apply: (f, v) => replaceIn(f, '.env', `API_TOKEN=${v.cmdHeader}`, `API_TOKEN ${v.cmdHeader}`),
  },
  '.env value with an unterminated quote': {
    code: 'dotenv-syntax',
    file: '.env',
    apply: (f, v) => replaceIn(f, '.env', `MYSQL_ROOT_PASSWORD=${v.dotenv}`, `MYSQL_ROOT_PASSWORD="${v.dotenv}`),
  },
  'env_file value with an unterminated quote': {
    code: 'dotenv-syntax',
    file: 'app.env',
    apply: (f, v) => replaceIn(f, 'app.env', `APP_SECRET_KEY=${v.envFile}`, `APP_SECRET_KEY='${v.envFile}`),
  },
};

const caseArb = fc.constantFrom(...Object.keys(CASES));

describe('no secret value in diagnostics and error messages (issue 13)', () => {
  it('the library: messages, hints, code frames and JSON of every diagnostic', () => {
    fc.assert(
      fc.property(valuesArb, caseArb, (v, name) => {
        const c = CASES[name]!;
        const files = c.apply(secretFiles(v), v);
        const out = convert({ files: ['compose.yaml'], fs: memoryFs(files), workingDir: DIR, stopOnLoadErrors: true });
        const error = out.diagnostics.find((d) => d.severity === 'error');
        expect(error, name).toMatchObject({ code: c.code, pos: { file: `${DIR}/${c.file}` } });
        const channels = everyOutput(out);
        // The frame is there: the error's line is shown under its position.
        expect(channels.get('diagnostics frames')).toMatch(new RegExp(`^> +${error!.pos!.line} \\| `, 'm'));
        expect(leaks(channels, Object.values(v))).toEqual([]);
        // The lean entry's messages are ids and placeholder values: redacted as the worded ones. (With the dialects,
        // which read the kompose label of one case, but without the texts.)
        const lean = convertLean({
          files: ['compose.yaml'],
          fs: memoryFs(files),
          workingDir: DIR,
          stopOnLoadErrors: true,
          dialects: DIALECTS,
        });
        expect(
          lean.diagnostics.find((d) => d.severity === 'error'),
          name,
        ).toMatchObject({ code: c.code });
        expect(leaks(everyOutput(lean), Object.values(v))).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('the CLI: stderr in text and with --report json, and lint', async () => {
    await fc.assert(
      fc.asyncProperty(valuesArb, caseArb, async (v, name) => {
        const c = CASES[name]!;
        const files = c.apply(secretFiles(v), v);
        const runs = [
          await runInMemory(files, DIR, []),
          await runInMemory(files, DIR, ['--report', 'json']),
          await runInMemory(files, DIR, ['lint']),
        ];
        for (const r of runs) {
          expect(r.code).toBe(2);
          expect(r.err).toContain(c.code);
          expect(r.err).toContain(c.file);
        }
        expect(JSON.parse(runs[1]!.err)).toMatchObject({
          diagnostics: expect.arrayContaining([expect.objectContaining({ code: c.code })]),
        });
        const channels = new Map(
          runs.flatMap((r, i) => [[`run ${i} stdout`, r.out] as const, [`run ${i} stderr`, r.err] as const]),
        );
        expect(leaks(channels, Object.values(v))).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });
});
