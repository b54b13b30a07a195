/**
 * kompose compatibility (issue 5): every compose file of kompose's own fixtures that uses a `kompose.*`
 * label converts through `convert()` without errors into valid objects, and the effect of every label
 * it uses is in our output, equal to the effect in kompose's expected output beside it — unless the
 * difference is listed in EXPECTED_DIFFERENCES with the reason. Skipped when the corpus is absent.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { convert, type FileSystem } from '../../../src/index.js';
import { nodeFs } from '../../../src/node/fs.js';
import { dns1123Label } from '../../../src/kube/naming.js';
import { KOMPOSE_LABELS } from '../../../src/convert/intent/kompose-labels.js';
import type { ConvertOptions } from '../../../src/convert/intent/options.js';
import type { Project } from '../../../src/model/types.js';
import { formatIssues, validateObjects, type External } from '../../helpers/validate.js';
import { SERVICE_EFFECTS, VOLUME_EFFECTS, View, type Obj } from './kompose-effects.js';
import { CASES, EXPECTED_DIFFERENCES } from './kompose-cases.js';
import { toXk8s } from './kompose-to-xk8s.js';

const KOMPOSE = fileURLToPath(new URL('../../../../shared/corpus/kompose/', import.meta.url));

/** Compose files (not kompose outputs) that use a kompose label as a key. */
function labelledFixtures(dir = KOMPOSE, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) labelledFixtures(p, out);
    else if (
      /\.ya?ml$/.test(n) &&
      !n.startsWith('output') &&
      /^\s*-?\s*["']?kompose\.[a-z][\w.-]*["']?\s*[:=]/m.test(readFileSync(p, 'utf8'))
    )
      out.push(p.slice(KOMPOSE.length));
  }
  return out;
}

/** kompose's expected output: YAML documents or a JSON `List`, flattened. */
function komposeObjects(path: string): Obj[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as Obj | null);
  return docs.flatMap((d) => (d?.kind === 'List' ? (d.items as Obj[]) : d ? [d] : []));
}

function externals(p: Project): External {
  const names = (group: Record<string, { name?: string; external?: boolean }>): string[] =>
    Object.entries(group)
      .filter(([, v]) => v.external)
      .flatMap(([k, v]) => [dns1123Label(k), ...(v.name ? [dns1123Label(v.name)] : [])]);
  return { claims: names(p.volumes), secrets: names(p.secrets), configMaps: names(p.configs) };
}

/** nodeFs with extra files in `dir` (and the directories holding them). */
function overlay(dir: string, files: Record<string, string>): FileSystem {
  const abs = new Map(Object.entries(files).map(([k, v]) => [`${dir}/${k}`, v]));
  const dirs = new Set(
    [...abs.keys()].flatMap((p) =>
      p
        .split('/')
        .slice(1, -1)
        .map((_, i, a) => `/${a.slice(0, i + 1).join('/')}`),
    ),
  );
  return {
    readFile: (p) => abs.get(p) ?? nodeFs.readFile(p),
    isDirectory: (p) => dirs.has(p) || nodeFs.isDirectory(p),
    listDir: (p) => {
      const own = [...abs.keys(), ...dirs].filter((x) => dirname(x) === p).map((x) => x.slice(p.length + 1));
      return own.length ? [...new Set([...(nodeFs.listDir(p) ?? []), ...own])].sort() : nodeFs.listDir(p);
    },
  };
}

/** kompose v1 files have the services at the top level; the Compose Spec needs them under `services:`. */
function wrapV1(text: string): string {
  return `services:\n${text
    .split('\n')
    .map((l) => (l.trim() ? `  ${l}` : l))
    .join('\n')}\n`;
}

const KNOWN = new Set(KOMPOSE_LABELS.filter((l) => l.on === 'service').map((l) => l.label));
const KNOWN_VOLUME = new Set(KOMPOSE_LABELS.filter((l) => l.on === 'volume').map((l) => l.label));

