/**
 * Group commit: callers ask for "a save that includes my change". While a
 * save runs, every new request joins one queued save that starts when it
 * ends, so N concurrent writes cost at most two saves, and no caller is
 * acknowledged before a save that began after its change has finished.
 */
export class GroupCommit {
  readonly #save: () => Promise<void>;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  constructor(save: () => Promise<void>) {
    this.#save = save;
  }

  /** Resolves once a save that started after this call has completed (rejects with its error). */
  request(): Promise<void> {
    const running = this.#running;
    if (running === undefined) return this.#start();
    this.#queued ??= running
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;
        return this.#start();
      });
    return this.#queued;
  }

  /** True while a save runs or waits. */
  get busy(): boolean {
    return this.#running !== undefined || this.#queued !== undefined;
  }

  #start(): Promise<void> {
    const p: Promise<void> = this.#save().finally(() => {
      if (this.#running === p) this.#running = undefined;
    });
    this.#running = p;
    return p;
  }
}
