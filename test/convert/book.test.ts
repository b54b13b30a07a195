import { describe, expect, it } from 'vitest';
import { ReportBook, amendReport, fill, keyOfPath, messageParts, pathSegments, worse } from '../../src/convert/book.js';
import { OUTCOMES, type ReportTexts } from '../../src/mappings/outcomes.js';
import { TEXTS } from '../../src/mappings/texts.js';
import type { Report } from '../../src/report/entry.js';

/** A book with the report texts (as the Node entry converts), or with `null` without them (the lean entry). */
const book = (texts: ReportTexts | null = TEXTS): ReportBook =>
  new ReportBook((service, path) => ({ file: `${service ?? ''}:${path}`, line: 1, col: 1 }), texts ?? undefined);

describe('report book', () => {
  it('fills {name} placeholders and refuses a missing value', () => {
    expect(fill('port {port} of {svc}', { port: 80, svc: 'web' }, 'x')).toBe('port 80 of web');
    expect(() => fill('port {port}', {}, 'ports.x')).toThrow(/ports\.x: no value for \{port\}/);
  });

  it('fills {~name} with the phrase the value names, filled with the same values (phrases in phrases too)', () => {
    const phrases = { 'p.a': 'runs {n} {~b}', 'p.b': 'tasks of {who}', 'p.none': '' };
    expect(fill('it {~a}.', { a: 'p.a', b: 'p.b', n: 2, who: 'web' }, 'x', 'outcome', phrases)).toBe(
      'it runs 2 tasks of web.',
    );
    expect(fill('Job{~ttl}', { ttl: 'p.none' }, 'x', 'outcome', phrases)).toBe('Job');
    expect(() => fill('it {~a}', { a: 'p.zz' }, 'ports.x', 'outcome', phrases)).toThrow(/no phrase p\.zz/);
    expect(() => fill('it {~a}', { a: 'p.a' }, 'ports.x')).toThrow(/no phrase p\.a/);
  });

  it('fills the list form {~name|SEP}: each phrase id of the value worded, joined by SEP', () => {
    const phrases = { 'p.a': 'port {n}', 'p.b': 'host {who}', 'p.c': 'plain' };
    const values = { notes: 'p.a p.c p.b', one: 'p.c', n: 8080, who: 'web' };
    expect(fill('it ({~notes|; })', values, 'x', 'outcome', phrases)).toBe('it (port 8080; plain; host web)');
    expect(fill('[{~one|, }]', values, 'x', 'outcome', phrases)).toBe('[plain]');
    expect(fill('{~notes|}', values, 'x', 'outcome', phrases)).toBe('port 8080plainhost web');
    // Not a placeholder: braces around other text stay as they are.
    expect(fill('{a|b} {~n x|y}', values, 'x', 'outcome', phrases)).toBe('{a|b} {~n x|y}');
    expect(() => fill('{~notes|; }', { notes: 'p.a p.zz', n: 1 }, 'ports.x', 'outcome', phrases)).toThrow(
      /no phrase p\.zz for \{~notes\}/,
    );
  });

  it('names items by path: list indices and free-form map keys', () => {
    expect(pathSegments('ports[0]')).toEqual(['ports', 0]);
    expect(pathSegments('deploy.resources.limits.memory')).toEqual(['deploy', 'resources', 'limits', 'memory']);
    expect(pathSegments('labels.kompose.service.type')).toEqual(['labels', 'kompose.service.type']);
    expect(pathSegments('deploy.labels.kompose.service.type')).toEqual(['deploy', 'labels', 'kompose.service.type']);
    expect(pathSegments('environment.DB.PASSWORD')).toEqual(['environment', 'DB.PASSWORD']);
    expect(pathSegments('volumes[2].volume.subpath')).toEqual(['volumes', 2, 'volume', 'subpath']);
    expect(keyOfPath('volumes[2].volume.subpath')).toBe('volumes.volume.subpath');
  });

  it('keeps one entry per service + path: a second owner is a bug', () => {
    const b = book();
    b.outcome('web', 'profiles', 'report.profile-inactive', { profiles: 'debug' });
    expect(() => b.outcome('web', 'profiles', 'report.profile-inactive', { profiles: 'x' })).toThrow(/two entries/);
    b.outcome('api', 'profiles', 'report.profile-inactive', { profiles: 'x' });
    expect(b.entries).toHaveLength(2);
    expect(b.entries[0]).toMatchObject({
      service: 'web',
      path: 'profiles',
      key: 'profiles',
      id: 'report.profile-inactive',
      status: OUTCOMES['report.profile-inactive']!.status,
      message: 'not converted: none of its profiles (debug) is active',
      values: { profiles: 'debug' },
      pos: { file: 'web:profiles' },
    });
  });

  it('with the texts, a step that forgets a placeholder value fails; without them the message is ids and values', () => {
    expect(() => book().outcome('web', 'ports[0]', 'ports.in-cluster', { port: 80 })).toThrow(
      /ports\.in-cluster: no value for \{/,
    );
    const lean = book(null);
    lean.outcome('web', 'profiles', 'report.profile-inactive', { profiles: 'debug', extra: 2 });
    lean.outcome('web', 'x', 'report.unused-definition');
    expect(lean.get('web', 'profiles')).toMatchObject({
      id: 'report.profile-inactive',
      status: OUTCOMES['report.profile-inactive']!.status,
      message: 'report.profile-inactive (profiles=debug, extra=2)',
    });
    expect(lean.get('web', 'profiles')).not.toHaveProperty('fix');
    lean.downgrade('web', 'x', 'report.no-mapping', { key: 'x' });
    expect(lean.get('web', 'x')).toMatchObject({
      message: 'report.unused-definition; report.no-mapping (key=x)',
      id: 'report.no-mapping',
      values: { key: 'x' },
      earlier: [{ id: 'report.unused-definition', values: {} }],
    });
  });

  it('a downgrade only makes an entry worse, appends its message and keeps the objects', () => {
    const b = book();
    b.outcome('web', 'x', 'report.unused-definition', {}, { objects: ['Service/web'] });
    expect(b.get('web', 'x')!.status).toBe('ignored');
    b.downgrade('web', 'x', 'report.no-mapping', { key: 'x' }, { objects: ['Ingress/web'] });
    expect(b.get('web', 'x')).toMatchObject({
      status: 'unsupported',
      id: 'report.no-mapping',
      objects: ['Service/web', 'Ingress/web'],
      message: 'declared, but no converted service uses it: nothing to convert; no mapping for x',
    });
    expect(messageParts(b.get('web', 'x')!)).toEqual([
      { id: 'report.unused-definition', values: {} },
      { id: 'report.no-mapping', values: { key: 'x' } },
    ]);
    b.downgrade('web', 'x', 'report.unused-definition');
    expect(b.get('web', 'x')!.status).toBe('unsupported');
    expect(b.entries).toHaveLength(1);
    expect(worse('converted', 'approximated')).toBe('approximated');
    expect(worse('unsupported', 'converted')).toBe('unsupported');
  });

  it("a downgrade before the owner: the owner's entry takes its place, the downgrade applied after it", () => {
    const b = book();
    b.outcome('web', 'y', 'report.unused-definition');
    b.downgrade('web', 'x', 'report.no-mapping', { key: 'x' }, { objects: ['Ingress/web'] });
    b.outcome('web', 'x', 'report.unused-definition', {}, { objects: ['Service/web'] });
    expect(b.entries.map((e) => e.path)).toEqual(['y', 'x']);
    expect(b.get('web', 'x')).toBe(b.entries[1]);
    expect(b.get('web', 'x')).toMatchObject({
      status: 'unsupported',
      id: 'report.no-mapping',
      objects: ['Service/web', 'Ingress/web'],
      message: 'declared, but no converted service uses it: nothing to convert; no mapping for x',
    });
    // Still one owner.
    expect(() => b.outcome('web', 'x', 'report.unused-definition')).toThrow(/two entries/);
  });

  it("a better verdict keeps the entry's status and id, but its message stays (a pod fsGroup on an approximated claim)", () => {
    const fsGroup = { gid: 991, why: 'image runs as uid 991' };
    const note = 'pod fsGroup 991 (fsGroupChangePolicy OnRootMismatch) makes the claim writable for the service';
    const b = book();
    b.outcome('web', 'x', 'report.no-mapping', { key: 'x' });
    b.downgrade('web', 'x', 'volumes.fsgroup', fsGroup, { objects: ['Deployment/web'] });
    const e = b.get('web', 'x')!;
    expect(e).toMatchObject({ status: 'unsupported', id: 'report.no-mapping', objects: ['Deployment/web'] });
    expect(e.message).toBe(
      `no mapping for x; ${note} (image runs as uid 991), as a Docker volume takes the image directory owner`,
    );
    expect(messageParts(e)).toEqual([
      { id: 'report.no-mapping', values: { key: 'x' } },
      { id: 'volumes.fsgroup', values: fsGroup },
    ]);
    // A worse verdict after it takes the id; the parts keep the message's order.
    const c = book();
    c.outcome('web', 'x', 'report.unused-definition');
    c.downgrade('web', 'x', 'volumes.fsgroup', fsGroup);
    c.downgrade('web', 'x', 'report.no-mapping', { key: 'x' });
    expect(c.get('web', 'x')).toMatchObject({ status: 'unsupported', id: 'report.no-mapping' });
    expect(c.get('web', 'x')).not.toHaveProperty('later');
    expect(messageParts(c.get('web', 'x')!).map((p) => p.id)).toEqual([
      'report.unused-definition',
      'volumes.fsgroup',
      'report.no-mapping',
    ]);
    expect(c.get('web', 'x')!.message).toMatch(/^declared, .*; pod fsGroup 991 .*; no mapping for x$/);
  });

  it('early verdicts of several parts all follow the owner, in order', () => {
    const b = book();
    b.downgrade('web', 'x', 'report.unused-definition');
    b.downgrade('web', 'x', 'volumes.fsgroup', { gid: 1, why: 'w' });
    b.outcome('web', 'x', 'report.no-mapping', { key: 'x' });
    const e = b.get('web', 'x')!;
    expect(e).toMatchObject({ status: 'unsupported', id: 'report.no-mapping' });
    const worded = messageParts(e).map((p) => fill(TEXTS.messages[p.id as 'volumes.fsgroup'], p.values, p.id));
    expect(e.message).toBe(worded.join('; '));
    expect(worded).toHaveLength(3);
  });

  it("a renderer's better amendment keeps the entry's status, id and summary; its message is added", () => {
    const b = book();
    b.outcome('web', 'x', 'report.no-mapping', { key: 'x' });
    const report = { entries: b.entries, summary: { converted: 0, approximated: 0, ignored: 0, unsupported: 1 } };
    amendReport(report as unknown as Report, [
      { service: 'web', path: 'x', id: 'report.helm-secret', status: 'approximated', values: { a: 1 } },
    ]);
    expect(b.get('web', 'x')).toMatchObject({ status: 'unsupported', id: 'report.no-mapping' });
    expect(messageParts(b.get('web', 'x')!).map((p) => p.id)).toEqual(['report.no-mapping', 'report.helm-secret']);
    expect(b.get('web', 'x')!.message).toBe('no mapping for x; report.helm-secret (a=1)');
    expect(report.summary.unsupported).toBe(1);
  });
});
