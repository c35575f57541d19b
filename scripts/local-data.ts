import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Runs a command from node_modules/.bin (npm scripts put it on PATH), failing loudly. */
export function run(command: string, args: string[], options: { quiet?: boolean } = {}): void {
  const result = spawnSync(command, args, {
    stdio: options.quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
  });
  if (result.status !== 0) {
    if (options.quiet) process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
    throw new Error(`${command} ${args.join(" ")} failed with exit code ${result.status}`);
  }
}

/**
 * Builds the content (drafts included for preview) and loads it into the local KV namespace and
 * its search rows into local D1 (migrated first: `migrateLocalDatabase`).
 * The Worker's generated modules (the asset map, then the release) are written last and only
 * when they changed, so a running `wrangler dev` reloads once, onto a release whose entries are
 * already in KV.
 */
export function buildAndLoadContent(extraBuildArgs: string[] = []): void {
  const staged = join("dist", "release.ts");
  run("node", ["pipeline/build.ts", "--drafts", "--release-module", staged, ...extraBuildArgs]);
  for (const file of readdirSync(join("dist", "kv")).sort()) {
    run("wrangler", ["kv", "bulk", "put", join("dist", "kv", file), "--binding", "CONTENT", "--local"], {
      quiet: true,
    });
  }
  // The search rows need the migrated table: start.ts migrates first.
  run("wrangler", ["d1", "execute", "DB", "--local", "--file", join("dist", "search.sql")], { quiet: true });
  mkdirSync(join("src", "generated"), { recursive: true });
  // The build writes the asset map beside the staged release module; a fresh clone has no other copy.
  for (const name of ["assets.ts", "release.ts"]) copyIfChanged(join("dist", name), join("src", "generated", name));
  console.log("loaded the release into local KV and its search rows into local D1");
}

function copyIfChanged(from: string, to: string): void {
  if (existsSync(to) && readFileSync(to, "utf8") === readFileSync(from, "utf8")) return;
  copyFileSync(from, to);
}

/** Applies pending D1 migrations to the local database. */
export function migrateLocalDatabase(): void {
  run("wrangler", ["d1", "migrations", "apply", "DB", "--local"], { quiet: true });
  console.log("local D1 is migrated");
}

/**
 * The local IP_HASH_SALT: random, made once and kept in .wrangler/ (git-ignored, like the local
 * KV and D1 data), so local commenter cookies keep working across restarts. It is passed to
 * `wrangler dev --var` rather than written to .dev.vars, which `wrangler types` would read.
 */
export function localSalt(dir = ".wrangler"): string {
  const file = join(dir, "ip-hash-salt");
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}
