import { describe, expect, it } from 'vitest';
import {
  isSecretKey,
  isSecretVariable,
  secretFile,
  secretFileContent,
  secretFileName,
  urlPassword,
} from '../../src/kube/secrets.js';

describe('secret files', () => {
  it.each([
    ['certs/server.key', 'a private key or key store'],
    ['/srv/app/keystore.jks', 'a private key or key store'],
    ['client.p12', 'a private key or key store'],
    ['ssh/id_rsa', 'an SSH private key'],
    ['id_ed25519', 'an SSH private key'],
    ['nginx/.htpasswd', 'an htpasswd password file'],
    ['auth/htpasswd', 'an htpasswd password file'],
    ['.env', 'an environment file'],
    ['config/db.env', 'an environment file'],
    ['.env.production', 'an environment file'],
    ['home/.kube/config', 'a kubeconfig'],
    ['deploy/kubeconfig', 'a kubeconfig'],
    ['.aws/credentials', 'a credentials file'],
    ['credentials.json', 'a credentials file'],
    ['.pgpass', 'a password file'],
    ['.netrc', 'a password file'],
  ])('%s is secret by its name (%s)', (name, why) => {
    expect(secretFileName(name)).toBe(why);
  });

  it.each([
    'ssh/id_rsa.pub',
    'nginx.conf',
    'certs/server.crt',
    'app/config',
    'environment.yaml',
    '.env.example',
    'keys.txt',
  ])('%s is not secret by its name', (name) => {
    expect(secretFileName(name)).toBeUndefined();
  });

  it('a PEM private key block makes any file secret; a certificate does not', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQ...\n-----END PRIVATE KEY-----\n';
    expect(secretFileContent(key)).toBe('a PEM private key');
    expect(secretFileContent('x\n-----BEGIN RSA PRIVATE KEY-----\n...')).toBe('a PEM private key');
    expect(secretFileContent('-----BEGIN OPENSSH PRIVATE KEY-----')).toBe('a PEM private key');
    expect(secretFileContent('-----BEGIN CERTIFICATE-----\nMIID...\n-----END CERTIFICATE-----\n')).toBeUndefined();
    expect(secretFile('tls/bundle.pem', key)).toBe('a PEM private key');
    expect(secretFile('tls/bundle.pem')).toBeUndefined();
    expect(secretFile('server.key', 'anything')).toBe('a private key or key store');
  });
  it('a commented-out key block is a sample, not a key; one after a commented one still counts', () => {
    const sample = '# Example:\n# -----BEGIN PRIVATE KEY-----\n# MIIEvQ...\n# -----END PRIVATE KEY-----\nkey: 1\n';
    expect(secretFileContent(sample)).toBeUndefined();
    expect(secretFileContent('// -----BEGIN RSA PRIVATE KEY-----')).toBeUndefined();
    expect(secretFileContent(`${sample}real: |\n  -----BEGIN PRIVATE KEY-----\n`)).toBe('a PEM private key');
    expect(secretFileContent('{"k": "-----BEGIN PRIVATE KEY-----\\nMII"}')).toBe('a PEM private key');
  });
});

