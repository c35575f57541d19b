/** A delivery that did not go through: the queue retries it (src/notify/consumer.ts). */
export class DeliveryFailed extends Error {
  override name = "DeliveryFailed";
  /** Seconds the receiver asked us to wait (a 429's Retry-After), if it said. */
  readonly retryAfter: number | null;
  constructor(message: string, retryAfter: number | null = null, options?: ErrorOptions) {
    super(message, options);
    this.retryAfter = retryAfter;
  }
}
