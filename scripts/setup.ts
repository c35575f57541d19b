/**
 * `npm run setup [-- --env staging] [--dry-run]`: the first deploy of an environment, from a
 * clone and a Cloudflare login to a live blog.
 *
 * 1. Checks that wrangler is logged in (`wrangler login`, or CLOUDFLARE_API_TOKEN in CI).
 * 2. Creates the queues wrangler.toml names for the environment (the notifications' queue and its
 *    dead-letter queue) that do not exist yet: `wrangler deploy` refuses a Worker whose queues are missing.
 * 3. When the Worker was never deployed, deploys it once with no content: wrangler's automatic
 *    resource provisioning creates the KV namespace and the D1 database the bindings name
 *    (wrangler.toml leaves their ids out on purpose; later commands find them through the Worker).
 * 4. Turns on D1's global read replication for the database (scripts/read-replication.ts): readers
 *    far from the primary then read comments at the nearest replica. A failure here is a warning.
 * 5. Sets the secrets the Worker does not have yet: ADMIN_TOKEN and IP_HASH_SALT (taken from the
 *    environment variables of the same name, or generated), TURNSTILE_SECRET when that variable is set.
 * 6. Runs the normal deploy (`npm run deploy`).
 *
 * Safe to run again: each step skips what already exists.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { afterStop, buildRelease, DeployStopped, deployRelease } from "./deploy-release.ts";
import { ensureQueues, queueNamesOf } from "./queues.ts";
import { apiAccess, databaseNameFor, ensureReadReplication } from "./read-replication.ts";
import { NO_RELEASE, releaseLabelArgs } from "./release-label.ts";
import { formatCommand, runWrangler, withEnv, workerMissing, wranglerJson } from "./wrangler.ts";

const { values } = parseArgs({
  options: {
    env: { type: "string", short: "e" },
    "dry-run": { type: "boolean", default: false },
  },
});
const options = { env: values.env };
const dryRun = values["dry-run"];
const envFlag = values.env ? ` -- --env ${values.env}` : "";

function fail(message: string): never {
  console.error(`✘ setup stopped: ${message}`);
  process.exit(1);
}

function step(args: string[], input?: string): void {
  if (dryRun) console.log(`      would run: ${formatCommand(withEnv(args, options))}`);
  else runWrangler(args, options, input);
}

console.log("[1/6] login");
try {
  runWrangler(["whoami"], options);
} catch {
  fail("wrangler is not logged in. Run `npx wrangler login` (or set CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID).");
}

let deployed = false;
try {
  deployed = wranglerJson<unknown[]>(["deployments", "list", "--json"], options).length > 0;
} catch (error) {
  // Only a Worker that does not exist yet may get the first deploy: deploying the no-content
  // version over a live Worker because the listing failed would take the blog offline.
  if (!workerMissing(error))
    fail(`could not tell whether the Worker is deployed, so nothing was changed.\n${(error as Error).message}`);
}
const queues = queueNamesOf(values.env);
console.log(`[2/6] queues: ${queues.length ? queues.join(", ") : "none in wrangler.toml"}`);
if (dryRun) {
  const create = (name: string) => formatCommand(withEnv(["queues", "create", name], options));
  for (const name of queues) console.log(`      would run (unless it exists): ${create(name)}`);
} else if (queues.length) {
  try {
    const { created, existing } = ensureQueues(queues, options);
    const said = [
      created.length && `created ${created.join(", ")}`,
      existing.length && `${existing.join(", ")} already there`,
    ];
    console.log(`      ${said.filter(Boolean).join("; ")}`);
  } catch (error) {
    fail(`could not create the queues.\n${(error as Error).message}`);
  }
}

console.log(`[3/6] provision KV and D1: ${deployed ? "the Worker exists, nothing to do" : "first deploy, no content"}`);
if (!deployed) {
  try {
    // The bundle needs the release and asset modules; the Worker answers 503 until step 4 uploads its content.
    buildRelease();
    step(["deploy", ...releaseLabelArgs(NO_RELEASE)]);
  } catch (error) {
    fail(`${(error as Error).message}\nSee README "Deploy" for what the first deploy needs.`);
  }
}

const database = databaseNameFor(values.env);
console.log(`[4/6] D1 read replication${database ? ` for ${database}` : ""}`);
if (!database) console.log("      no D1 database bound as DB in wrangler.toml: nothing to do");
else if (dryRun)
  console.log(`      would turn it on (PUT /accounts/:account/d1/database/:id, read_replication.mode "auto")`);
else {
  try {
    const access = apiAccess(options);
    if (typeof access === "string") console.log(`      ⚠ not turned on: ${access}`);
    else console.log(`      ${await ensureReadReplication(database, access)}`);
  } catch (error) {
    // The blog works without replicas (every read on the primary): say so and go on.
    console.log(
      `      ⚠ not turned on (${(error as Error).message}).\n` +
        "      Readers far from the database wait longer until it is: turn it on in the dashboard (D1 > the database > Settings) or run setup again.",
    );
  }
}

console.log("[5/6] secrets");
const wanted: Record<string, string | undefined> = {
  ADMIN_TOKEN: process.env.ADMIN_TOKEN,
  IP_HASH_SALT: process.env.IP_HASH_SALT,
  ...(process.env.TURNSTILE_SECRET && { TURNSTILE_SECRET: process.env.TURNSTILE_SECRET }),
};
let present = new Set<string>();
if (deployed || !dryRun) {
  try {
    present = new Set(wranglerJson<{ name: string }[]>(["secret", "list"], options).map((s) => s.name));
  } catch (error) {
    fail((error as Error).message);
  }
}
const secrets: Record<string, string> = {};
const generated: string[] = [];
for (const [name, value] of Object.entries(wanted)) {
  if (present.has(name)) continue;
  if (value) secrets[name] = value;
  else {
    secrets[name] = randomBytes(32).toString("base64url");
    generated.push(name);
  }
}
if (Object.keys(secrets).length === 0) console.log("      all set");
else {
  console.log(`      setting ${Object.keys(secrets).join(", ")}`);
  try {
    step(["secret", "bulk"], JSON.stringify(secrets));
  } catch (error) {
    fail((error as Error).message);
  }
  if (generated.includes("ADMIN_TOKEN") && !dryRun) {
    // Never into a CI log: only a person at a terminal sees the generated token.
    if (process.stdout.isTTY)
      console.log(`      ADMIN_TOKEN (generated; keep it, it is not shown again): ${secrets.ADMIN_TOKEN}`);
    else
      console.log(
        "      ADMIN_TOKEN was generated and not printed: set your own with `npx wrangler secret put ADMIN_TOKEN`",
      );
  }
}

console.log("[6/6] deploy");
try {
  const release = await deployRelease({ env: values.env, dryRun, log: (line) => console.log(`      ${line}`) });
  console.log(
    `✔ ${dryRun ? "dry run done" : `set up; release ${release} is live`}. Next deploys: npm run deploy${envFlag}.\n` +
      '  Pages are cached at the edge only on a custom domain (not on workers.dev): see README "Custom domain".',
  );
} catch (error) {
  if (!(error instanceof DeployStopped)) throw error;
  fail(`deploy step "${error.step}": ${error.message}\n${afterStop(error)}`);
}