describe('secret config files (a password file by name, a literal credential in the content)', () => {
  it('a data file named as a password, secret or credentials file is secret; code and templates are not', () => {
    expect(secretFileName('clickhouse/default-password.xml')).toBeDefined();
    expect(secretFileName('db_password.txt')).toBeDefined();
    expect(secretFileName('secrets.yaml')).toBeDefined();
    expect(secretFileName('secrets.example.yaml')).toBeUndefined();
    expect(secretFileName('reset-password.html')).toBeUndefined();
    expect(secretFileName('password.js')).toBeUndefined();
    expect(secretFileName('passwords-policy.md')).toBeUndefined();
  });
  it('a literal value given to a credential setting makes the content secret', () => {
    const xml = '<clickhouse><users><default>\n<password>Sup3rS3cretCH</password>\n</default></users></clickhouse>';
    expect(secretFileContent(xml)).toBe('a config file giving password a literal value');
    expect(secretFileContent("mail.host: smtp\nsystem.secret-key: '!!changeme!!'\n")).toBe(
      'a config file giving system.secret-key a literal value',
    );
    expect(secretFileContent('[security]\nadmin_password = hunter2\n')).toBeDefined();
    expect(secretFileContent('DB_PASSWORD=hunter2\n')).toBeDefined();
    expect(secretFileContent('{\n  "apiKey": "abc123def",\n  "port": 80\n}')).toBeDefined();
    expect(secretFileContent('auth:\n  client_secret: abc # rotated\n')).toBeDefined();
  });
  it("an environment lookup's literal fallback is the setting's value", () => {
    expect(secretFileContent('SECRET_KEY = os.getenv("SUPERSET_SECRET_KEY", "TEST_NON_DEV_SECRET")\n')).toBe(
      'a config file giving SECRET_KEY a literal value',
    );
    expect(secretFileContent("DB_PASSWORD = os.environ.get('DB_PASSWORD', 'fallbackpw123')  # dev\n")).toBeDefined();
    expect(secretFileContent('SECRET_KEY = env.str("SECRET_KEY", default="Kx9fallbackkey")\n')).toBeDefined();
    expect(secretFileContent('DSN = os.getenv("DSN", "postgres://u:pw1234xyz@db/app")\n')).toBeDefined();
    expect(
      secretFileContent('SECRET_KEY = os.getenv("SECRET_KEY")\nDEBUG = os.getenv("DEBUG", "false")\n'),
    ).toBeUndefined();
    expect(secretFileContent('API_TOKEN = os.getenv("API_TOKEN", "")\n')).toBeUndefined();
  });
  it('a password in a URL makes the content secret, whatever the key; a referenced one does not', () => {
    expect(secretFileContent('SQLALCHEMY_DATABASE_URI = "postgresql://superset:pw1234xyz@db:5432/superset"\n')).toBe(
      'a config file with a password in the URL of SQLALCHEMY_DATABASE_URI',
    );
    expect(secretFileContent('database:\n  url: postgresql://app:pw1234xyz@db/app\n')).toBeDefined();
    expect(secretFileContent('<url>amqp://guest:pw1234xyz@mq:5672</url>')).toBeDefined();
    expect(
      secretFileContent('url: postgresql://app:${DB_PASSWORD}@db/app\nhome: https://example.com/@me\n'),
    ).toBeUndefined();
    expect(secretFileContent('broker_url = redis://redis:6379/0\n')).toBeUndefined();
  });
  it('references, empty values, switches, comments and settings about a credential are not', () => {
    expect(secretFileContent('password: ${DB_PASSWORD}\n')).toBeUndefined();
    expect(secretFileContent("password: ''\ntoken:\n  ttl: 5\n")).toBeUndefined();
    expect(secretFileContent('<password></password>\n<!-- <password>old</password> -->')).toBeUndefined();
    expect(secretFileContent("# mail.password: 'x'\n; admin_password = y\n")).toBeUndefined();
    expect(secretFileContent('password_encryption = scram-sha-256\nauth: basic\n')).toBeUndefined();
    expect(secretFileContent('secret_key: true\nrouting_key: logs\n')).toBeUndefined();
    expect(secretFileContent('SECRET_KEY = env("SENTRY_SECRET_KEY")\npassword: !env_var DB\n')).toBeUndefined();
    expect(secretFileContent('client-secret: "<client secret>"\npassword: {{ .Values.pw }}\n')).toBeUndefined();
  });
  it('a file named for a password whose credential settings are all empty holds no secret; a filled one does', () => {
    const xml = (pw: string) =>
      `<clickhouse><users><default><password>${pw}</password></default></users></clickhouse>\n`;
    expect(secretFile('clickhouse/default-password.xml', xml(''))).toBeUndefined();
    expect(secretFile('clickhouse/default-password.xml', xml('Sup3rS3cretCH'))).toBeDefined();
    // Without settings to read (a bare list of passwords), the name decides.
    expect(secretFile('passwords.txt', 'hunter2\n')).toBeDefined();
    expect(secretFile('passwords.txt')).toBeDefined();
  });
  it('a template holds sample values: not secret by content either', () => {
    expect(secretFile('sentry/config.example.yml', "system.secret-key: '!!changeme!!'\n")).toBeUndefined();
    expect(secretFile('sentry/config.yml', "system.secret-key: '!!changeme!!'\n")).toBeDefined();
  });
});

