import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Message } from "../i18n/index.ts";

/**
 * A refusal thrown from deep in a request (a bad `?comments=` cursor, a cross-site form): answered
 * by `app.onError` as an error page or JSON with its message in the request's language.
 */
export class Refused extends HTTPException {
  readonly says: Message;
  constructor(status: ContentfulStatusCode, says: Message) {
    super(status);
    this.says = says;
  }
}
