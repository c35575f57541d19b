/**
 * The comment POST's decision without HTTP (src/comments/submit.ts): real local D1, the real
 * rate limiter binding; only the commenter cookie is a recorded stand-in (it belongs to the route).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { CommentConfig } from "../../../src/comments/config.ts";
import type { CommentInput } from "../../../src/comments/input.ts";
import { decideComment, type Services, type Submission } from "../../../src/comments/submit.ts";
import { type Message, strings } from "../../../src/i18n/index.ts";
import { brokenDb, freshIp, marker } from "../helpers.ts";

/** A message as an English reader gets it. */
const said = (pattern: RegExp) => expect.toSatisfy((m: Message) => pattern.test(m(strings("en"))));

const config: CommentConfig = {
  moderation: "publish",
  salt: "test-salt",
  adminToken: null,
  turnstileSecret: null,
  turnstileSiteKey: null,
  editWindowMs: 15 * 60_000,
};

function submission(input: Partial<CommentInput>, more: Partial<Submission> = {}): Submission {
  const full = { name: "Ann", body: "hello", parent: "", token: "", website: "", turnstile: "", ...input };
  const bytes = new TextEncoder().encode(JSON.stringify(full));
  const raw = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return {
    slug: marker("decide"),
    json: true,
    input: full,
    raw,
    contentType: "application/json",
    idempotencyKey: undefined,
    ip: freshIp(),
    viewerHash: null,
    ...more,
  };
}

/** Services on the real D1, counting the cookies the decision asks for. */
function services(overrides: Partial<Services> = {}) {
  const issued: string[] = [];
  const s: Services = {
    db: env.DB,
    limiter: env.COMMENT_RATE_LIMITER,
    config,
    issueAuthor: async () => {
      issued.push("a".repeat(64));
      return "a".repeat(64);
    },
    ...overrides,
  };
  return { s, issued };
}

describe("decideComment", () => {
  it("refuses bad input with field messages before it touches D1 or issues a cookie", async () => {
    const { s, issued } = services({ db: brokenDb as unknown as D1Database });
    const decision = await decideComment(submission({ name: "", body: " ", website: "x" }), s);
    expect(decision).toMatchObject({ kind: "refused", status: 422, clear: [] });
    expect(decision.kind === "refused" && Object.keys(decision.errors).sort()).toEqual(["body", "form", "name"]);
    expect(issued).toHaveLength(0);
  });

  it("without a salt nothing is stored: unavailable for an hour", async () => {
    const { s } = services({ config: { ...config, salt: null } });
    expect(await decideComment(submission({}), s)).toMatchObject({ kind: "unavailable", retryAfter: 3600 });
  });

  it("stores once; the same Idempotency-Key and text is replayed without a new cookie, other text is refused", async () => {
    const { s, issued } = services();
    const first = submission({ body: "once" }, { idempotencyKey: "key-1" });
    const created = await decideComment(first, s);
    expect(created).toMatchObject({ kind: "created", comment: { body: "once", status: "published" } });
    const again = await decideComment(first, s);
    expect(again).toMatchObject({ kind: "replayed" });
    expect(again.kind === "replayed" && created.kind === "created" && again.comment.id).toBe(
      created.kind === "created" && created.comment.id,
    );
    expect(issued).toHaveLength(1);
    const other = await decideComment({ ...first, input: { ...first.input, body: "different" } }, s);
    expect(other).toMatchObject({
      kind: "refused",
      status: 422,
      errors: { form: said(/already used/) },
    });
    expect(await decideComment({ ...first, idempotencyKey: "a b" }, s)).toMatchObject({ kind: "refused", status: 400 });
  });

  it("a reply to no visible comment is refused with the parent cleared", async () => {
    const { s } = services();
    expect(await decideComment(submission({ parent: "999999999" }), s)).toMatchObject({
      kind: "refused",
      status: 422,
      clear: ["parent"],
      errors: { parent: said(/not available/) },
    });
  });

  it("D1 failing while storing is unavailable (30 s), not an exception", async () => {
    const { s } = services({ db: brokenDb as unknown as D1Database });
    expect(await decideComment(submission({}, { idempotencyKey: "k" }), s)).toMatchObject({
      kind: "unavailable",
      retryAfter: 30,
      message: said(/could not be saved/),
    });
  });
});
