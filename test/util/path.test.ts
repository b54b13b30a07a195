/** POSIX path helpers of the core (no node:path): the relative paths the report shows. */
import { describe, expect, it } from 'vitest';
import { relative } from '../../src/util/path.js';

describe('relative', () => {
  it('goes up with .. to the common directory, and is . for the directory itself', () => {
    expect(relative('/p', '/p/sub/a.yaml')).toBe('sub/a.yaml');
    expect(relative('/p/app', '/p/shared/compose.yaml')).toBe('../shared/compose.yaml');
    expect(relative('/p/a/b/', '/q')).toBe('../../../q');
    expect(relative('/p/./a', '/p/a')).toBe('.');
  });
});