describe('isSecretKey (one definition, sharpened)', () => {
  it('role, rate limits and similar settings about a credential are not secrets', () => {
    expect(isSecretKey('SUPABASE_AUTH_ROLE', 'anon')).toBe(false);
    expect(isSecretKey('API_TOKEN_RATE_LIMIT', '100')).toBe(false);
    expect(isSecretKey('AUTH_RATE_LIMIT', '100')).toBe(false);
    expect(isSecretKey('SUPABASE_SERVICE_ROLE_KEY', 'abcdef123')).toBe(true);
  });
  it('a shared or pre-shared key is a secret (nextcloud-aio HP_SHARED_KEY, WireGuard PSK)', () => {
    expect(isSecretKey('HP_SHARED_KEY', 'abcdef123')).toBe(true);
    expect(isSecretKey('WG_PRESHARED_KEY', 'abcdef123')).toBe(true);
    expect(isSecretKey('IPSEC_PSK', 'abcdef123')).toBe(true);
    expect(isSecretKey('SORT_KEY', 'name')).toBe(false);
  });
  it('the code that handles a credential (a class or module path) is not a secret', () => {
    const cls = 'airflow.providers.fab.auth.manager.fab_auth_manager.FabAuthManager';
    expect(isSecretKey('AIRFLOW__CORE__AUTH_MANAGER', cls)).toBe(false);
    expect(isSecretKey('AUTH_HANDLER', 'ldap')).toBe(false);
    expect(isSecretKey('PASSWORD_HASHING_SCHEME', 'argon2')).toBe(false);
    expect(isSecretKey('AIRFLOW__API_AUTH__JWT_SECRET', 'abcdef123')).toBe(true);
  });
  it('an access-key id beside a plain *_USER or its secret key is the user name of the pair', () => {
    expect(isSecretKey('MINIO_ACCESS_KEY', 'minioadmin', ['MINIO_USER', 'MINIO_ACCESS_KEY'])).toBe(false);
    expect(isSecretKey('AWS_ACCESS_KEY_ID', 'AKIA123', ['AWS_SECRET_ACCESS_KEY'])).toBe(false);
    expect(isSecretKey('AWS_ACCESS_KEY_ID', 'AKIA123')).toBe(true);
    expect(isSecretKey('AWS_SECRET_ACCESS_KEY', 'abc/def', ['AWS_ACCESS_KEY_ID'])).toBe(true);
    // The secret half of a pair, even beside a *_USER: it ends in ACCESS_KEY but is no key id.
    expect(isSecretKey('AWS_SECRET_ACCESS_KEY', 'x', ['AWS_ACCESS_KEY_ID', 'SMTP_USERNAME'])).toBe(true);
  });
  it('a name ending in KEY (optionally versioned) holds a key, unless it names a field, a public key or a path', () => {
    expect(isSecretKey('_APP_OPENSSL_KEY_V1', 'your-secret-key')).toBe(true);
    expect(isSecretKey('SENTRY_KEY', '0123456789abcdef')).toBe(true);
    expect(isSecretKey('WORDPRESS_NONCE_KEY', 'changeme')).toBe(true);
    expect(isSecretKey('KEY', 'abc123')).toBe(true);
    expect(isSecretKey('PARTITION_KEY', 'tenant_id')).toBe(false);
    expect(isSecretKey('PRIMARY_KEY', 'id')).toBe(false);
    expect(isSecretKey('CAS_EMAIL_KEY', 'email')).toBe(false);
    expect(isSecretKey('VAPID_PUBLIC_KEY', 'BPx1')).toBe(false);
    expect(isSecretKey('CACHE_KEY_PREFIX', 'app')).toBe(false);
    expect(isSecretKey('SSL_KEY_PATH', '/certs/site.key')).toBe(false);
    expect(isSecretKey('SSL_KEY', '/certs/site.key')).toBe(false);
    expect(isSecretKey('TLS_KEY', 'server.key')).toBe(false);
    expect(isSecretKey('KEYCLOAK_URL', 'http://kc')).toBe(false);
    expect(isSecretVariable('_APP_OPENSSL_KEY_V1', '')).toBe(true);
  });
  it('a vendor credential shape is secret whatever the name', () => {
    expect(isSecretKey('STRIPE', 'sk_live_51H8abcdefghijklmnop')).toBe(true);
    expect(isSecretKey('STRIPE', 'rk_test_51H8abcdefghijklmnop')).toBe(true);
    expect(isSecretKey('OPENAI', 'sk-proj-abcdefghijklmnopqrstuvwxyz0123')).toBe(true);
    expect(isSecretKey('APP', 'base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=')).toBe(true);
    expect(isSecretKey('GH', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toBe(true);
    expect(isSecretKey('GH', 'github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz')).toBe(true);
    expect(isSecretKey('SLACK', 'xoxb-1234567890-abcdefghij')).toBe(true);
    expect(isSecretKey('AWS_ID', 'AKIAIOSFODNN7EXAMPLE')).toBe(true);
    // Short or ordinary values with a similar start are not.
    expect(isSecretKey('MODE', 'sk-short')).toBe(false);
    expect(isSecretKey('ENCODING', 'base64:utf8')).toBe(false);
    expect(isSecretKey('GREETING', 'ghp_x')).toBe(false);
  });
  it('a *_PW token holds a password', () => {
    expect(isSecretKey('LDAP_BIND_PW', 'hunter2')).toBe(true);
    expect(isSecretKey('SMTP_PW', 'hunter2')).toBe(true);
  });
  it("a URL's userinfo password makes the value secret, and urlPassword finds it", () => {
    expect(isSecretKey('DATABASE_URL', 'postgres://app:s3cret@db/app')).toBe(true);
    expect(isSecretKey('DATABASE_URL', 'postgres://db/app')).toBe(false);
    expect(urlPassword('postgres://app:s3cret@db/app')).toBe('s3cret');
    expect(urlPassword('http://example.com/a:b@c')).toBeUndefined();
  });
});
