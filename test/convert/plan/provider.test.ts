import { describe, it, expect } from 'vitest';
import { convert, memoryFs } from '../../../src/index.js';
import { expectValid } from '../../helpers/validate.js';

describe('provider services', () => {
  it('are reported unsupported with a fix, create no workload, and their dependants still convert', () => {
    const yaml = `
services:
  database:
    provider:
      type: awesomecloud
      options: { type: mysql, size: 256 }
  app:
    image: app:1
    depends_on: [database]
`;
    const out = convert({
      files: [{ path: '/p/compose.yaml', content: yaml }],
      workingDir: '/p',
      fs: memoryFs({ '/p/compose.yaml': yaml }),
      env: {},
    });
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expectValid(out.objects);
    expect(out.objects.filter((o) => o.metadata.name === 'database')).toEqual([]);
    expect(out.objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'app')).toBe(true);
    const e = out.report!.entries.find((x) => x.service === 'database' && x.key === 'provider')!;
    expect(e).toMatchObject({ status: 'unsupported' });
    expect(e.message).toContain('awesomecloud');
    expect(e.fix).toMatch(/provision it yourself/);
  });
});