interface Outcome {
  errors: string[];
  issues: string;
  /** `service|label` (or `volume:<name>|label`) → [ours, kompose's]. */
  effects: Map<string, [unknown, unknown]>;
  unknownLabels: string[];
  /** `service|label` (or `volume:<name>|label`) → status of its report entry. */
  statuses: Map<string, string | undefined>;
  project?: Project;
}

/** The fixture's text as loaded: v1 files wrapped, missing declarations appended. */
function fixtureText(rel: string): string {
  const c = CASES[rel]!;
  let content = readFileSync(KOMPOSE + rel, 'utf8');
  if (c.v1) content = wrapV1(content);
  if (c.append) content += c.append;
  return content;
}

/** Convert the fixture (or `content` in its place): the result, its errors and validation issues. */
function convertCase(rel: string, content = fixtureText(rel)) {
  const c = CASES[rel]!;
  const path = KOMPOSE + rel;
  const options: Partial<ConvertOptions> = c.options ?? {};
  const r = convert({
    files: [{ path, content }],
    workingDir: dirname(path),
    fs: c.files ? overlay(dirname(path), c.files) : nodeFs,
    env: c.env ?? {},
    options,
  });
  const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
  const ext = r.project ? externals(r.project) : {};
  const issues = r.project
    ? formatIssues(
        validateObjects(r.objects, { ...ext, secrets: [...(ext.secrets ?? []), ...(c.external?.secrets ?? [])] }),
      )
    : '';
  return { r, errors, issues };
}

function run(rel: string): Outcome {
  const c = CASES[rel]!;
  const path = KOMPOSE + rel;
  const { r, errors, issues } = convertCase(rel);
  const ours = new View(r.objects as Obj[], 'app.kubernetes.io/name');
  const theirs = c.output ? new View(komposeObjects(join(dirname(path), c.output)), 'io.kompose.service') : undefined;
  const effects = new Map<string, [unknown, unknown]>();
  const unknownLabels: string[] = [];
  const statuses = new Map<string, string | undefined>();
  const status = (service: string | undefined, keys: string[]): string | undefined =>
    r.report?.entries.find((e) => e.service === service && keys.includes(e.key))?.status;
  for (const svc of Object.values(r.project?.services ?? {})) {
    const labels = { ...(svc.deploy?.labels ?? {}), ...svc.labels };
    for (const [label, value] of Object.entries(labels)) {
      if (!label.startsWith('kompose.')) continue;
      statuses.set(`${svc.name}|${label}`, status(svc.name, [`labels.${label}`, `deploy.labels.${label}`]));
      const f = SERVICE_EFFECTS[label];
      if (!KNOWN.has(label) || !f) {
        unknownLabels.push(`${svc.name}|${label}`);
        continue;
      }
      const key = `${svc.name}|${label}`;
      effects.set(key, [f(ours, svc.name, value), theirs ? f(theirs, svc.name, value) : c.expected?.[key]]);
    }
  }
  for (const [name, vol] of Object.entries(r.project?.volumes ?? {})) {
    for (const label of Object.keys(vol.labels ?? {})) {
      if (!label.startsWith('kompose.')) continue;
      statuses.set(`volume:${name}|${label}`, status(undefined, [`volumes.${name}.labels.${label}`]));
      const f = VOLUME_EFFECTS[label];
      if (!KNOWN_VOLUME.has(label) || !f) {
        unknownLabels.push(`volume:${name}|${label}`);
        continue;
      }
      const key = `volume:${name}|${label}`;
      effects.set(key, [f(ours, name), theirs ? f(theirs, name) : c.expected?.[key]]);
    }
  }
  return { errors, issues, effects, unknownLabels, statuses, project: r.project };
}

const norm = (v: unknown): string => JSON.stringify(v ?? null);

