/** The stage a Dockerfile's build ends on: its base image, the USER it leaves set (the dockerfile dialect). */
import { describe, expect, it } from 'vitest';
import { dockerfileBase, dockerfileStage } from '../../../src/convert/plan/dockerfile.js';

describe('dockerfileBase', () => {
  it('the last stage, or the target stage; a stage FROM a stage is that stage’s image', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      'ARG PG=16',
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
      'RUN go build \\',
      '  ./...',
      'FROM postgres:${PG}-alpine AS db',
      'FROM db AS final',
      'COPY --from=build /out /usr/local/bin',
    ].join('\n');
    expect(dockerfileBase(text, {})).toBe('postgres:16-alpine');
    expect(dockerfileBase(text, { PG: '17' })).toBe('postgres:17-alpine');
    expect(dockerfileBase(text, {}, 'build')).toBe('golang:1.22');
    expect(dockerfileBase(text, {}, 'missing')).toBeUndefined();
  });

  it('a variable with a default or an alternative in FROM (docker-elk: ${ELASTIC_VERSION:-8.15.0})', () => {
    const es = 'ARG V\nFROM docker.elastic.co/elasticsearch/elasticsearch:${V:-8.15.0}\n';
    expect(dockerfileBase(es, {})).toBe('docker.elastic.co/elasticsearch/elasticsearch:8.15.0');
    expect(dockerfileBase(es, { V: '9.1.0' })).toBe('docker.elastic.co/elasticsearch/elasticsearch:9.1.0');
    expect(dockerfileBase('FROM node:${V-20}\n', {})).toBe('node:20');
    expect(dockerfileBase('ARG A=1\nFROM node:20${A:+-alpine}\n', {})).toBe('node:20-alpine');
    expect(dockerfileBase('FROM node:20${A:+-alpine}\n', {})).toBe('node:20');
  });

  it('the USER the stage leaves set, its own or the one of the stage it starts FROM', () => {
    const text = 'FROM node:20 AS base\nUSER node\nFROM base AS app\nFROM node:20 AS other\nUSER 1234:1234\n';
    expect(dockerfileStage(text, {}, 'app')).toEqual({ image: 'node:20', user: 'node', copies: [] });
    expect(dockerfileStage(text, {})).toEqual({ image: 'node:20', user: '1234:1234', copies: [] });
    expect(dockerfileStage('FROM postgres:16\n', {})).toEqual({ image: 'postgres:16', copies: [] });
  });

  it('scratch, an unset variable or no FROM give nothing', () => {
    expect(dockerfileBase('FROM scratch\nCOPY app /', {})).toBeUndefined();
    expect(dockerfileBase('FROM $BASE\n', {})).toBeUndefined();
    expect(dockerfileBase('FROM ${BASE} AS b\nFROM b\n', {})).toBeUndefined();
    expect(dockerfileBase('RUN true\n', {})).toBeUndefined();
  });
});
