import { memoByEnv } from "../lib/env-memo.ts";

/** How comments behave on this deployment: `[vars]` in wrangler.toml plus optional secrets. */
export type ModerationMode = "publish" | "hold-links" | "hold-all";

export interface CommentConfig {
  /** publish at once, hold comments with links (default, the WordPress rule), or hold everything. */
  moderation: ModerationMode;
  /** Secret salt for IP hashes and the commenter cookie; without it comments cannot be written. */
  salt: string | null;
  /** The admin secret; without it /admin does not exist. */
  adminToken: string | null;
  /**
   * Turnstile: with the secret set every comment needs a valid answer, verified server-side; a
   * failed or impossible check (no site key, verifier unreachable) refuses the comment (fails closed).
   */
  turnstileSecret: string | null;
  /** The public site key the form's widget needs (a var, not a secret). */
  turnstileSiteKey: string | null;
  /** How long after posting a commenter may edit or delete their comment (COMMENT_EDIT_MINUTES, default 15; 0: never). */
  editWindowMs: number;
}

const MODES: readonly ModerationMode[] = ["publish", "hold-links", "hold-all"];

/** A string binding by name, or null when unset or empty (secrets are absent, not typed, when unset). */
function optionalString(env: Env, name: string): string | null {
  const value: unknown = Reflect.get(env, name);
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

/** COMMENT_EDIT_MINUTES as a whole number of minutes from 0 to a day; anything else is the default, 15. */
function editMinutes(value: string | null): number {
  const minutes = value === null ? Number.NaN : Number(value);
  return Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440 ? minutes : 15;
}

/** The comment settings of an environment (computed once per environment, see `memoByEnv`). */
export const commentConfig: (env: Env) => CommentConfig = memoByEnv((env) => {
  const mode = optionalString(env, "COMMENT_MODERATION");
  return {
    moderation: MODES.find((m) => m === mode) ?? "hold-links",
    salt: optionalString(env, "IP_HASH_SALT"),
    adminToken: optionalString(env, "ADMIN_TOKEN"),
    turnstileSecret: optionalString(env, "TURNSTILE_SECRET"),
    turnstileSiteKey: optionalString(env, "TURNSTILE_SITE_KEY"),
    editWindowMs: editMinutes(optionalString(env, "COMMENT_EDIT_MINUTES")) * 60_000,
  };
});
