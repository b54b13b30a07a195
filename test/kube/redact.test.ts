import { describe, expect, it } from 'vitest';
import { Redactor, secretSpans } from '../../src/kube/redact.js';

const loose = (line: string): string => new Redactor([]).text(line, { loose: true });
const yaml = (line: string): string => new Redactor([]).text(line, { loose: true, yaml: true });
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
    expect(secretSpans('    DB_PASSWORD: |', true)).toEqual([
      { start: 17, end: 18, name: 'DB_PASSWORD', value: '|', redact: false },
    ]);
  });

  it('a default of a secret variable and the password of a URL', () => {
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
});

describe('Redactor: known values anywhere', () => {
  it('replaces every occurrence, longest first, and leaves short and plain values alone', () => {
    const r = new Redactor(['hunter2secret', 'hunter2', 'ab', 'postgres'], new Set(['postgres']));
    expect(r.text('mysqladmin -phunter2secret; x=hunter2; ab; postgres')).toBe('mysqladmin -p***; x=***; ab; postgres');
  });

  it('quotes a replacement that would start a YAML plain scalar', () => {
    const r = new Redactor(['hunter2secret']);
    expect(r.text('    - hunter2secret\n    test: [CMD, x, hunter2secret]', { yaml: true })).toBe(
      "    - '***'\n    test: [CMD, x, '***']",
    );
    expect(r.text('    - hunter2secret')).toBe('    - ***');
  });
});
