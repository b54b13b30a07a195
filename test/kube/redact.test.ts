import { describe, expect, it } from 'vitest';
import { Redactor, secretSpans } from '../../src/kube/redact.js';

const loose = (line: string): string => new Redactor([]).text(line, 'env');
const yaml = (line: string): string => new Redactor([]).text(line, 'yaml');
const msg = (line: string): string => new Redactor([]).text(line);

describe('secret values in one line (the one definition, by key)', () => {
  it('YAML block, flow, list and JSON forms of a source file', () => {
    expect(yaml('      DB_PASSWORD: hunter2secret')).toBe("      DB_PASSWORD: '***'");
    expect(yaml('      DB_PASSWORD: "hunter2 secret" # why')).toBe('      DB_PASSWORD: "***" # why');
    expect(yaml("      DB_PASSWORD: 'it''s secret'")).toBe("      DB_PASSWORD: '***'");
    expect(yaml('      - DB_PASSWORD=hunter2secret')).toBe('      - DB_PASSWORD=***');
    expect(yaml('      - "DB_PASSWORD=hunter2secret"')).toBe('      - "DB_PASSWORD=***"');
    expect(yaml('    environment: {DB_PASSWORD: hunt3r, X: [1]}')).toBe(
      "    environment: {DB_PASSWORD: '***', X: [1]}",
    );
    expect(yaml('    environment: ["API_TOKEN=abc123", "MODE=dev"]')).toBe(
      '    environment: ["API_TOKEN=***", "MODE=dev"]',
    );
    expect(yaml('  {"DB_PASSWORD": "hunter2", "USER": "bob"}')).toBe('  {"DB_PASSWORD": "***", "USER": "bob"}');
    expect(yaml('    command: ["serve", "--admin-password=hunt3rTwo", "${UNSET:?x}"]')).toBe(
      '    command: ["serve", "--admin-password=***", "${UNSET:?x}"]',
    );
    // An unclosed quote (the YAML error itself): the rest of the line.
    expect(yaml('      DB_PASSWORD: "hunt3rTwo')).toBe('      DB_PASSWORD: "***');
  });

  it('.env lines, including malformed ones', () => {
    expect(loose('DB_PASSWORD=hunter2')).toBe('DB_PASSWORD=***');
    expect(loose('export API_TOKEN="abc def" # c')).toBe('export API_TOKEN="***" # c');
    expect(loose('API_TOKEN tok3nvalue999')).toBe('API_TOKEN ***');
    expect(loose('DB_PASSWORD="hunt3rTwo')).toBe('DB_PASSWORD="***');
    expect(loose('APP_MODE=production')).toBe('APP_MODE=production');
  });

  it('keeps what holds no secret: references, switches, placeholders, non-secret keys', () => {
    expect(yaml('      MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD}')).toBe(
      '      MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD}',
    );
    expect(yaml('      MYSQL_ALLOW_EMPTY_PASSWORD: "yes"')).toBe('      MYSQL_ALLOW_EMPTY_PASSWORD: "yes"');
    expect(yaml('      PASSWORD_FILE: /run/secrets/db')).toBe('      PASSWORD_FILE: /run/secrets/db');
    expect(yaml('      TZ: Europe/Paris')).toBe('      TZ: Europe/Paris');
    expect(msg('fill DB_PASSWORD=... or <set-me: DB_PASSWORD>')).toBe('fill DB_PASSWORD=... or <set-me: DB_PASSWORD>');
    expect(secretSpans('    DB_PASSWORD: |', 'yaml')).toEqual([
      { start: 17, end: 18, name: 'DB_PASSWORD', value: '|', redact: false },
    ]);
  });

  it('a lone reference holds no secret, only its default does', () => {
    expect(yaml('      KEY_SECRET: ${KEY_SECRET:?secret key required}')).toBe(
      '      KEY_SECRET: ${KEY_SECRET:?secret key required}',
    );
    expect(yaml('      DB_PASSWORD: ${X:-hunter2}')).toBe('      DB_PASSWORD: ${X:-***}');
    expect(yaml('      DB_URL: postgres://app:${PG_PASS}@db/app')).toBe(
      '      DB_URL: postgres://app:${PG_PASS}@db/app',
    );
  });

  it('the space-separated `KEY value` form is an env-file line only, not YAML text (an nginx block scalar)', () => {
    expect(yaml('          proxy_pass       http://write:3100$$request_uri;')).toBe(
      '          proxy_pass       http://write:3100$$request_uri;',
    );
    expect(loose('API_TOKEN tok3nvalue999')).toBe('API_TOKEN ***');
  });

  it('a default of a secret variable and the password of a URL', () => {
    expect(yaml('      BACKEND: db+postgresql://airflow:airflow@postgres/airflow')).toBe(
      '      BACKEND: db+postgresql://airflow:***@postgres/airflow',
    );
    expect(yaml('      - X=${DB_PASSWORD:-hunter2}')).toBe('      - X=${DB_PASSWORD:-***}');
    expect(yaml('      DATABASE_URL: postgres://app:s3cret@db:5432/app')).toBe(
      '      DATABASE_URL: postgres://app:***@db:5432/app',
    );
  });

  it('in a message only quoted or `=` values count: prose after `KEY:` stays', () => {
    expect(msg('services.db.environment.DB_PASSWORD: "hunt3rTwo${"; you may need to escape')).toBe(
      'services.db.environment.DB_PASSWORD: "***"; you may need to escape',
    );
    expect(msg('environment.DB_PASSWORD: must be a string')).toBe('environment.DB_PASSWORD: must be a string');
  });

  it('the `secrets` mode (x-k8s, options) is no secret, a typo of it included; a secret under that key still is', () => {
    expect(yaml('  secrets: embedd')).toBe('  secrets: embedd');
    expect(yaml('x-k8s: {secrets: external}')).toBe('x-k8s: {secrets: external}');
    expect(msg('x-k8s.secrets: "embedd" is not one of placeholder, embed, external')).toBe(
      'x-k8s.secrets: "embedd" is not one of placeholder, embed, external',
    );
    expect(msg('options.secrets: "bogus" is not one of placeholder, embed, external')).toBe(
      'options.secrets: "bogus" is not one of placeholder, embed, external',
    );
    expect(yaml('      secrets: hunter2secret')).toBe("      secrets: '***'");
    expect(yaml('      SECRETS: embedd')).toBe("      SECRETS: '***'");
    expect(loose('SECRETS=abcdef')).toBe('SECRETS=***');
  });
});

