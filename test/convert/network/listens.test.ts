import { describe, expect, it } from 'vitest';
import { commandListenPorts, mainArgv } from '../../../src/convert/network/listens.js';

const ports = (command: string[], entrypoint?: string[]) =>
  Object.fromEntries(commandListenPorts({ command, ...(entrypoint ? { entrypoint } : {}) }));

describe('commandListenPorts: what the main process says it listens on', () => {
  it('reads the listen forms of the main process', () => {
    // chatwoot: an entrypoint script given the program, then bundle exec.
    expect(
      ports(['bundle', 'exec', 'rails', 's', '-p', '3000', '-b', '0.0.0.0'], ['docker/entrypoints/rails.sh']),
    ).toEqual({ 3000: '-p 3000' });
    expect(ports(['gunicorn', '-w', '3', '-b', '0.0.0.0:8000', 'app:app'])).toEqual({ 8000: '-b 0.0.0.0:8000' });
    expect(ports(['uvicorn', 'main:app', '--port=8080'])).toEqual({ 8080: '--port=8080' });
    expect(ports(['puma', '--bind', 'tcp://web:9292'])).toEqual({ 9292: '--bind tcp://web:9292' });
    expect(ports(['python', 'manage.py', 'runserver', '0.0.0.0:8000'])).toEqual({ 8000: '0.0.0.0:8000' });
    expect(ports(['php', '-S', '0.0.0.0:8000', '-t', 'public'])).toEqual({ 8000: '-S 0.0.0.0:8000' });
    expect(ports(['python3', '-m', 'http.server', '1218'])).toEqual({ 1218: 'http.server 1218' });
    expect(ports(['--entrypoints.web.address=:80', '--providers.docker'])).toEqual({
      80: '--entrypoints.web.address=:80',
    });
    expect(ports(['redpanda', 'start', '--kafka-addr', 'PLAINTEXT://0.0.0.0:29092'])).toEqual({
      29092: '--kafka-addr PLAINTEXT://0.0.0.0:29092',
    });
    // The last step of a shell script is the one that stays running (grafana-loki's minio).
    expect(
      ports([
        'sh',
        '-euc',
        'mkdir -p /data/loki-data && \\\nminio server --address "0.0.0.0:9000" --console-address ":9001" /data',
      ]),
    ).toEqual({ 9000: '--address 0.0.0.0:9000', 9001: '--console-address :9001' });
    expect(ports(['tini', '--', 'gosu', 'app', 'next', 'start', '-p', '3000'])).toEqual({ 3000: '-p 3000' });
  });

  it('reads nothing from clients, earlier steps, loopback binds, bare numbers or other options', () => {
    expect(ports(['redis-cli', '-h', 'redis', '-p', '6379', 'monitor'])).toEqual({});
    expect(ports(['psql', '-h', 'db', '-p', '5432'])).toEqual({});
    expect(ports(['sh', '-c', 'redis-cli -p 6379 ping && exec sleep infinity'])).toEqual({});
    expect(ports(['sh', '-c', 'mkdir -p 3000 && exec app'])).toEqual({});
    expect(ports(['sh', '-c', 'app -p 3000 & worker'])).toEqual({}); // which one stays running: unclear
    expect(ports(['wait-for-it', 'db:5432', '-p', '5432'])).toEqual({});
    expect(ports(['wait-for-it', '-p', '5432', '--', 'app', '--port', '8080'])).toEqual({ 8080: '--port 8080' });
    expect(ports(['gunicorn', '-b', '127.0.0.1:8000'])).toEqual({});
    expect(ports(['python', 'manage.py', 'runserver', '8000'])).toEqual({});
    expect(ports(['php', '-S', 'localhost:8000'])).toEqual({});
    expect(ports(['app', '--rpc-host=taskbroker:50051', '-u', '1000:1000', '-p', '8080:80'])).toEqual({});
    expect(ports(['sleep', '3000'])).toEqual({});
  });

  it('mainArgv unwraps launchers and gives up on what it cannot tell', () => {
    expect(mainArgv(['env', 'A=1', 'exec', 'nice', '-n', '5', 'poetry', 'run', 'app', '-x'])).toEqual(['app', '-x']);
    expect(mainArgv(['sh', '-c', 'exec "$@"'])).toBeUndefined();
    expect(mainArgv(['wait-for', 'db:5432'])).toBeUndefined();
  });
});
