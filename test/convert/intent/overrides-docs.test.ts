/** docs/x-k8s.md stays in sync with the code: the generated label table and every x-k8s key. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { komposeLabelsMarkdown } from '../../../src/convert/intent/kompose-labels.js';
import { xk8sSchemas } from '../../../src/convert/intent/x-k8s.js';
import { keysAt } from '../../../src/convert/intent/x-k8s-check.js';

const DOC = readFileSync(new URL('../../../docs/x-k8s.md', import.meta.url), 'utf8');

describe('docs/x-k8s.md', () => {
  it('embeds the kompose label table generated from KOMPOSE_LABELS', () => {
    expect(DOC).toContain(komposeLabelsMarkdown());
  });

  it.each(Object.keys(xk8sSchemas()) as Array<keyof ReturnType<typeof xk8sSchemas>>)(
    'documents every %s-level key',
    (level) => {
      const schema = xk8sSchemas()[level];
      const keys = keysAt(schema, []);
      expect(keys.length).toBeGreaterThan(3);
      for (const k of keys) {
        expect(DOC, k).toMatch(new RegExp('`' + k + '[`.]'));
        // nested mappings: each sub-key appears in the docs too
        for (const sub of keysAt(schema, [k])) expect(DOC, `${k}.${sub}`).toMatch(new RegExp('\\b' + sub + '\\b'));
      }
    },
  );
});
