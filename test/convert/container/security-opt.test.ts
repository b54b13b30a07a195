/** security_opt: one report entry per option (security_opt[i]), which --pod-security restricted may downgrade. */
import { describe, expect, it } from 'vitest';
import { convert } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';

function entries(yaml: string, options: Record<string, unknown> = {}) {
  const r = convert({
    files: ['/p/compose.yaml'],
    workingDir: '/p',
    fs: memoryFs({ '/p/compose.yaml': yaml }),
    env: {},
    options,
  });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.report!.entries.filter((e) => e.service === 'app' && e.key === 'security_opt');
}

const APP = `
services:
  app:
    image: example/app:1
    security_opt:
      - no-new-privileges:false
      - seccomp:unconfined
      - label:type:spc_t
`;

describe('security_opt entries', () => {
  it('one entry per option, by item path and outcome id', () => {
    expect(entries(APP).map((e) => [e.path, e.id, e.status])).toEqual([
      ['security_opt[0]', 'security_opt.escalation-allowed', 'converted'],
      ['security_opt[1]', 'security_opt.seccomp-unconfined', 'converted'],
      ['security_opt[2]', 'security_opt.selinux-option', 'converted'],
    ]);
  });

  it('--pod-security restricted turns escalation off: the same entry is downgraded, not a second one added', () => {
    const e = entries(APP, { podSecurity: 'restricted' }).filter((x) => x.path === 'security_opt[0]');
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ id: 'security_opt.restricted-no-escalation', status: 'approximated' });
    expect(e[0]!.message).toContain('stays allowed');
    expect(e[0]!.message).toContain('sets allowPrivilegeEscalation: false');
  });
});