describe('Redactor: known values anywhere', () => {
  it('replaces every occurrence, longest first; ordinary words, numbers and plain values only by key', () => {
    const r = new Redactor(
      ['hunter2secret', 'hunt3r2', 'ab', 'postgres', '8080', 'example_123'],
      new Set(['example_123']),
    );
    expect(r.text('mysqladmin -phunter2secret; x=hunt3r2; ab; image postgres:16 on 8080 example_123')).toBe(
      'mysqladmin -p***; x=***; ab; image postgres:16 on 8080 example_123',
    );
    // By key, whatever the value looks like.
    expect(r.text('POSTGRES_PASSWORD=postgres')).toBe('POSTGRES_PASSWORD=***');
  });

  it('quotes a replacement that would start a YAML plain scalar', () => {
    const r = new Redactor(['hunter2secret']);
    expect(r.text('    - hunter2secret\n    test: [CMD, x, hunter2secret]', 'yaml')).toBe(
      "    - '***'\n    test: [CMD, x, '***']",
    );
    expect(r.text('    - hunter2secret')).toBe('    - ***');
  });

  it('values sharing their first characters: the longest one present wins, a partial one is kept', () => {
    const r = new Redactor(['abcd1234', 'abcd123456', 'abcdxyz1', 'abcd123456-longer-than-the-text']);
    expect(r.text('abcd123456 abcd1234 abcdxyz1 abcd123 abcd12345')).toBe('*** *** *** abcd123 ***5');
  });

  it("16 000 values sharing their first characters (16 000 services' `secrets:` lines) redact in linear time", () => {
    // Before, every position holding the shared prefix was compared with every value of it: quadratic, ~10 s for
    // these. Now each position is looked up once per length the values come in: ~0.3 s (2 s leaves room for a busy
    // machine; a ratio of two sizes' times was tried and moved with the test runner's heap).
    const values = Array.from({ length: 16000 }, (_, i) => `[db_pw, s${i}_key]`);
    const text = values.map((v) => `secrets: ${v}`).join('\n');
    const t = performance.now();
    const out = new Redactor(values).knownValues(text);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(out).toBe(values.map(() => 'secrets: ***').join('\n'));
  });
});
