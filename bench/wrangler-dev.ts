/**
 * `wrangler dev` as a user runs it, on a free port (never 8787, which others may be using), with
 * its local state seeded the way `npm start` seeds it (`wrangler kv bulk put --local`,
 * `wrangler d1 migrations apply --local`) but into a directory the bench owns.
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { run } from "../scripts/local-data.ts";
import { freePort, stopGroup, wranglerEnv } from "../scripts/processes.ts";
import { waitFor200 } from "./miniflare-worker.ts";

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
  const child = spawn("wrangler", args, { env: wranglerEnv(), detached: true, stdio: ["ignore", "pipe", "pipe"] });
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
