import { describe, expect, it } from 'vitest';
import { ReportBook, fill, keyOfPath, pathSegments, worse } from '../../src/convert/book.js';
import { OUTCOMES } from '../../src/mappings/outcomes.js';

const book = (): ReportBook =>
  new ReportBook((service, path) => ({ file: `${service ?? ''}:${path}`, line: 1, col: 1 }));

describe('report book', () => {
  it('fills {name} placeholders and refuses a missing value', () => {
    expect(fill('port {port} of {svc}', { port: 80, svc: 'web' }, 'x')).toBe('port 80 of web');
    expect(() => fill('port {port}', {}, 'ports.x')).toThrow(/ports\.x: no value for \{port\}/);
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
      status: OUTCOMES['report.profile-inactive'].status,
      message: 'not converted: none of its profiles (debug) is active',
      pos: { file: 'web:profiles' },
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
    b.downgrade('web', 'x', 'report.unused-definition');
    expect(b.get('web', 'x')!.status).toBe('unsupported');
    expect(b.entries).toHaveLength(1);
    expect(worse('converted', 'approximated')).toBe('approximated');
    expect(worse('unsupported', 'converted')).toBe('unsupported');
  });
});
