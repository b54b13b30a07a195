import { describe, expect, test } from 'vitest';
import { applyStorage } from '../../../src/convert/storage/storage.js';
import type { ServiceVolume } from '../../../src/model/types.js';
import { ctr, recs, runSteps } from '../steps.js';

const bind = (source: string, target: string): ServiceVolume => ({ type: 'bind', source, target });
const sh = (line: string): string[] => ['sh', '-c', line];

describe('a folder bind the command writes into gets a writable copy (bind-kinds.ts installsInto)', () => {
  // Each service mounts a project folder of its own at its working directory; without a writable copy the folder is a
  // read-only ConfigMap, and the write fails (EROFS): the container crashes at start.
  const names = [
    'next',
    'rails',
    'bundle',
    'bundleAbs',
    'pip',
    'uv',
    'uvRel',
    'uvOut',
    'poetry',
    'poetryToml',
    'poetryCache',
    'workdir',
    'plain',
  ];
  const files = Object.fromEntries(names.map((n) => [`/project/${n}/main.txt`, 'x\n']));
  files['/project/poetryToml/poetry.toml'] = '[virtualenvs]\nin-project = true\n';
  files['/project/workdir/Dockerfile'] = 'FROM node:20\nWORKDIR /srv/app\n';
  const svc = (name: string, image: string, command: string[], extra: Record<string, unknown> = {}) => ({
    image,
    working_dir: '/app',
    command,
    volumes: [bind(`/project/${name}`, '/app')],
    ...extra,
  });
  const run = () =>
    runSteps(
      {
        next: svc('next', 'node:20', ['npx', 'next', 'dev']),
        rails: svc('rails', 'ruby:3.3', ['bin/rails', 'server', '-b', '0.0.0.0']),
        bundle: svc('bundle', 'ruby:3.3', sh('bundle install --path vendor/bundle && bundle exec ruby main.rb')),
        // Gems outside the folder (`--path /gems`, as BUNDLE_PATH=/gems): the install still writes the folder's lock.
        bundleAbs: svc('bundleAbs', 'ruby:3.3', sh('bundle install --path /gems && bundle exec ruby main.rb')),
        pip: svc('pip', 'python:3.12', sh('pip install -e .[dev] && python -m app')),
        uv: svc('uv', 'python:3.12', sh('uv sync && uv run app')),
        // uv's virtualenv goes where UV_PROJECT_ENVIRONMENT says: a folder of the project, or one outside it (nothing
        // written into the folder: a read-only copy is enough, and the entry must not say `writes /app/.venv`).
        uvRel: svc('uvRel', 'python:3.12', sh('uv sync --frozen && uv run app'), {
          environment: { UV_PROJECT_ENVIRONMENT: 'venvs/app' },
        }),
        uvOut: svc('uvOut', 'python:3.12', sh('uv sync --frozen && uv run app'), {
          environment: { UV_PROJECT_ENVIRONMENT: '/opt/venv' },
        }),
        poetry: svc('poetry', 'python:3.12', sh('poetry install && poetry run app'), {
          environment: { POETRY_VIRTUALENVS_IN_PROJECT: 'true' },
        }),
        poetryToml: svc('poetryToml', 'python:3.12', sh('poetry install && poetry run app')),
        // Poetry's own default: the virtualenv in its cache directory, nothing written into the folder.
        poetryCache: svc('poetryCache', 'python:3.12', sh('poetry install && poetry run app')),
        // No working_dir: the command starts in the WORKDIR of the Dockerfile the service is built from.
        workdir: {
          build: { context: '/project/workdir' },
          image: 'workdir',
          command: sh('npm install && npm start'),
          volumes: [bind('/project/workdir', '/srv/app')],
        },
        plain: svc('plain', 'python:3.12', ['python', '-m', 'http.server']),
      },
      [applyStorage],
      { files },
    );

  test('installs, editable installs, in-project virtualenvs and dev servers, wherever the working directory is', () => {
    const r = run();
    const entry = (name: string) => recs(r, name, 'volumes')[0]!;
    const writes: Record<string, string> = {
      next: 'next dev writes /app/.next',
      rails: 'rails server writes /app/tmp',
      bundle: 'bundle install --path vendor/bundle writes /app/vendor/bundle',
      bundleAbs: 'bundle install --path /gems writes /app/Gemfile.lock',
      pip: 'pip install -e .[dev] writes /app/*.egg-info',
      uv: 'uv sync writes /app/.venv',
      uvRel: 'uv sync writes /app/venvs/app',
      poetry: 'poetry install writes /app/.venv',
      poetryToml: 'poetry install writes /app/.venv',
      workdir: 'npm install writes /srv/app/node_modules',
    };
    for (const [name, words] of Object.entries(writes)) {
      expect(entry(name)).toMatchObject({ id: 'volumes.bind-dir-installs', status: 'approximated' });
      expect(entry(name).message).toContain(`${words}, so the container gets a writable copy`);
      expect(entry(name).message).not.toContain('read-only');
      expect(ctr(r, name).volumeMounts![0]).not.toHaveProperty('readOnly');
    }
    // The tail says what the copy means for what was written: an install runs again in every new pod, a dev server's
    // caches start empty.
    expect(entry('uv').message).toContain('the install runs again in every new pod');
    expect(entry('next').message).toContain('starts empty in every new pod');
    expect(entry('rails').message).not.toContain('install');
    // Its fix: an image that runs the install, or one that holds the code, where the server writes its own files.
    expect(entry('uv').fix).toContain('a Dockerfile that copies the folder and runs uv sync');
    expect(entry('next').fix).toContain("/app/.next is then written in the container's own files");
    for (const name of ['uvOut', 'poetryCache', 'plain']) {
      expect(entry(name).id).toBe('volumes.bind-dir');
      expect(ctr(r, name).volumeMounts![0]).toMatchObject({ mountPath: '/app', readOnly: true });
    }
  });
});

