// The dependency-free zip reader pretest falls back on when `unzip` is absent.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractZipEntries } from '../../scripts/zip.mjs';

const dir = mkdtempSync(join(tmpdir(), 'compose2k8s-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Builds a zip with Python's zipfile (always on Debian) holding one stored and one deflated entry. */
function makeZip(): string {
  const zip = join(dir, 'a.zip');
  writeFileSync(join(dir, 'big.txt'), 'kubectl '.repeat(5000));
  const py = [
    'import zipfile, sys',
    'z = zipfile.ZipFile(sys.argv[1], "w")',
    'z.write(sys.argv[2], "kubectl/kubectl", compress_type=zipfile.ZIP_DEFLATED)',
    'z.writestr(zipfile.ZipInfo("helm/helm"), b"#!/bin/sh\\necho helm\\n")',
    'z.writestr("other/file", b"x")',
    'z.close()',
  ].join('\n');
  execFileSync('python3', ['-c', py, zip, join(dir, 'big.txt')]);
  return zip;
}

describe('extractZipEntries', () => {
  it('extracts only the wanted stored and deflated entries', () => {
    const out = join(dir, 'out');
    const found = extractZipEntries(makeZip(), ['kubectl/kubectl', 'helm/helm'], out);
    expect(found.sort()).toEqual(['helm/helm', 'kubectl/kubectl']);
    expect(readFileSync(join(out, 'kubectl/kubectl'), 'utf8')).toBe('kubectl '.repeat(5000));
    expect(readFileSync(join(out, 'helm/helm'), 'utf8')).toBe('#!/bin/sh\necho helm\n');
    expect(() => readFileSync(join(out, 'other/file'))).toThrow();
  });

  it('rejects a file that is not a zip', () => {
    writeFileSync(join(dir, 'not.zip'), 'hello');
    expect(() => extractZipEntries(join(dir, 'not.zip'), ['x'], dir)).toThrow(/not a zip/);
  });
});
