/**
 * The blog as `npm start` serves it (the real Worker on workerd through `wrangler dev`, local KV
 * and D1), for browser tests and benches: on a free port, with its own throw-away state so it
 * never touches `.wrangler/state` or another running copy.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadBuild, migrateLocalDatabase, openLocalStores, run } from "./local-data.ts";
import { freePort, stopGroup, wranglerEnv } from "./processes.ts";

export interface LocalWorker {
  /** Base URL without a trailing slash, e.g. http://localhost:40123. */
  url: string;
  /** Stops `wrangler dev` (and workerd under it) and deletes the temporary state. */
  stop: () => Promise<void>;
}

export interface LocalWorkerOptions {
  /** Include drafts, as `npm start` does. Default: a production build (what readers get). */
  drafts?: boolean;
  /** Milliseconds to wait for the first page. */
  timeoutMs?: number;
  /**
   * Vars and secrets for the Worker (`wrangler dev --var NAME:value`), e.g. `{ ADMIN_TOKEN: "..." }`
   * to turn on /admin. IP_HASH_SALT is always set (random per run) so comments can be stored.
   */
  vars?: Record<string, string>;
}

async function waitUntilServing(url: string, dev: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dev.exitCode !== null) throw new Error(`wrangler dev exited with code ${dev.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the blog did not answer on ${url} within ${timeoutMs} ms:\n${log()}`);
}

/**
 * Builds the content, loads it into a fresh local KV, migrates a fresh local D1 (and loads the
 * search documents) and starts
 * `wrangler dev` on a free port, resolving once the home page answers 200. `SITE_URL` is set to
 * the real address so canonical and social-image URLs point at this server; a fresh random
 * IP_HASH_SALT lets comments be stored, as `npm start` does with its local salt.
 * Needs node_modules/.bin on PATH (npm scripts and `npx` put it there).
 */
export async function startLocalWorker(options: LocalWorkerOptions = {}): Promise<LocalWorker> {
  const state = await mkdtemp(join(tmpdir(), "our-kpop-state-"));
  const persist = ["--persist-to", state];
  run("node", ["pipeline/build.ts", ...(options.drafts ? ["--drafts"] : [])], { quiet: true });
  // As npm start loads it (into this server's own state): KV entries and search documents.
  await migrateLocalDatabase(state);
  const stores = await openLocalStores({ persistTo: state });
  try {
    await loadBuild(stores, { writeModules: false });
  } finally {
    await stores.dispose();
  }

  const [port, inspectorPort] = [await freePort(), await freePort()];
  const url = `http://localhost:${port}`;
  const vars = { IP_HASH_SALT: randomBytes(32).toString("base64url"), ...options.vars, SITE_URL: url };
  const dev = spawn(
    "wrangler",
    [
      "dev",
      ...["--ip", "localhost", "--port", String(port), "--inspector-port", String(inspectorPort)],
      ...persist,
      ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
      ...["--show-interactive-dev-session=false", "--log-level", "warn"],
    ],
    {
      // Its own process group, so stop() ends wrangler and the workerd it started, and nothing else.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: wranglerEnv(),
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  dev.stdout?.on("data", keep);
  dev.stderr?.on("data", keep);

  const stop = async () => {
    await stopGroup(dev);
    await rm(state, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(url, dev, options.timeoutMs ?? 90_000, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
