/** Where an image holds the files of its build context, read from the Dockerfile and .dockerignore. */
import { describe, expect, it } from 'vitest';
import { dockerfileCopies, ignoreMatcher } from '../../../src/convert/plan/build-copies.js';

describe('dockerfileCopies', () => {
  it('the copies of the final (or target) stage and of the stages it builds on, destinations under WORKDIR', () => {
    const text = [
      'FROM node:20 AS deps',
      'WORKDIR /app',
      'COPY --chown=node package.json ./',
      'FROM deps AS dev',
      'COPY . .',
      'FROM nginx:1.27',
      'COPY --from=dev /app/dist /usr/share/nginx/html',
      'COPY ["conf", "/etc/nginx/conf.d/"]',
      'ADD https://example.com/x.tgz /tmp/',
      'COPY *.txt docs/ /srv/',
      'WORKDIR web',
      'COPY site .',
    ].join('\n');
    expect(dockerfileCopies(text)).toEqual([
      { src: 'conf', dest: '/etc/nginx/conf.d' },
      { src: 'docs', dest: '/srv' },
    ]);
    expect(dockerfileCopies(text, 'dev')).toEqual([
      { src: 'package.json', dest: '/app' },
      { src: '', dest: '/app' },
    ]);
  });

  it("a stage FROM a build arg naming an earlier stage holds that stage's copies, as its base image is that stage's", () => {
    const text = 'ARG BASE=deps\nFROM node:20 AS deps\nWORKDIR /app\nCOPY . .\nFROM $BASE\nCOPY extra ./\n';
    expect(dockerfileCopies(text)).toEqual([
      { src: '', dest: '/app' },
      { src: 'extra', dest: '/app' },
    ]);
  });
});

describe('ignoreMatcher', () => {
  it('globs from the context root, a folder keeps out what is below it, the last matching line decides', () => {
    const ignored = ignoreMatcher('# comment\n/secrets\n**/node_modules\n*.log\nconf/*\n!conf/public\n');
    expect(['secrets', 'secrets/a', 'web/node_modules', 'node_modules/x', 'conf/private'].map(ignored)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['src', 'src/secrets', 'logs/a.log', 'conf/public', 'conf'].map(ignored)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
