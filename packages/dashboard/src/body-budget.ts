/**
 * A budget of request-body bytes that findings batches being ingested may
 * hold at once. A batch costs a server many times its body in memory while it
 * is parsed, validated, turned into columns and stored (about twelve times,
 * measured), and batches to one session are stored one after the other
 * anyway. So a burst of large batches waits here, unread, in arrival order,
 * instead of all being parsed at once: memory stays bounded, and the
 * socket's own back-pressure slows the senders.
 */

interface Waiter {
  readonly bytes: number;
  readonly admit: () => void;
}

/** The request gave up (its signal aborted) before it had room. */
export class BudgetWaitAbortedError extends Error {
  constructor() {
    super('gave up waiting for room in the ingest budget');
    this.name = 'BudgetWaitAbortedError';
  }
}

/** Bytes in flight, shared first come, first served. */
export class BodyBudget {
  readonly limit: number;
  #inFlight = 0;
  #holders = 0;
  readonly #waiting: Waiter[] = [];

  /** `limit`: bytes held at once; a body larger than that goes alone. */
  constructor(limit: number) {
    this.limit = limit;
  }

  /** Bytes held now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Requests waiting for room. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Waits for room for `bytes`, then holds it; the function returned gives it
   * back (once, however often it is called). When `signal` aborts first (the
   * client left), the wait ends with {@link BudgetWaitAbortedError} and its
   * place in the queue is given up.
   */
  async acquire(bytes: number, signal?: AbortSignal): Promise<() => void> {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`bytes must be a whole number ≥ 0, got ${bytes}`);
    if (signal?.aborted === true) throw new BudgetWaitAbortedError();
    const size = bytes;
    if (this.#waiting.length === 0 && this.#fits(size)) this.#take(size);
    else await this.#wait(size, signal);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.#inFlight -= size;
      this.#holders--;
      this.#admitWaiting();
    };
  }

  #wait(bytes: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.#waiting.indexOf(waiter);
        if (i < 0) return;
        this.#waiting.splice(i, 1);
        reject(new BudgetWaitAbortedError());
        // The head left: those behind it may fit now.
        this.#admitWaiting();
      };
      const waiter: Waiter = {
        bytes,
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.#waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  // Nothing held: any body goes (one larger than the budget goes alone rather than never).
  #fits(bytes: number): boolean {
    return this.#holders === 0 || this.#inFlight + bytes <= this.limit;
  }

  #take(bytes: number): void {
    this.#inFlight += bytes;
    this.#holders++;
  }

  #admitWaiting(): void {
    // In arrival order: a large body at the head is not overtaken by smaller ones forever.
    while (this.#waiting.length > 0 && this.#fits(this.#waiting[0]!.bytes)) {
      const w = this.#waiting.shift()!;
      this.#take(w.bytes);
      w.admit();
    }
  }
}
