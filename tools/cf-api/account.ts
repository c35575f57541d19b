/** Who is calling: the token, the user and the one account it reaches (`wrangler whoami`, account look-ups). */
import type { Hono } from "hono";
import { ok } from "./errors.ts";
import type { Api } from "./server.ts";
import { ACCOUNT_ID, ACCOUNT_NAME, SUBDOMAIN } from "./state.ts";

const account = { id: ACCOUNT_ID, name: ACCOUNT_NAME };
const onePage = { page: 1, per_page: 50, count: 1, total_count: 1 };

export function accountRoutes(app: Hono, _api: Api): void {
  app.get("/user/tokens/verify", (c) => ok(c, { id: "emulator-token", status: "active" }));
  app.get("/user", (c) => ok(c, { id: "emulator-user", email: "deployer@example.com" }));
  app.get("/accounts", (c) => ok(c, [account], onePage));
  app.get("/memberships", (c) => ok(c, [{ id: "emulator-membership", status: "accepted", account }], onePage));
  app.get("/accounts/:account/workers/subdomain", (c) => ok(c, { subdomain: SUBDOMAIN }));
}
