#!/usr/bin/env node
// A tiny static server for the built playground (playground/dist, or $DIR) on 127.0.0.1 only. Port
// from $PORT (0 or unset = a random free port); $BASE (default /) is the path prefix it is served
// under, to show the site works under any base path. Prints the URL as the first line on stdout.
// Serves files under the folder and nothing else (no directory listings, no paths outside it).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.env.DIR ?? fileURLToPath(new URL('./dist/', import.meta.url));
const BASE = (process.env.BASE ?? '/').replace(/\/?$/, '/');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Only what the page loads; sources (.ts, .mjs) are not served. */
const SERVED = new Set(['.html', '.js', '.css', '.map', '.svg']);

async function handle(req, res) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  let path;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request\n');
    return;
  }
  if (!path.startsWith(BASE)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  path = '/' + path.slice(BASE.length);
  if (path.endsWith('/')) path += 'index.html';
  const file = normalize(join(root, path));
  const ext = extname(file);
  if (
    !file.startsWith(root.endsWith(sep) ? root : root + sep) ||
    !SERVED.has(ext) ||
    (req.method !== 'GET' && req.method !== 'HEAD')
  ) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': TYPES[ext],
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }
}

export function servePlayground(port = Number(process.env.PORT ?? 0)) {
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : port}${BASE}` });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  servePlayground().then(
    ({ url }) => process.stdout.write(`${url}\n`),
    (err) => {
      process.stderr.write(`playground: cannot listen: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
