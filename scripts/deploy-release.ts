import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { releaseKey } from "../src/articles/record.ts";
import { liveRelease } from "./release-history.ts";
import { releaseLabelArgs } from "./release-label.ts";
import { bulkPutArgs, listRemoteKeys, MAX_VALUE_BYTES, uploadBatches, writeUploadFiles } from "./remote-kv.ts";
import { remoteLoadArgs, remoteSearchLoad, remoteStateArgs } from "./search-load.ts";
import { formatCommand, runWrangler, type WranglerOptions, withEnv } from "./wrangler.ts";

export interface DeployOptions extends WranglerOptions {
  /** Show what would run: build and read the remote key list, change nothing. */
  dryRun: boolean;
  migrationsDir?: string;
  log?: (line: string) => void;
}

/** What the production build wrote: the release id and its KV entries. */
export interface BuiltRelease {
  id: string;
  posts: number;
  entries: Map<string, string>;
}

const BUILD_CLI = resolve(import.meta.dirname, "..", "pipeline", "build.ts");
const OUT_DIR = "dist";

/**
 * Runs the production build exactly as `npm run build` does (content, drafts left out, and the
 * static assets `[assets]` uploads with the Worker), then reads back what it wrote.
 * @throws {Error} when the build fails; it has printed every mistake with file and field.
 */
