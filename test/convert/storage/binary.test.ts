/**
 * Files that are not UTF-8 text travel as bytes: `binaryData` in ConfigMaps, `data` in embedded Secrets (base64),
 * read through the FileSystem's optional readBytes (issue 12 §3).
 */
import { describe, expect, test } from 'vitest';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { base64 } from '../../../src/util/base64.js';
import { convertProject } from '../../../src/index.js';
import { memoryFs } from '../../../src/load/fs.js';
import { loadProject } from '../../../src/index.js';
import { nodeFs } from '../../../src/node/fs.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('base64', () => {
  test('matches Node for every length mod 3 and every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let n = 0; n <= 9; n++) {
      const bytes = all.slice(250 - n * 20, 250 - n * 20 + n);
      expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
    expect(base64(all)).toBe(Buffer.from(all).toString('base64'));
  });
});

const ICO = new Uint8Array([0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x10, 0xc3, 0x28, 0xfe]);
const COMPOSE = `
services:
  web:
    image: nginx
    configs:
      - source: favicon
        target: /usr/share/nginx/html/favicon.ico
configs:
  favicon:
    file: ./favicon.ico
`;

function convert(fs: ReturnType<typeof memoryFs>) {
  const r = loadProject({ workingDir: '/p', fs, env: {} });
  return convertProject(r.project!, {}, fs);
}

describe('config file: sources', () => {
  test('a binary file becomes binaryData (base64) of its exact bytes', () => {
    const r = convert(memoryFs({ '/p/compose.yaml': COMPOSE, '/p/favicon.ico': ICO }));
    const cm = r.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'favicon') as ConfigMap;
    expect(cm.data).toBeUndefined();
    expect(cm.binaryData).toEqual({ favicon: Buffer.from(ICO).toString('base64') });
    expect(r.report.entries.find((e) => e.path === 'configs.favicon')?.id).toBe('top.configs.converted');
  });

  test('the Node file system reads the bytes too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'c2k-bin-'));
    try {
      writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
      writeFileSync(join(dir, 'favicon.ico'), ICO);
      const r = loadProject({ workingDir: dir, fs: nodeFs, env: {} });
      const out = convertProject(r.project!, {}, nodeFs);
      const cm = out.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'favicon') as ConfigMap;
      expect(cm.binaryData?.favicon).toBe(Buffer.from(ICO).toString('base64'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without readBytes the binary file is reported, not mangled', () => {
    const mem = memoryFs({ '/p/compose.yaml': COMPOSE, '/p/favicon.ico': ICO });
    const r = convert({ readFile: mem.readFile, isDirectory: mem.isDirectory, listDir: mem.listDir });
    expect(r.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'favicon')).toBeUndefined();
    expect(r.report.entries.find((e) => e.path === 'configs.favicon')?.id).toBe('top.configs.binary');
  });
});
