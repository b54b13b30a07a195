/**
 * Diagnostics are named by id and placeholder values; the texts word them (message and hint), and without the
 * texts (the lean browser entry) the message is the id and values, with no hint.
 */
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/report/diagnostic.js';
import { TEXTS } from '../../src/mappings/texts.js';
import { convert as convertLean } from '../../src/browser.js';
import { convert } from '../../src/index.js';

const pos = { file: '/p/compose.yaml', line: 3, col: 5 };

describe('Diagnostics', () => {
  it('words a diagnostic from the texts: message and hint filled with the same values, code from the id', () => {
    const d = new Diagnostics(TEXTS);
    d.error('include-conflict', { kind: 'services', name: 'db', file: '/p/db.yaml' }, pos);
    expect(d.list).toEqual([
      {
        severity: 'error',
        code: 'include-conflict',
        message: 'services.db is defined here and also by the included file /p/db.yaml',
        pos,
        hint: 'rename one of them, or define it only in /p/db.yaml',
      },
    ]);
    d.warn('invalid-port.protocol', { where: 'services.web.ports[0]', protocol: 'sctp2' });
    expect(d.list[1]).toEqual({
      severity: 'warning',
      code: 'invalid-port',
      message: 'services.web.ports[0]: unknown protocol "sctp2"',
    });
  });

  it('without the texts the message is the id and values, in the order given, and there is no hint', () => {
    const d = new Diagnostics();
    d.error('include-conflict', { kind: 'services', name: 'db', file: '/p/db.yaml' }, pos);
    d.info('version-obsolete');
    expect(d.list).toEqual([
      {
        severity: 'error',
        code: 'include-conflict',
        message: 'include-conflict (kind=services, name=db, file=/p/db.yaml)',
        pos,
      },
      { severity: 'info', code: 'version-obsolete', message: 'version-obsolete' },
    ]);
  });

  it('a placeholder without a value is a bug of the caller: it throws, with the id', () => {
    const d = new Diagnostics(TEXTS);
    expect(() => d.error('include-conflict', { kind: 'services', name: 'db' })).toThrow(
      /diagnostic include-conflict: no value for \{file\}/,
    );
  });

  it('the same diagnostic at the same place is kept once, with and without the texts', () => {
    for (const texts of [TEXTS, undefined]) {
      const d = new Diagnostics(texts);
      d.warn('home-unknown', { where: 'services.a.volumes[0]' }, pos);
      d.warn('home-unknown', { where: 'services.a.volumes[0]' }, pos);
      d.warn('home-unknown', { where: 'services.a.volumes[1]' }, pos);
      d.warn('home-unknown', { where: 'services.a.volumes[0]' }, { ...pos, line: 4 });
      expect(d.list).toHaveLength(3);
    }
  });
});

describe('the lean entry and the default entry', () => {
  const files = [
    {
      path: 'compose.yaml',
      content: 'version: "3"\nservices:\n  web:\n    image: nginx\n    ports: ["80:80/sctp2"]\n',
    },
  ];

  it('report the same diagnostics but for the wording: the default entry words them, the lean one names them', () => {
    const worded = convert({ files }).diagnostics;
    const lean = convertLean({ files }).diagnostics;
    expect(worded.map((d) => [d.code, d.severity, d.pos])).toEqual(lean.map((d) => [d.code, d.severity, d.pos]));
    expect(worded.map((d) => d.message)).toContain('the top-level `version` is obsolete and ignored');
    expect(lean.map((d) => d.message)).toContain('version-obsolete');
    expect(lean.every((d) => d.hint === undefined)).toBe(true);
    // Given the texts, the lean entry words them as the default entry does.
    expect(convertLean({ files, texts: TEXTS }).diagnostics).toEqual(worded);
  });

  it('word pitfall findings from the texts; without them a finding is its id and values, with no fix', () => {
    const ok = [{ path: 'compose.yaml', content: 'services:\n  web:\n    image: nginx\n' }];
    const worded = convert({ files: ok }).report!.findings;
    const lean = convertLean({ files: ok }).report!.findings;
    const limits = worded.find((f) => f.pitfall === 'no-resource-limits')!;
    expect(limits.message).toMatch(/^Deployment\/web sets no CPU or memory requests or limits: /);
    expect(limits.fix).toMatch(/^add to service web: deploy: /);
    expect(lean.find((f) => f.pitfall === 'no-resource-limits')).toEqual({
      pitfall: 'no-resource-limits',
      object: 'Deployment/web',
      service: 'web',
      message: 'no-resource-limits (object=Deployment/web, service=web)',
      pos: limits.pos,
    });
    expect(lean.map((f) => [f.pitfall, f.object])).toEqual(worded.map((f) => [f.pitfall, f.object]));
  });
});
