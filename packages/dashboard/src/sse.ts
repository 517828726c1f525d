/** A parser of `text/event-stream` (the server-sent events wire format), fed chunk by chunk. */

/** One server-sent event. */
export interface SseMessage {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

/** Feeds text in; calls `onMessage` per complete event and `onRetry` for `retry:` fields. */
export class SseParser {
  #buffer = '';
  #event = '';
  #data: string[] = [];
  #id: string | undefined;
  readonly #onMessage: (m: SseMessage) => void;
  readonly #onRetry: (ms: number) => void;

  constructor(onMessage: (m: SseMessage) => void, onRetry: (ms: number) => void = () => undefined) {
    this.#onMessage = onMessage;
    this.#onRetry = onRetry;
  }

  /** Parses a chunk of the stream (any split, including inside a line). */
  push(text: string): void {
    this.#buffer += text;
    let nl: number;
    while ((nl = this.#buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.#buffer.slice(0, nl);
      this.#buffer = this.#buffer.slice(nl + (this.#buffer.startsWith('\r\n', nl) ? 2 : 1));
      this.#line(line);
    }
  }

  #line(line: string): void {
    if (line === '') {
      if (this.#data.length > 0) this.#onMessage({ event: this.#event || 'message', data: this.#data.join('\n'), id: this.#id });
      this.#event = '';
      this.#data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.#event = value;
    else if (field === 'data') this.#data.push(value);
    else if (field === 'id') this.#id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.#onRetry(Number(value));
  }
}
