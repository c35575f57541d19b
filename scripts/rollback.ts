/**
 * `npm run rollback [-- --env staging] [--to <version-id|release-id>] [--list] [--dry-run]`:
 * puts the previous deployment's Worker version back live with `wrangler rollback`. Its content
 * comes back with it, because that version reads its own `release:<id>` index and the entries it
 * points to are still in KV (content-addressed, never overwritten; only `npm run prune` removes
 * entries, and never those of the last deploys). D1 is not rolled back: migrations are forward-only.
 */
import { parseArgs } from "node:util";
import { releaseKey } from "../src/articles/record.ts";
import { type DeploymentRecord, describeDeployment, readHistory } from "./release-history.ts";
import { NO_RELEASE } from "./release-label.ts";
import { listRemoteKeys } from "./remote-kv.ts";
import { formatCommand, runWrangler, withEnv } from "./wrangler.ts";

const { values } = parseArgs({
  options: {
    env: { type: "string", short: "e" },
    to: { type: "string" },
    list: { type: "boolean", default: false },
    "dry-run": { type: "boolean", default: false },
  },
});
const options = { env: values.env };

function fail(message: string): never {
  console.error(`✘ rollback stopped: ${message}\nNothing was changed.`);
  process.exit(1);
}

/** The version carrying most of a deployment's traffic. */
const main = (d: DeploymentRecord): string | undefined =>
  [...d.versions].sort((a, b) => b.percentage - a.percentage)[0]?.versionId;

try {
  const history = readHistory(options);
  const [live, ...earlier] = history.deployments;
  if (!live) fail("this Worker has no deployments yet.");
  if (values.list) {
    const lines = history.deployments.map((d) => describeDeployment(d, history));
    console.log(`deployments, newest (live) first:\n${lines.join("\n")}`);
    process.exit(0);
  }
  const liveIds = new Set(live.versions.map((v) => v.versionId));
  console.log(`live: ${describeDeployment(live, history)}`);

  const to = values.to;
  const targetId = to
    ? earlier.flatMap((d) => d.versions.map((v) => v.versionId)).find((id) => id === to || history.releaseOf(id) === to)
    : earlier.map(main).find((id) => id !== undefined && !liveIds.has(id));
  if (!targetId)
    fail(
      to
        ? `no earlier deployment among the last ${history.deployments.length} has version or release ${to}. ` +
            "`npm run rollback -- --list` shows them; an older version can still be restored with `wrangler rollback <version-id>`."
        : "there is no earlier deployment with a different Worker version to go back to.",
    );
  const target = { versionId: targetId, release: history.releaseOf(targetId) };
  if (target.release === null)
    fail(
      `version ${target.versionId} was not deployed by npm run deploy, so which content it serves is unknown. ` +
        `If you are sure, run \`wrangler rollback ${target.versionId}\` yourself.`,
    );
  if (target.release === NO_RELEASE) fail(`version ${target.versionId} is the set-up version: it serves no content.`);

  const index = releaseKey(target.release);
  if (!listRemoteKeys(options, index).has(index))
    fail(
      `the content of release ${target.release} is no longer in KV (pruned?). ` +
        "Check out the commit that built it and run npm run deploy instead.",
    );

  const args = ["rollback", target.versionId, "--message", `rollback to content release ${target.release}`, "--yes"];
  if (values["dry-run"]) {
    console.log(`would run: ${formatCommand(withEnv(args, options))}`);
  } else {
    console.log(`rolling back to version ${target.versionId} (content release ${target.release})`);
    runWrangler(args, options);
    console.log(
      `✔ release ${target.release} is live again. D1 keeps its current schema and comments (migrations are forward-only).`,
    );
  }
} catch (error) {
  fail((error as Error).message);
}
