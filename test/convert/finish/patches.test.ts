import { describe, expect, test } from 'vitest';
import { jsonPatch, mergePatch } from '../../../src/convert/finish/patches.js';
import { container, obj, pod, run } from '../run.js';

const patches = (list: unknown[]) => ({ extensions: { 'x-k8s': { patches: list } } });

describe('JSON Patch and merge', () => {
  test('RFC 6902 operations', () => {
    const doc = { a: { b: [1, 2] }, c: 'x' };
    jsonPatch(doc, { op: 'add', path: '/a/b/-', value: 3 });
    jsonPatch(doc, { op: 'replace', path: '/c', value: 'y' });
    jsonPatch(doc, { op: 'copy', from: '/c', path: '/d' });
    jsonPatch(doc, { op: 'remove', path: '/a/b/0' });
    expect(doc).toEqual({ a: { b: [2, 3] }, c: 'y', d: 'y' });
    expect(() => jsonPatch(doc, { op: 'test', path: '/c', value: 'z' })).toThrow('test failed');
  });

  test('merge: maps recursively, null deletes, named lists by name', () => {
    expect(
      mergePatch(
        { a: 1, b: { c: 2, d: 3 }, l: [{ name: 'x', v: 1 }] },
        { a: null, b: { c: 5 }, l: [{ name: 'x', w: 2 }, { name: 'y' }] },
      ),
    ).toEqual({ b: { c: 5, d: 3 }, l: [{ name: 'x', v: 1, w: 2 }, { name: 'y' }] });
  });
});

describe('x-k8s patches in the pipeline', () => {
  test('a merge patch without target changes the workload; a JSON patch targets the Service', () => {
    const r = run({
      web: {
        image: 'x',
        ports: [{ target: 80 }],
        ...patches([
          {
            merge: {
              spec: { template: { spec: { priorityClassName: 'high', containers: [{ name: 'web', image: 'x:2' }] } } },
            },
          },
          { target: { kind: 'Service' }, op: 'add', path: '/metadata/annotations', value: { team: 'a' } },
        ]),
      },
    });
    expect(pod(r, 'web').priorityClassName).toBe('high');
    expect(container(r, 'web').image).toBe('x:2');
    expect(obj(r, 'Service', 'web').metadata.annotations).toEqual({ team: 'a' });
  });

  test('a failing patch is an error diagnostic and leaves the object unchanged', () => {
    const r = run({ web: { image: 'x', ...patches([{ op: 'remove', path: '/spec/nothing' }]) } });
    expect(r.diagnostics.some((d) => d.code === 'patch-failed' && d.severity === 'error')).toBe(true);
    expect(container(r, 'web').image).toBe('x');
  });
});
