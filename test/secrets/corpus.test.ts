/**
 * Issue 13's corpus proof: the secret values of every project in ../shared/corpus — values of secret-looking
 * variables (environment, `.env`, env_file), compose secret files, bind-mounted secret files (private keys,
 * htpasswd, .env, key stores) — appear in no default output channel. Skipped when the corpus is absent.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertProject } from '../../src/index.js';
import { DEFAULT_FILE_NAMES } from '../../src/load/files/discover.js';
import { loadProject } from '../../src/index.js';
import { nodeFs } from '../../src/node/fs.js';
import { isSecretKey, secretFile } from '../../src/kube/secrets.js';
import type { Project } from '../../src/model/types.js';
import { CORPUS } from '../helpers/corpus.js';
import { everyOutput, leaks } from '../helpers/outputs.js';

function projectDirs(dir: string, out: string[] = []): string[] {
  const names = readdirSync(dir).sort();
  if (names.some((n) => DEFAULT_FILE_NAMES.includes(n))) out.push(dir);
  for (const n of names) {
    if (n.startsWith('.') || n === 'node_modules') continue;
    const p = join(dir, n);
    if (statSync(p).isDirectory()) projectDirs(p, out);
  }
  return out;
}

/** Text lines of a secret file worth looking for: long enough not to occur by chance, not PEM armour. */
function fileNeedles(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line.length < 12 || line.startsWith('-----') || line.startsWith('#')) continue;
    const kv = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/.exec(line);
    // An env-format line is secret when its variable is; other lines (key bodies, htpasswd entries) are.
    if (kv) {
      const v = kv[2]!.replace(/^(['"])(.*)\1$/, '$2');
      if (v.length >= 8 && isSecretKey(kv[1]!, v)) out.push(v);
    } else out.push(line);
  }
  return out;
}

/** The project's secrets: values of secret-looking variables and the content of secret files it mounts. */
function secretsOf(project: Project): string[] {
  const values = new Set<string>();
  const plain = new Set<string>();
  const envs = [project.environment, ...Object.values(project.services).map((s) => s.environment ?? {})];
  for (const env of envs)
    for (const [k, v] of Object.entries(env)) if (!isSecretKey(k, v, Object.keys(env))) plain.add(v);
  for (const env of envs)
    for (const [k, v] of Object.entries(env))
      // Values also held by a plain variable or too short to be told from other text are not a leak signal.
      if (v.length >= 6 && !plain.has(v) && isSecretKey(k, v, Object.keys(env))) values.add(v);
  const composeSecrets = new Set<string>();
  for (const def of Object.values(project.secrets)) if (def.file) composeSecrets.add(def.file);
  const files = new Set<string>(composeSecrets);
  for (const svc of Object.values(project.services))
    for (const v of svc.volumes ?? []) {
      if (v.type !== 'bind' || !v.source?.startsWith(project.workingDir + '/')) continue;
      if (existsSync(v.source) && statSync(v.source).isDirectory())
        for (const n of readdirSync(v.source)) files.add(join(v.source, n));
      else files.add(v.source);
    }
  for (const f of files) {
    if (!existsSync(f) || statSync(f).isDirectory()) continue;
    const text = readFileSync(f, 'utf8');
    if (composeSecrets.has(f) || secretFile(f, text)) for (const n of fileNeedles(text)) values.add(n);
  }
  // Values that are also an image or service name (`postgres` as password and image) are not a leak signal.
  for (const svc of Object.values(project.services)) {
    values.delete(svc.name);
    for (const part of (svc.image ?? '').split(/[/:@]/)) values.delete(part);
  }
  // Short all-letter values (`password`, `changeme`) occur as ordinary words; a value a plain variable holds too
  // is not secret.
  return [...values].filter((v) => !plain.has(v) && (v.length >= 10 || /[^A-Za-z]/.test(v)));
}

describe.runIf(existsSync(CORPUS))('no corpus secret in any default output (issue 13)', () => {
  it('finds secrets in the corpus and none of them leaks', () => {
    let found = 0;
    const problems: string[] = [];
    for (const dir of projectDirs(CORPUS)) {
      const loaded = loadProject({ workingDir: dir, fs: nodeFs, env: {} });
      if (!loaded.project) continue;
      const secrets = secretsOf(loaded.project);
      if (!secrets.length) continue;
      found += secrets.length;
      const result = convertProject(loaded.project, {}, nodeFs);
      const out = { ...result, diagnostics: [...loaded.diagnostics, ...result.diagnostics], project: loaded.project };
      for (const l of leaks(everyOutput(out), secrets)) problems.push(`${dir.slice(CORPUS.length)}: ${l}`);
    }
    expect(found).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  }, 120_000);
});
