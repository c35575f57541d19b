/**
 * D1 global read replication, turned on for the environment's database by `npm run setup`. The
 * Worker already reads through the Sessions API (src/comments/store/sessions.ts), but "To use read
 * replication ... otherwise all queries will continue to be executed only by the primary
 * database" (D1 docs, "Global read replication"): a database is created with it off, and only
 * then does a reader far from the primary pay one round trip to the nearest replica instead
 * (docs/regions.md). Wrangler has no command for it, so this calls the API's "Update D1 Database"
 * (`PUT /accounts/:account/d1/database/:id` with `read_replication.mode = "auto"`) with wrangler's
 * own credentials (`wrangler auth token --json`) and API address (CLOUDFLARE_API_BASE_URL, as
 * wrangler reads it).
 */
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { type WranglerOptions, wranglerJson } from "./wrangler.ts";

const DEFAULT_API = "https://api.cloudflare.com/client/v4";

/** The D1 database bound as `DB` in an environment of wrangler.toml (environments do not inherit it). */
export function databaseNameOf(toml: string, env: string | undefined): string | undefined {
  type D1 = { d1_databases?: { binding?: unknown; database_name?: unknown }[] };
  const config = parse(toml) as D1 & { env?: Record<string, D1> };
  const databases = (env ? config.env?.[env] : config)?.d1_databases ?? [];
  const name = databases.find((d) => d.binding === "DB")?.database_name;
  return typeof name === "string" ? name : undefined;
}

/** What the API calls need: where, as whom, in which account. */
export interface ApiAccess {
  base: string;
  headers: Record<string, string>;
  accountId: string;
}

type Token = { type: "api_token" | "oauth"; token: string } | { type: "api_key"; key: string; email: string };
type WhoAmI = { accounts?: { id: string; name: string }[] };

/**
 * Wrangler's credentials and account: CLOUDFLARE_ACCOUNT_ID, else the only account the login
 * reaches. Null with the reason when it cannot tell (several accounts and no CLOUDFLARE_ACCOUNT_ID).
 * @throws {WranglerFailed}
 */
export function apiAccess(options: WranglerOptions, env = process.env): ApiAccess | string {
  const token = wranglerJson<Token>(["auth", "token", "--json"], options);
  const headers: Record<string, string> =
    token.type === "api_key"
      ? { "X-Auth-Key": token.key, "X-Auth-Email": token.email }
      : { Authorization: `Bearer ${token.token}` };
  let accountId = env.CLOUDFLARE_ACCOUNT_ID;
  if (!accountId) {
    const accounts = wranglerJson<WhoAmI>(["whoami", "--json"], options).accounts ?? [];
    if (accounts.length !== 1)
      return `the login reaches ${accounts.length} accounts: set CLOUDFLARE_ACCOUNT_ID to the blog's`;
    accountId = accounts[0]?.id ?? "";
  }
  return { base: (env.CLOUDFLARE_API_BASE_URL ?? DEFAULT_API).replace(/\/+$/, ""), headers, accountId };
}

interface Envelope<T> {
  success: boolean;
  errors?: { code: number; message: string }[];
  result: T;
}
type Database = { uuid: string; name: string; read_replication?: { mode?: string } };

async function call<T>(access: ApiAccess, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${access.base}/accounts/${access.accountId}${path}`, {
    method,
    headers: { ...access.headers, ...(body !== undefined && { "Content-Type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const envelope = (await res.json().catch(() => null)) as Envelope<T> | null;
  if (!res.ok || !envelope?.success) {
    const why = envelope?.errors?.map((e) => `${e.message} [code ${e.code}]`).join("; ") ?? `HTTP ${res.status}`;
    throw new Error(`${method} ${path}: ${why}`);
  }
  return envelope.result;
}

/**
 * Turns read replication on (`auto`) for the database named `name`, unless it is on already.
 * @throws {Error} naming the API call and Cloudflare's message when the database is missing or a call fails.
 */
export async function ensureReadReplication(name: string, access: ApiAccess): Promise<"on" | "turned on"> {
  const found = await call<Database[]>(access, "GET", `/d1/database?name=${encodeURIComponent(name)}`);
  const db = found.find((d) => d.name === name);
  if (!db) throw new Error(`no D1 database named ${name}`);
  if (db.read_replication?.mode === "auto") return "on";
  await call<Database>(access, "PUT", `/d1/database/${db.uuid}`, { read_replication: { mode: "auto" } });
  return "turned on";
}

export const databaseNameFor = (env: string | undefined, path = "wrangler.toml") =>
  databaseNameOf(readFileSync(path, "utf8"), env);
