/**
 * `wrangler dev` as a user runs it, on a free port (never 8787, which others may be using), with
 * its local state seeded the way `npm start` seeds it (`wrangler kv bulk put --local`,
 * `wrangler d1 migrations apply --local`) but into a directory the bench owns.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { run } from "../scripts/local-data.ts";
import { waitFor200 } from "./miniflare-worker.ts";

const quietEnv = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };

/** A port the OS says is free right now (bound to 127.0.0.1, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port && port !== 8787 ? resolvePort(port) : freePort().then(resolvePort, reject)));
    });
  });
}

/** Loads dist/kv/*.json into local KV and migrates local D1, both under `persistDir`. */
export function seedLocalState(persistDir: string, kvDir: string): void {
  for (const file of readdirSync(kvDir)
    .filter((f) => f.endsWith(".json"))
    .sort())
    run(
      "wrangler",
      ["kv", "bulk", "put", join(kvDir, file), "--binding", "CONTENT", "--local", "--persist-to", persistDir],
      {
        quiet: true,
      },
    );
  run("wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir], { quiet: true });
}

/** A running `wrangler dev` and how to stop it. */
export interface DevServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts `wrangler dev` (config `configPath`) on a free port and waits until `path` answers 200. */
export async function startWranglerDev(options: {
  configPath: string;
  persistDir?: string;
  path: string;
  vars?: Record<string, string>;
}): Promise<DevServer> {
  const port = await freePort();
  const inspector = await freePort();
  const args = [
    "dev",
    "--config",
    options.configPath,
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspector),
    "--show-interactive-dev-session=false",
    "--log-level",
    "warn",
    ...(options.persistDir ? ["--persist-to", options.persistDir] : []),
    ...Object.entries(options.vars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  // Own process group, so stopping it also stops the workerd it starts (and nothing else).
  const child = spawn("wrangler", args, { env: quietEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const server: DevServer = { url, stop: () => stopGroup(child) };
  try {
    await waitFor200(`${url}${options.path}`, 90_000);
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\nwrangler dev said:\n${output.slice(-2000)}`);
  }
  return server;
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {}
  }, 5000);
  await exited;
  clearTimeout(timer);
}
