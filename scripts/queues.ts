/**
 * The Cloudflare Queues an environment's Worker needs: every queue wrangler.toml's
 * `[[queues.producers]]` send to and `[[queues.consumers]]` read (dead-letter queues included),
 * for the top-level environment or `[env.<name>]` (queues are not inherited by environments).
 * `wrangler deploy` refuses to upload a Worker while any of them is missing, so `npm run setup`
 * creates them first.
 */
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { WranglerFailed, type WranglerOptions, wranglerText } from "./wrangler.ts";

interface QueuesConfig {
  producers?: { queue?: unknown }[];
  consumers?: { queue?: unknown; dead_letter_queue?: unknown }[];
}

/** The queue names of an environment, in the order wrangler.toml gives them, each once. */
export function queueNames(toml: string, env: string | undefined): string[] {
  const config = parse(toml) as { queues?: QueuesConfig; env?: Record<string, { queues?: QueuesConfig }> };
  const queues = env ? config.env?.[env]?.queues : config.queues;
  const names = [
    ...(queues?.producers ?? []).map((p) => p.queue),
    ...(queues?.consumers ?? []).flatMap((c) => [c.queue, c.dead_letter_queue]),
  ];
  return [...new Set(names.filter((n): n is string => typeof n === "string" && n !== ""))];
}

export const queueNamesOf = (env: string | undefined, path = "wrangler.toml"): string[] =>
  queueNames(readFileSync(path, "utf8"), env);

/**
 * Creates each queue that does not exist yet; says which were created and which were there.
 * Creating first (one call per queue on a first setup) and asking `wrangler queues info` only when
 * that fails: a queue that exists is fine, any other failure is reported with wrangler's output.
 * @throws {WranglerFailed}
 */
export function ensureQueues(names: string[], options: WranglerOptions): { created: string[]; existing: string[] } {
  const created: string[] = [];
  const existing: string[] = [];
  for (const name of names) {
    try {
      wranglerText(["queues", "create", name], options);
      created.push(name);
    } catch (error) {
      if (!(error instanceof WranglerFailed) || !queueExists(name, options)) throw error;
      existing.push(name);
    }
  }
  return { created, existing };
}

function queueExists(name: string, options: WranglerOptions): boolean {
  try {
    return wranglerText(["queues", "info", name], options).includes(`Queue Name: ${name}`);
  } catch {
    return false;
  }
}
