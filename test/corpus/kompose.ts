/**
 * How kompose's own tests use its fixtures (kubernetes/kompose script/test/cmd/tests.sh and
 * tests_new.sh): which files are layered with `-f a -f b`, which variables the tests export before
 * converting, and which files are meant to fail (or fail for a known reason). Used by test/corpus/cases.ts.
 */
import type { ExpectedFailure } from './cases.js';

/**
 * Variables tests.sh exports (`export $(cat fixtures/<dir>/envs)`) before converting the file; without
 * them the `$DB_PORT` port is empty and kompose's test expects a failure (see KOMPOSE_NO_ENV_CASES).
 */
export const KOMPOSE_ENV: Record<string, Record<string, string>> = {
  'kompose/etherpad/docker-compose.yml': {
    DB_HOST: 'mariadb',
    ROOT_PASS: 'etherpad',
    DB_NAME: 'etherpad',
    DB_PASS: 'etherpad',
    DB_USER: 'etherpad',
    DB_PORT: '3306',
  },
  'kompose/gitlab/docker-compose.yml': {
    DB_PORT: '5432',
    DB_NAME: 'gitlab',
    DB_PASS: 'gitlab',
    DB_USER: 'gitlab',
    REDIS_PORT: '6379',
  },
};

/** The same files without the exported variables: tests.sh runs them with `convert::expect_failure`. */
export const KOMPOSE_NO_ENV_CASES = Object.keys(KOMPOSE_ENV);

/**
 * Files layered with `-f base -f overlay` in kompose's tests (paths relative to the kompose folder; the
 * last file names the case). Overlays that are also compose-named are never loaded alone.
 */
export const KOMPOSE_MULTI: string[][] = [
  ['multiple-files/first.yaml', 'multiple-files/second.yaml'],
  ['unused/merge-multiple-compose/base.yml', 'unused/merge-multiple-compose/dev.yml'],
  ['unused/merge-multiple-compose/compose-port-base.yml', 'unused/merge-multiple-compose/compose-port-prod.yml'],
  ['unused/merge-multiple-compose/compose-port-base.yml', 'unused/merge-multiple-compose/compose-new-service-prob.yml'],
  [
    'unused/merge-multiple-compose/service-merge-concat-base.yml',
    'unused/merge-multiple-compose/service-merge-concat-override.yml',
  ],
  ['unused/merge-multiple-compose/other-toplevel-dev.yml', 'unused/merge-multiple-compose/other-toplevel-ext.yml'],
  [
    'unused/merge-multiple-compose/other-toplevel-base.yml',
    'unused/merge-multiple-compose/other-toplevel-override.yml',
  ],
];

/** Fixture files with other names that kompose's tests convert alone (`-f file`). */
export const KOMPOSE_OTHER_SINGLE: string[] = [
  'compose-file-env-variable/alternative-compose.yaml',
  'image-pull-policy/compose-files/v12-fail-image-pull-policy.yml',
  'image-pull-policy/compose-files/v12-image-pull-policy.yml',
  'image-pull-policy/compose-files/v3-image-pull-policy.yml',
  'keyonly-envs/env.yml',
];

const V1 =
  'compose v1 format: no top-level `services:` (services at the root); `docker compose` v2 rejects it, kompose still reads v1';
const v1: ExpectedFailure = { kind: 'v1-format', codes: ['unknown-key'], why: V1 };

/** Labels (`kompose/<path>`, `#no-env` for the runs without variables) that must fail, and why. */
export const KOMPOSE_FAILURES: Record<string, ExpectedFailure> = {
  'kompose/controller/compose-controller-label.yaml': v1,
  'kompose/envvars-separators/compose.yaml': v1,
  'kompose/image-pull-secret/compose-files/docker-compose-image-pull-secret.yml': v1,
  'kompose/unused/expose-service/compose-files/docker-compose-expose-hostname-multiple-ports.yml': v1,
  'kompose/unused/expose-service/compose-files/docker-compose-expose-hostname-tls.yml': v1,
  'kompose/unused/expose-service/compose-files/docker-compose-expose-hostname.yml': v1,
  'kompose/unused/expose-service/compose-files/docker-compose-expose-multiple-hostname-tls.yml': v1,
  'kompose/unused/expose-service/compose-files/docker-compose-expose-multiple-hostname.yml': v1,
  'kompose/unused/expose-service/compose-files/docker-compose-expose-true-multiple-ports.yml': v1,
  'kompose/unused/expose-service/compose-files/docker-compose-expose-true.yml': v1,
  'kompose/yaml-and-yml/docker-compose.yaml': v1,
  'kompose/yaml-and-yml/yml/docker-compose.yml': v1,
  'kompose/etherpad/docker-compose-no-image.yml': {
    kind: 'invalid-fixture',
    codes: ['missing-image'],
    why: 'services without image or build; tests.sh: convert::expect_failure',
  },
  'kompose/etherpad/docker-compose.yml#no-env': {
    kind: 'invalid-fixture',
    codes: ['invalid-port'],
    why: 'ports: "$DB_PORT" is empty until the test exports etherpad/envs; tests.sh: convert::expect_failure',
  },
  'kompose/gitlab/docker-compose.yml#no-env': {
    kind: 'invalid-fixture',
    codes: ['invalid-port'],
    why: 'ports: "$DB_PORT" is empty until the test exports gitlab/envs; tests.sh: convert::expect_failure',
  },
  'kompose/unused/v3/docker-compose-deploy.yaml': {
    kind: 'invalid-fixture',
    codes: ['unknown-service'],
    why: 'a deploy-key fragment: depends_on names service "redis", which the file does not define (docker compose rejects it)',
  },
  'kompose/unused/v3/docker-compose-full-example.yaml': {
    kind: 'invalid-fixture',
    codes: ['unknown-service', 'unknown-volume', 'unknown-network', 'conflicting-values'],
    why: 'a key catalogue, not a project: links to an undefined service "db", mounts an undeclared volume "datavolume", joins an undeclared network, sets network_mode together with networks',
  },
  'kompose/volume-mounts/named-volume/docker-compose.yml': {
    kind: 'kompose-lenient',
    codes: ['unknown-volume'],
    why: 'named volume "db-data" is not declared under top-level volumes: kompose accepts it, the Compose Spec and docker compose do not',
  },
  'kompose/volume-mounts/named-volume/docker-compose-v3.yml': {
    kind: 'kompose-lenient',
    codes: ['unknown-volume'],
    why: 'named volume "db-config" is not declared under top-level volumes: kompose accepts it, the Compose Spec and docker compose do not',
  },
};
