/**
 * Output modes (src/convert/output-modes.ts): the lean entry carries the default conversion only; an option asking
 * for a mode it was not given is an error, and given the modes it converts as the Node entry does.
 */
import { describe, expect, test } from 'vitest';
import { convert as convertLean } from '../../src/browser.js';
import { convert } from '../../src/index.js';
import { MODES, gateway, podSecurityRestricted } from '../../src/modes.js';
import type { ConvertOptions } from '../../src/convert/intent/options.js';

const files = [
  {
    path: '/app/compose.yaml',
    content: 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n  db:\n    image: postgres:16\n',
  },
];

const kinds = (objects: Array<{ kind: string }>) => [...new Set(objects.map((o) => o.kind))].sort();

describe('output modes', () => {
  test.each<[string, Partial<ConvertOptions>, string]>([
    ['--pod-security restricted', { podSecurity: 'restricted' }, 'pod-security-restricted'],
    ['--ingress gateway', { ingress: 'gateway', gateway: 'gw' }, 'gateway'],
  ])(
    '%s without its mode is an error naming it; with the modes the lean entry converts as the Node entry',
    (_n, options, mode) => {
      const bare = convertLean({ files, options });
      const err = bare.diagnostics.filter((d) => d.code === 'mode-not-loaded');
      expect(err).toHaveLength(1);
      expect(err[0]!.severity).toBe('error');
      expect(err[0]!.message).toContain(mode);
      // the default conversion instead: an Ingress, pods without the restricted settings
      expect(bare.objects).toEqual(convertLean({ files }).objects);
      const withModes = convertLean({ files, options, modes: MODES });
      expect(withModes.diagnostics.filter((d) => d.code === 'mode-not-loaded')).toEqual([]);
      expect(withModes.objects).toEqual(convert({ files, options }).objects);
      expect(withModes.objects).not.toEqual(bare.objects);
    },
  );

  test('only the mode asked for is needed; the Node entry has them all', () => {
    const gw = convertLean({ files, options: { ingress: 'gateway', gateway: 'gw' }, modes: [gateway] });
    expect(gw.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(kinds(gw.objects)).toContain('HTTPRoute');
    const restricted = convertLean({ files, options: { podSecurity: 'restricted' }, modes: [gateway] });
    expect(restricted.diagnostics.map((d) => d.code)).toContain('mode-not-loaded');
    const node = convert({ files, options: { podSecurity: 'restricted' } });
    expect(node.diagnostics.map((d) => d.code)).not.toContain('mode-not-loaded');
    expect(podSecurityRestricted.name).toBe('pod-security-restricted');
  });
});
