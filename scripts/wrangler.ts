import { spawnSync } from "node:child_process";

/** How the deploy, rollback, prune and setup scripts talk to Cloudflare: always through `wrangler`. */
export interface WranglerOptions {
  /** `--env <name>` for every call; undefined is the top-level (production) environment. */
  env: string | undefined;
}

/** A wrangler call failed; the message names the command, wrangler already printed why. */
export class WranglerFailed extends Error {
  constructor(args: string[], status: number | null, output = "") {
    super(
      `\`wrangler ${args.join(" ")}\` failed (exit code ${status ?? "none"})${output ? `:\n${output.trim()}` : ""}`,
    );
    this.name = "WranglerFailed";
  }
}

/**
 * Whether a failed call failed because the Worker does not exist (Cloudflare's code 10007, which
 * wrangler prints with the error), rather than for any other reason.
 */
export const workerMissing = (error: unknown): boolean =>
  error instanceof WranglerFailed && /\[code: 10007\]/.test(error.message);

/**
 * The arguments of a call as run. The environment is always named, `--env ""` being the top-level
 * (production) one, as wrangler recommends when a config defines several: no call can fall on
 * the wrong environment by omission.
 */
export function withEnv(args: string[], options: WranglerOptions): string[] {
  return [...args, "--env", options.env ?? ""];
}

/** A command line as a person would type it (arguments with spaces or empty ones quoted). */
export function formatCommand(args: string[]): string {
  return ["wrangler", ...args].map((a) => (a === "" || /[\s"'$`\\]/.test(a) ? JSON.stringify(a) : a)).join(" ");
}

const childEnv = (): NodeJS.ProcessEnv => ({ ...process.env, WRANGLER_SEND_METRICS: "false" });

/**
 * How long one wrangler call may take before it is stopped: WRANGLER_TIMEOUT_SECONDS, 10 minutes
 * by default. Wrangler itself waits up to 5 minutes for an API answer and retries some requests
 * three times, so an API that stops answering would otherwise hold a deploy (and a CI job) for
 * a quarter of an hour before anyone is told.
 */
export function callTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.WRANGLER_TIMEOUT_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 600_000;
}

/** The error of a call that ran out of time, or undefined. */
function timedOut(args: string[], result: { error?: Error; signal?: NodeJS.Signals | null }): Error | undefined {
  if ((result.error as NodeJS.ErrnoException | undefined)?.code !== "ETIMEDOUT") return undefined;
  return new WranglerFailed(
    args,
    null,
    `stopped after ${callTimeoutMs() / 1000} s without an answer (WRANGLER_TIMEOUT_SECONDS sets the limit). ` +
      "The Cloudflare API may be slow or unreachable: try again in a few minutes.",
  );
}

/**
 * Runs `wrangler` (the one npm puts on PATH) with its output shown to the user, for the steps that
 * change something and may ask a question (d1 migrations apply asks before applying when a person
 * is at the terminal; CI answers yes by itself).
 * @throws {WranglerFailed}
 */
export function runWrangler(args: string[], options: WranglerOptions, input?: string): void {
  const full = withEnv(args, options);
  const result = spawnSync("wrangler", full, {
    // `input` (secrets) goes through a pipe, never a file or the command line.
    stdio: [input === undefined ? "inherit" : "pipe", "inherit", "inherit"],
    ...(input !== undefined && { input }),
    env: childEnv(),
    timeout: callTimeoutMs(),
  });
  const late = timedOut(full, result);
  if (late) throw late;
  if (result.error) throw notFound(result.error);
  if (result.status !== 0) throw new WranglerFailed(full, result.status);
}

/**
 * Runs a read-only `wrangler` command that prints JSON (`kv key list`, `kv bulk get`,
 * `deployments list --json`, `versions view --json`) and parses what it printed.
 * @throws {WranglerFailed} when wrangler fails or prints something that is not JSON.
 */
export function wranglerJson<T>(args: string[], options: WranglerOptions): T {
  const stdout = wranglerText(args, options);
  try {
    return parseJsonOutput<T>(stdout);
  } catch {
    throw new WranglerFailed(withEnv(args, options), 0, `expected JSON, got:\n${stdout.slice(0, 500)}`);
  }
}

/**
 * Runs a `wrangler` command with its output captured, not shown (`queues create`, whose failure
 * setup checks before anyone needs to see it), and returns what it printed on stdout.
 * @throws {WranglerFailed} with wrangler's output when the command fails.
 */
export function wranglerText(args: string[], options: WranglerOptions): string {
  const full = withEnv(args, options);
  const result = spawnSync("wrangler", full, {
    stdio: ["ignore", "pipe", "pipe"],
    env: childEnv(),
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
    timeout: callTimeoutMs(),
  });
  const late = timedOut(full, result);
  if (late) throw late;
  if (result.error) throw notFound(result.error);
  if (result.status !== 0) throw new WranglerFailed(full, result.status, `${result.stderr}${result.stdout}`);
  return result.stdout;
}

/**
 * Wrangler prints JSON alone for these commands, but a notice line (an update hint, a warning sent
 * to stdout by an older version) must not break a deploy: parse from the first line that opens JSON.
 */
export function parseJsonOutput<T>(stdout: string): T {
  try {
    return JSON.parse(stdout) as T;
  } catch (error) {
    const start = stdout.search(/^[[{]/m);
    if (start < 0) throw error;
    return JSON.parse(stdout.slice(start)) as T;
  }
}

function notFound(error: Error): Error {
  return new Error(
    `could not run wrangler (${error.message}). Run this through npm (npm run deploy, npm run rollback, ...) so that node_modules/.bin is on PATH.`,
  );
}
