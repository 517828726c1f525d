/** Path globs of suppressions: `**` crosses directories, `*` and `?` do not. */

/** A matcher for `pattern`; paths are compared with `/` separators. */
export function globMatcher(pattern: string): (path: string) => boolean {
  let re = '';
  const p = pattern.replace(/\\/g, '/');
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '*') {
      if (p[i + 1] === '*') {
        // `**/` matches zero or more directories; a trailing `**` matches everything below.
        if (p[i + 2] === '/') {
          re += '(?:.*/)?';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${re}$`);
  return (path) => regex.test(path.replace(/\\/g, '/').replace(/^\.\//, ''));
}
