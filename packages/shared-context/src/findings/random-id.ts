/**
 * Random (version 4) UUIDs from the system CSPRNG, made in batches.
 *
 * Why not `crypto.randomUUID()`: in Node 20 it builds each id by string
 * concatenation, which V8 keeps as a tree of ~20 cons-string nodes (about
 * 490 bytes per id here) until something flattens it. A session with 100,000
 * findings held ~48 MB of such trees. Here a batch of ids is written as bytes
 * into one buffer, turned into one flat string, and handed out as 36-character
 * slices of it (32 bytes of heap per id, no hidden tree).
 *
 * Why batches of 28,672 (1,032,192 characters): Node turns a Buffer of at
 * least 1,031,913 bytes (its EXTERN_APEX) into an external string, whose
 * characters live outside the V8 heap. The garbage collector then never
 * copies them; it copied a 9 KB on-heap pool of 256 ids twice on its way to
 * the old generation, as it copies every young object that survives, and
 * adding 100,000 findings one at a time took about a sixth less time without
 * that. Should Node raise that limit, the pool is an ordinary string again:
 * slower, nothing else.
 *
 * A process gets there by doubling from 256 ids: one that makes a few ids
 * makes them from a small on-heap pool, and does not wait for a megabyte of
 * them (~20 ms before the code is compiled; 3–5 ms a batch after). The cost
 * of the large batches: a pool's megabyte stays allocated while any id cut
 * from it is alive. Findings of a session live and die together, so that is
 * about one pool per live session's span of ids; a process that kept, say,
 * one finding of every 30,000 it made would keep a megabyte per kept finding.
 */
import { randomFillSync } from 'node:crypto';

const FIRST_BATCH = 256;
const BATCH = 28_672;
const HEX = Buffer.from('0123456789abcdef', 'latin1');
// Allocated at the first id, not at import: a process that makes none pays nothing.
let random = Buffer.alloc(0);
let text = Buffer.alloc(0);
let pool = '';
let size = 0;
let next = 0;

function refill(): void {
  size = Math.min(size === 0 ? FIRST_BATCH : size * 2, BATCH);
  if (random.length < 16 * size) {
    random = Buffer.allocUnsafe(16 * size);
    text = Buffer.allocUnsafe(36 * size);
  }
  randomFillSync(random, 0, 16 * size);
  let o = 0;
  for (let k = 0; k < size; k++) {
    const b = k * 16;
    random[b + 6] = ((random[b + 6] as number) & 0x0f) | 0x40; // version 4
    random[b + 8] = ((random[b + 8] as number) & 0x3f) | 0x80; // RFC 4122 variant
    for (let j = 0; j < 16; j++) {
      if (j === 4 || j === 6 || j === 8 || j === 10) text[o++] = 0x2d; // '-'
      const v = random[b + j] as number;
      text[o++] = HEX[v >> 4] as number;
      text[o++] = HEX[v & 15] as number;
    }
  }
  pool = text.toString('latin1', 0, o);
  next = 0;
}

/** A random version 4 UUID, e.g. `3b241101-e2bb-4255-8caf-4136c566a962`. */
export function randomId(): string {
  if (next === size) refill();
  const start = next * 36;
  next++;
  return pool.slice(start, start + 36);
}
