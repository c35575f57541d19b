/**
 * `npm run deploy [-- --env staging] [--dry-run]`: build, upload new KV entries, migrate D1, then
 * switch readers to the new release with `wrangler deploy`. See README "Deploy".
 */
import { parseArgs } from "node:util";
import { afterStop, DeployStopped, deployRelease } from "./deploy-release.ts";

const { values } = parseArgs({
  options: {
    env: { type: "string", short: "e" },
    "dry-run": { type: "boolean", default: false },
  },
});
const target = values.env ? `environment "${values.env}"` : "production (top-level environment)";

try {
  console.log(`deploy to ${target}${values["dry-run"] ? " (dry run: nothing is changed)" : ""}`);
  const release = await deployRelease({ env: values.env, dryRun: values["dry-run"] });
  console.log(
    values["dry-run"]
      ? `dry run done: release ${release} would go live on ${target}`
      : `✔ release ${release} is live on ${target}`,
  );
} catch (error) {
  if (!(error instanceof DeployStopped)) throw error;
  console.error(`\n✘ deploy stopped at step "${error.step}":\n${error.message}\n\n${afterStop(error)}`);
  process.exit(1);
}
