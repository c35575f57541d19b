import type { Message } from "../i18n/index.ts";

/** What a reader is told when a dependency fails: the 503's message and its `Retry-After` seconds. */
export interface Notice {
  message: Message;
  retryAfter: number;
}

/** How an area answers a dependency failure in place of the error's own notice (the admin's). */
export interface AreaNotice extends Notice {
  /** Answered as JSON whatever the client accepts (an API whose clients may send no Accept). */
  json: boolean;
}

/**
 * A dependency the request needs (KV, D1) failed: unreachable, overloaded, timed out, or holding
 * nothing where a release must be. The reader gets a 503 with `Retry-After` and a message in their
 * words, never a 500 or a stack trace. Each store throws its own kind, carrying what its readers
 * are told; `app.onError` (src/index.ts) answers them all. `message` and `cause` are for the log.
 */
export class Unavailable extends Error {
  override name = "Unavailable";
  readonly status = 503;
  /** What the reader is told. */
  readonly notice: Notice;
  constructor(message: string, notice: Notice, options?: ErrorOptions) {
    super(message, options);
    this.notice = notice;
  }
}
