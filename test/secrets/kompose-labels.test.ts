import { describe, expect, it } from 'vitest';
import { convertProject } from '../../src/index.js';
import { memoryFs } from '../../src/load/fs.js';
import { renderYaml } from '../../src/render/yaml.js';
import { fromYaml } from '../helpers/project.js';

describe('a kompose probe label that holds a secret', () => {
  it('has one entry (the probe label owns the item), and neither the probe nor the annotation holds the value', () => {
    const r = convertProject(
      fromYaml(`services:
  db:
    image: mysql:8
    environment:
      MYSQL_ROOT_PASSWORD: hunter2secret
    labels:
      kompose.service.healthcheck.readiness.test: mysqladmin ping -uroot -phunter2secret
`),
      {},
      memoryFs({}),
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const entries = r.report.entries.filter((e) => e.path === 'labels.kompose.service.healthcheck.readiness.test');
    expect(entries.map((e) => e.id)).toEqual(['labels.kompose.probe-set']);
    expect(renderYaml(r.objects)).not.toContain('hunter2secret');
  });
});
