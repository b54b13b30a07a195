import { describe, expect, it } from 'vitest';
import { splitShell } from '../../../src/load/normalize/shell.js';

describe('splitShell (go-shellwords rules)', () => {
  it.each<[string, string[]]>([
    ['echo hello world', ['echo', 'hello', 'world']],
    ['  spaced\tout \n words ', ['spaced', 'out', 'words']],
    [`sh -c "echo 'hi there'"`, ['sh', '-c', "echo 'hi there'"]],
    [`echo 'a "b" c'`, ['echo', 'a "b" c']],
    ['echo a\\ b', ['echo', 'a b']],
    ['echo "a\\"b"', ['echo', 'a"b']],
    [`echo 'a\\b'`, ['echo', 'a\\b']],
    ['echo "" x', ['echo', '', 'x']],
    ['a"b c"d', ['ab cd']],
    ['echo \\n', ['echo', '\n']],
    ['echo $HOME ${X}', ['echo', '$HOME', '${X}']],
    ['echo $(date)', ['echo', '$(date)']],
    ['', []],
    ['python -m http.server 8000', ['python', '-m', 'http.server', '8000']],
  ])('%j', (line, words) => {
    expect(splitShell(line)).toEqual({ words });
  });

  it('stops at an unquoted shell operator and says where', () => {
    expect(splitShell('echo a && echo b')).toEqual({ words: ['echo', 'a'], truncatedAt: 7 });
    expect(splitShell('cat x | grep y')).toEqual({ words: ['cat', 'x'], truncatedAt: 6 });
    expect(splitShell('run 2>/dev/null')).toEqual({ words: ['run'], truncatedAt: 5 });
  });

  it('keeps quoted operators', () => {
    expect(splitShell('sh -c "a; b | c"')).toEqual({ words: ['sh', '-c', 'a; b | c'] });
  });

  it.each(['echo "open', "echo 'open", 'echo \\', 'echo (x)', 'echo x)'])('rejects %j', (line) => {
    expect(splitShell(line)).toHaveProperty('error');
  });
});