export function buildRelease(): BuiltRelease {
  const result = spawnSync(process.execPath, [BUILD_CLI, "--out", OUT_DIR], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("the build failed: its messages are above");
  const manifest = JSON.parse(readFileSync(join(OUT_DIR, "manifest.json"), "utf8")) as {
    release: string;
    posts: unknown[];
  };
  const entries = new Map<string, string>();
  const kvDir = join(OUT_DIR, "kv");
  for (const file of readdirSync(kvDir).sort()) {
    for (const { key, value } of JSON.parse(readFileSync(join(kvDir, file), "utf8")) as {
      key: string;
      value: string;
    }[])
      entries.set(key, value);
  }
  return { id: manifest.release, posts: manifest.posts.length, entries };
}

/** A step failed; `step` says which, and nothing after it ran. */
export class DeployStopped extends Error {
  readonly step: string;
  /**
   * For a failed switch, whether the new release went live all the same: `wrangler deploy` deploys
   * the version first and then updates the triggers (cron, queue consumers), and fails if those
   * fail. Undefined when it could not be told (or another step failed: then it did not).
   */
  switched: boolean | undefined;
  constructor(step: string, cause: unknown) {
    super(describe(cause), { cause });
    this.name = "DeployStopped";
    this.step = step;
  }
}

/** What readers get after a stopped deploy, as Cloudflare says (a failed switch may have switched). */
export function afterStop(error: DeployStopped): string {
  const again = "Fix the problem and run the deploy again.";
  const unused = "entries already uploaded are unused until a deploy succeeds";
  if (error.switched)
    return (
      "The Worker WAS switched: readers get the new release. `wrangler deploy` failed after that, while " +
      `updating the Worker's triggers (cron schedule, queue consumers: see its error above). ${again} ` +
      "It uploads nothing new and finishes the triggers."
    );
  if (error.step === "switch" && error.switched === undefined)
    return `Cloudflare could not be asked whether the new release went live: \`npm run rollback -- --list\` shows what is live; ${unused}. ${again}`;
  const kept =
    error.step === "switch"
      ? "`wrangler deploy` did not complete, so Cloudflare kept the Worker that was live."
      : "The Worker was not switched.";
  return `${kept} Readers still get the release that was live before; ${unused}. ${again}`;
}

/** A content build reports every mistake at once (AggregateError); show them all. */
function describe(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map((e: Error) => e.message).join("\n");
  return error instanceof Error ? error.message : String(error);
}

const STEPS = ["build", "upload", "migrate", "search", "switch"] as const;

/**
 * `npm run deploy`: build (no drafts) -> upload the KV entries the remote namespace lacks ->
 * apply pending D1 migrations -> load the search documents D1 lacks and the release's memberships
 * (dist/search, scripts/search-load.ts) -> `wrangler deploy` the Worker that carries the new release id.
 *
 * Readers switch only at the last step: every entry is content-addressed, so uploading never
 * changes a value the live Worker reads, and the new release's index is uploaded after everything
 * it points to. A failure at any step throws `DeployStopped` before the Worker switch.
 * @returns the release id that is now live (or would be, in a dry run).
 */
export async function deployRelease(options: DeployOptions): Promise<string> {
  const log = options.log ?? console.log;
  const migrationsDir = options.migrationsDir ?? "migrations";
  const would = (args: string[]) => log(`      would run: ${formatCommand(withEnv(args, options))}`);
  let step: (typeof STEPS)[number] = "build";
  let releaseId: string | undefined;
  const heading = (name: (typeof STEPS)[number], text: string) => {
    step = name;
    log(`[${STEPS.indexOf(name) + 1}/${STEPS.length}] ${name}: ${text}`);
  };

  try {
    heading("build", "content/ -> KV entries (drafts left out), assets/ -> dist/public");
    const release = buildRelease();
    releaseId = release.id;
    for (const [key, value] of release.entries) {
      if (Buffer.byteLength(value) > MAX_VALUE_BYTES)
        throw new Error(`${key} is ${Buffer.byteLength(value)} bytes: a KV value may be at most 25 MiB`);
    }
    log(`      release ${release.id}: ${release.posts} posts, ${release.entries.size} KV entries`);

    heading("upload", "entries the remote KV namespace does not hold yet");
    let existing: Set<string>;
    try {
      existing = listRemoteKeys(options);
    } catch (error) {
      throw new Error(
        `${(error as Error).message}\nIf this environment was never deployed, run \`npm run setup${
          options.env ? ` -- --env ${options.env}` : ""
        }\` first: it provisions the KV namespace and the D1 database.`,
      );
    }
    // KV listings are eventually consistent: a key written in the last minute may be missing from
    // the list and be uploaded again, which is harmless (same key, same value).
    const index = releaseKey(release.id);
    // The index goes last: whatever happens, no uploaded index points at a missing entry.
    const fresh = [...release.entries]
      .filter(([key]) => !existing.has(key))
      .sort(([a], [b]) => Number(a === index) - Number(b === index))
      .map(([key, value]) => ({ key, value }));
    const files = await writeUploadFiles(join(OUT_DIR, "upload"), uploadBatches(fresh));
    log(
      `      ${fresh.length} new of ${release.entries.size} (${release.entries.size - fresh.length} already there), ${files.length} file(s)`,
    );
    for (const file of files) {
      if (options.dryRun) would(bulkPutArgs(file));
      else runWrangler(bulkPutArgs(file), options);
    }

    const migrations = listMigrations(migrationsDir);
    heading("migrate", migrations.length ? "apply pending D1 migrations" : `no migrations in ${migrationsDir}/`);
    const migrate = ["d1", "migrations", "apply", "DB", "--remote"];
    if (migrations.length === 0) {
      // Nothing to apply: wrangler would fail on a missing folder.
    } else if (options.dryRun) would(migrate);
    else runWrangler(migrate, options);

    // Memberships are per release: the live Worker keeps finding its own until the switch.
    heading(
      "search",
      migrations.length ? "load the search documents D1 does not hold yet" : "no search table (no migrations)",
    );
    const loadFile = join(OUT_DIR, "search-load.sql");
    if (migrations.length === 0) {
      // Without the migrations there is no search table to load.
    } else if (options.dryRun) {
      // The tables may not exist before the migrations run: only say what would be asked.
      would(remoteStateArgs());
      would(remoteLoadArgs(loadFile));
    } else {
      const load = await remoteSearchLoad(options, join(OUT_DIR, "search"), loadFile);
      log(
        `      ${load.added} new of ${load.docs} documents (${load.docs - load.added} already there)` +
          `${load.memberships ? "" : "; this release was loaded before"}, ${load.statements.length} statements`,
      );
      runWrangler(remoteLoadArgs(loadFile), options);
    }

    heading("switch", `deploy the Worker that serves release ${release.id}`);
    const deploy = ["deploy", ...releaseLabelArgs(release.id)];
    if (options.dryRun) would(deploy);
    else runWrangler(deploy, options);
    return release.id;
  } catch (error) {
    const stopped = new DeployStopped(step, error);
    // `heading` moves `step` on, which TypeScript cannot see from here.
    if (stopped.step === "switch" && !options.dryRun) {
      const live = liveRelease(options);
      stopped.switched = live === undefined ? undefined : live === releaseId;
    }
    throw stopped;
  }
}

function listMigrations(dir: string): string[] {
  try {
    return readdirSync(dir).filter((file) => file.endsWith(".sql"));
  } catch {
    return [];
  }
}