describe('a package.json script or pipenv that writes into the folder gets a writable copy (installsInto)', () => {
  // `npm run dev` runs what the mounted package.json's scripts.dev says: the dev server there is the writer. Pipenv
  // writes its virtualenv into the project only when PIPENV_VENV_IN_PROJECT is true, and `pipenv install` writes the
  // lock it makes when the folder has none.
  const pkg = (scripts: Record<string, string>) => JSON.stringify({ name: 'web', scripts });
  const files: Record<string, string> = {
    '/project/npmNext/package.json': pkg({ dev: 'next dev -p 3000' }),
    '/project/yarnNuxt/package.json': pkg({ dev: 'nuxt dev' }),
    '/project/pnpmVite/package.json': pkg({ dev: 'vite --host 0.0.0.0' }),
    '/project/nested/package.json': pkg({ start: 'npm run serve', serve: 'vite' }),
    '/project/viteModules/package.json': pkg({ dev: 'vite' }),
    '/project/plainScript/package.json': pkg({ dev: 'node server.js', 'vite-notes': 'vite' }),
    '/project/badJson/package.json': '{ "scripts": { "dev": "vite" ',
    '/project/pipenvIn/Pipfile': '[packages]\nflask = "*"\n',
    '/project/pipenvIn/Pipfile.lock': '{}\n',
    '/project/pipenvLock/Pipfile': '[packages]\nflask = "*"\n',
    '/project/pipenvSync/Pipfile': '[packages]\nflask = "*"\n',
    '/project/pipenvSync/Pipfile.lock': '{}\n',
    '/project/pipenvSystem/Pipfile': '[packages]\nflask = "*"\n',
    '/project/pipenvSystem/Pipfile.lock': '{}\n',
  };
  const svc = (name: string, image: string, command: string[], extra: Record<string, unknown> = {}) => ({
    image,
    working_dir: '/app',
    command,
    volumes: [bind(`/project/${name}`, '/app')],
    ...extra,
  });
  const run = () =>
    runSteps(
      {
        npmNext: svc('npmNext', 'node:20', ['npm', 'run', 'dev']),
        yarnNuxt: svc('yarnNuxt', 'node:20', ['yarn', 'dev']),
        pnpmVite: svc('pnpmVite', 'node:20', ['pnpm', 'dev']),
        // A script that runs another one: the writer is found one script deeper.
        nested: svc('nested', 'node:20', ['npm', 'start']),
        // node_modules is a volume of its own: vite's cache lands there, the folder itself stays read-only.
        viteModules: {
          ...svc('viteModules', 'node:20', ['npm', 'run', 'dev']),
          volumes: [bind('/project/viteModules', '/app'), { type: 'volume', target: '/app/node_modules' }],
        },
        plainScript: svc('plainScript', 'node:20', ['npm', 'run', 'dev']),
        badJson: svc('badJson', 'node:20', ['npm', 'run', 'dev']),
        pipenvIn: svc('pipenvIn', 'python:3.12', sh('pipenv install --dev && pipenv run flask run'), {
          environment: { PIPENV_VENV_IN_PROJECT: '1' },
        }),
        pipenvLock: svc('pipenvLock', 'python:3.12', sh('pipenv install && pipenv run flask run')),
        // Pipenv's default: the virtualenv outside the project, and sync installs the lock without writing it.
        pipenvSync: svc('pipenvSync', 'python:3.12', sh('pipenv sync && pipenv run flask run')),
        // --system installs into the image's Python: no virtualenv, whatever the variable says.
        pipenvSystem: svc('pipenvSystem', 'python:3.12', sh('pipenv install --system --deploy && flask run'), {
          environment: { PIPENV_VENV_IN_PROJECT: 'true' },
        }),
      },
      [applyStorage],
      { files },
    );

  test('the script the package manager runs, and pipenv where it writes into the project', () => {
    const r = run();
    const entry = (name: string) => recs(r, name, 'volumes')[0]!;
    const writes: Record<string, string> = {
      npmNext: 'npm run dev (next dev) writes /app/.next',
      yarnNuxt: 'yarn dev (nuxt dev) writes /app/.nuxt',
      pnpmVite: 'pnpm dev (vite) writes /app/node_modules/.vite',
      nested: 'npm start (npm run serve (vite)) writes /app/node_modules/.vite',
      pipenvIn: 'pipenv install --dev writes /app/.venv',
      pipenvLock: 'pipenv install writes /app/Pipfile.lock',
    };
    for (const [name, words] of Object.entries(writes)) {
      expect(entry(name)).toMatchObject({ id: 'volumes.bind-dir-installs', status: 'approximated' });
      expect(entry(name).message).toContain(`${words}, so the container gets a writable copy`);
      expect(ctr(r, name).volumeMounts![0]).not.toHaveProperty('readOnly');
    }
    // The wording follows the writer the script runs: a dev server's caches, an install.
    expect(entry('npmNext').message).toContain('starts empty in every new pod');
    expect(entry('npmNext').fix).toContain("/app/.next is then written in the container's own files");
    expect(entry('pipenvIn').message).toContain('the install runs again in every new pod');
    for (const name of ['viteModules', 'plainScript', 'badJson', 'pipenvSync', 'pipenvSystem']) {
      expect(entry(name).id).toBe('volumes.bind-dir');
      expect(ctr(r, name).volumeMounts![0]).toMatchObject({ mountPath: '/app', readOnly: true });
    }
  });
});
