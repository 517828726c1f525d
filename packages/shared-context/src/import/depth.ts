/** Nesting depth of parsed JSON, measured without recursion so 10,000 levels cannot overflow the stack. */
import type { PathSegment } from '../issue.js';

/**
 * Returns the path to the first point deeper than `max` levels, or undefined
 * when `value` stays within `max`. Iterative: uses an explicit stack.
 */
export function findTooDeep(value: unknown, max: number): PathSegment[] | undefined {
  const stack: { value: unknown; depth: number; parent: number; key: PathSegment }[] = [{ value, depth: 0, parent: -1, key: '' }];
  // Paths are rebuilt only for the offending node: keep parent links instead of copying arrays.
  const nodes: { parent: number; key: PathSegment }[] = [];
  while (stack.length > 0) {
    const item = stack.pop() as (typeof stack)[number];
    if (typeof item.value !== 'object' || item.value === null) continue;
    const index = nodes.push({ parent: item.parent, key: item.key }) - 1;
    if (item.depth >= max) return pathOf(nodes, index);
    if (Array.isArray(item.value)) {
      for (let i = 0; i < item.value.length; i++) {
        const child: unknown = item.value[i];
        if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: item.depth + 1, parent: index, key: i });
      }
    } else {
      const obj = item.value as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        const child = obj[key];
        if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: item.depth + 1, parent: index, key });
      }
    }
  }
  return undefined;
}

function pathOf(nodes: readonly { parent: number; key: PathSegment }[], index: number): PathSegment[] {
  const path: PathSegment[] = [];
  for (let i = index; i > 0; i = (nodes[i] as { parent: number }).parent) path.push((nodes[i] as { key: PathSegment }).key);
  return path.reverse();
}