describe.runIf(existsSync(KOMPOSE))('kompose fixtures with kompose labels', () => {
  // The describe body is collected even when skipped: do not read a corpus that is not there.
  const files = existsSync(KOMPOSE) ? labelledFixtures() : [];

  it('every labelled fixture has a case (which output to compare with, what kompose tolerates)', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files.filter((f) => !CASES[f])).toEqual([]);
    expect(Object.keys(CASES).filter((f) => !files.includes(f))).toEqual([]);
  });

  it.each(files.filter((f) => CASES[f]))('%s', (rel) => {
    const c = CASES[rel]!;
    const out = run(rel);
    expect(out.errors).toEqual(c.errors ?? []);
    expect(out.issues).toBe('');
    expect(out.unknownLabels).toEqual(c.unknownLabels ?? []);
    if (c.errors?.length) return;
    const differences: string[] = [];
    const stale: string[] = [];
    for (const [key, [ours, theirs]] of out.effects) {
      const listed = EXPECTED_DIFFERENCES[`${rel}|${key}`];
      const same = norm(ours) === norm(theirs);
      if (!same && !listed) differences.push(`${key}: ours ${norm(ours)}, kompose ${norm(theirs)}`);
      else if (same && listed) stale.push(`${key}: listed as a difference, but both give ${norm(ours)}`);
      // Every label must have an effect in our output (an absent value is no effect).
      if (ours === undefined && !listed) differences.push(`${key}: no effect in our output`);
    }
    expect(differences).toEqual([]);
    expect(stale).toEqual([]);
    // The report has an entry per label: converted when it had its effect, ignored when it had none, unsupported
    // when we do not know it (what it asked for is lost, so --strict refuses).
    const wrong: string[] = [];
    for (const [key, st] of out.statuses) {
      const eff = out.effects.get(key)?.[0];
      const none = eff === undefined || (Array.isArray(eff) && eff.length === 0);
      const want = out.unknownLabels.includes(key) ? 'unsupported' : none ? 'ignored' : 'converted';
      if (!EXPECTED_DIFFERENCES[`${rel}|${key}`] && st !== want)
        wrong.push(`${key}: report says ${st ?? 'nothing'}, expected ${want}`);
      if (st === undefined) wrong.push(`${key}: no report entry`);
    }
    expect(wrong).toEqual([]);
    expect(out.effects.size + (c.unknownLabels?.length ?? 0)).toBeGreaterThan(0);
  });

  // The same labels written as x-k8s keys (docs/x-k8s.md) must have the same effect on our output.
  it.each(files.filter((f) => CASES[f] && !CASES[f]!.errors?.length))('%s, labels written as x-k8s', (rel) => {
    const base = run(rel);
    const { text, moved } = toXk8s(fixtureText(rel), base.project!);
    const x = convertCase(rel, text);
    expect(x.errors).toEqual([]);
    expect(x.issues).toBe('');
    const view = new View(x.r.objects as Obj[], 'app.kubernetes.io/name');
    const differ: string[] = [];
    for (const key of moved) {
      const [who, label] = key.split('|') as [string, string];
      const value = who.startsWith('volume:')
        ? ''
        : { ...base.project!.services[who]!.deploy?.labels, ...base.project!.services[who]!.labels }[label]!;
      const got = who.startsWith('volume:')
        ? VOLUME_EFFECTS[label]!(view, who.slice(7))
        : SERVICE_EFFECTS[label]!(view, who, value);
      const want = base.effects.get(key)?.[0];
      if (norm(got) !== norm(want)) differ.push(`${key}: x-k8s ${norm(got)}, label ${norm(want)}`);
    }
    expect(differ).toEqual([]);
    // Each x-k8s key of a service has its report entry.
    const missing: string[] = [];
    for (const svc of Object.values(x.r.project!.services)) {
      for (const k of Object.keys((svc.extensions['x-k8s'] as Record<string, unknown> | undefined) ?? {}))
        if (
          !x.r.report!.entries.some(
            (e) => e.service === svc.name && (e.key === `x-k8s.${k}` || e.key.startsWith(`x-k8s.${k}.`)),
          )
        )
          missing.push(`${svc.name}|x-k8s.${k}`);
    }
    expect(missing).toEqual([]);
  });

  it('the expected differences all belong to a labelled fixture', () => {
    const keys = Object.keys(EXPECTED_DIFFERENCES).map((k) => k.split('|')[0]!);
    expect(keys.filter((k) => !files.includes(k))).toEqual([]);
  });
});
