/**
 * What the local tooling (npm start, the browser tests' servers, the benches) needs to run
 * wrangler and the servers it starts: their environment, a free port, and a clean stop.
 */
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** The environment for wrangler: no `Request.cf` fetch (there may be no internet) and no metrics. */
export const wranglerEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
});

/** A TCP port nobody listens on right now (the OS picks it), never 8787, which `npm start` uses. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => {
        if (port === 0) reject(new Error("the OS gave no port"));
        else if (port === 8787) freePort().then(resolve, reject);
        else resolve(port);
      });
    });
  });
}

/**
 * Stops a child started with `detached: true` (its own process group), so the workerd that
 * wrangler started goes with it and nothing else does: SIGTERM to the group, SIGKILL after
 * `graceMs`. Resolves once the child has exited.
 */
export async function stopGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return; // already gone
  }
  const timer = setTimeout(() => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }, graceMs);
  await exited;
  clearTimeout(timer);
}
