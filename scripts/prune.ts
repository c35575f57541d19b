/**
 * `npm run prune -- --keep N [--env staging] [--dry-run]`: deletes the content entries in KV that
 * no release among the last N deployments references (N from 1 to 10: Cloudflare lists the 10 most
 * recent). The live deployment is always among them, so its entries are never deleted. Keys that
 * are not content keys (`release:`, `article:`, `list:`, `routes:`) are never touched.
 *
 * Run it when no deploy is running: a deploy in progress has uploaded entries no deployment
 * references yet (the GitHub workflow runs deploys one at a time).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { describeDeployment, readHistory } from "./release-history.ts";
import { releaseKeys } from "./release-keys.ts";
import { NO_RELEASE } from "./release-label.ts";
import { bulkDeleteArgs, bulkGet, isContentKey, KEYS_PER_DELETE, listRemoteKeys } from "./remote-kv.ts";
import { formatCommand, runWrangler, withEnv } from "./wrangler.ts";

const { values } = parseArgs({
  options: {
    env: { type: "string", short: "e" },
    keep: { type: "string" },
    "dry-run": { type: "boolean", default: false },
  },
});
const options = { env: values.env };
const workDir = join("dist", "prune");

function fail(message: string): never {
  console.error(`✘ prune stopped: ${message}\nNothing was deleted.`);
  process.exit(1);
}

const keep = Number(values.keep);
if (!Number.isInteger(keep) || keep < 1 || keep > 10)
  fail("say how many recent deployments to keep with --keep N (1 to 10), e.g. npm run prune -- --keep 3");

try {
  const history = readHistory(options);
  if (history.deployments.length === 0) fail("this Worker has no deployments yet.");
  const kept = history.deployments.slice(0, keep);
  const versions = [...new Set(kept.flatMap((d) => d.versions.map((v) => v.versionId)))];
  const unlabeled = versions.filter((id) => history.releaseOf(id) === null);
  if (unlabeled.length > 0)
    fail(
      `cannot tell which content version(s) ${unlabeled.join(", ")} serve ` +
        "(deployed without npm run deploy), so any entry could be theirs. Deploy with npm run deploy first.",
    );
  const releases = [...new Set(versions.map((id) => history.releaseOf(id) as string))].filter((r) => r !== NO_RELEASE);
  const lines = kept.map((d) => describeDeployment(d, history));
  console.log(`keeping the content of the last ${kept.length} deployment(s):\n${lines.join("\n")}`);

  const existing = listRemoteKeys(options);
  const reachable = await releaseKeys(releases, (keys) => bulkGet(keys, workDir, options));

  // Indexes first: if a later batch fails, no index is left pointing at deleted entries.
  const doomed = [...existing]
    .filter((key) => isContentKey(key) && !reachable.has(key))
    .sort((a, b) => Number(b.startsWith("release:")) - Number(a.startsWith("release:")));
  console.log(`${existing.size} keys in KV, ${reachable.size} used by the kept release(s), ${doomed.length} to delete`);
  for (let i = 0; i < doomed.length; i += KEYS_PER_DELETE) {
    const file = join(workDir, `delete-${i / KEYS_PER_DELETE}.json`);
    await writeFile(file, JSON.stringify(doomed.slice(i, i + KEYS_PER_DELETE)));
    if (values["dry-run"]) console.log(`would run: ${formatCommand(withEnv(bulkDeleteArgs(file), options))}`);
    else runWrangler(bulkDeleteArgs(file), options);
  }
  if (doomed.length === 0) console.log("nothing to prune");
  else if (!values["dry-run"]) console.log(`✔ deleted ${doomed.length} entries no kept release uses`);
} catch (error) {
  fail((error as Error).message);
}
