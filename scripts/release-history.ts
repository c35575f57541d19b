import { releaseOfVersion } from "./release-label.ts";
import { type WranglerOptions, wranglerJson } from "./wrangler.ts";

/**
 * The release history is Cloudflare's own list of deployments of the Worker
 * (`wrangler deployments list --json`, the 10 most recent), and each deployed version's release
 * label (see release-label.ts). Nothing else is stored, so the history cannot disagree with what
 * Cloudflare serves, whether a change came from these scripts, `wrangler rollback` or the dashboard.
 */
export interface DeploymentRecord {
  id: string;
  createdOn: string;
  source: string;
  versions: { versionId: string; percentage: number }[];
}

export interface History {
  /** Newest first: the first one is live. */
  deployments: DeploymentRecord[];
  /**
   * The content release a version serves; null when it was not deployed by `npm run deploy`.
   * Looked up on first use (one `wrangler versions view` each), since every wrangler call costs
   * the user a second or two.
   */
  releaseOf(versionId: string): string | null;
}

/** The shape of one entry of `wrangler deployments list --json` that the scripts use. */
interface DeploymentJson {
  id: string;
  created_on: string;
  source?: string;
  versions: { version_id: string; percentage: number }[];
}

export function readHistory(options: WranglerOptions): History {
  const deployments = wranglerJson<DeploymentJson[]>(["deployments", "list", "--json"], options)
    .sort((a, b) => b.created_on.localeCompare(a.created_on))
    .map((d) => ({
      id: d.id,
      createdOn: d.created_on,
      source: d.source ?? "",
      versions: d.versions.map((v) => ({ versionId: v.version_id, percentage: v.percentage })),
    }));
  const releases = new Map<string, string | null>();
  const releaseOf = (versionId: string): string | null => {
    if (!releases.has(versionId))
      releases.set(versionId, releaseOfVersion(wranglerJson(["versions", "view", versionId, "--json"], options)));
    return releases.get(versionId) ?? null;
  };
  return { deployments, releaseOf };
}

/** One line per deployment, for `npm run rollback -- --list` and the scripts' reports. */
export function describeDeployment(d: DeploymentRecord, history: History): string {
  const versions = d.versions
    .map((v) => {
      const release = history.releaseOf(v.versionId);
      return `${v.versionId} (${v.percentage}%) release ${release ?? "unknown (not deployed by npm run deploy)"}`;
    })
    .join(", ");
  return `${d.createdOn}  ${d.source || "-"}  ${versions}`;
}

/**
 * The release the Worker serves now (its live deployment's main version), null when that version
 * has no release label, undefined when Cloudflare could not be asked.
 */
export function liveRelease(options: WranglerOptions): string | null | undefined {
  try {
    const history = readHistory(options);
    const main = history.deployments[0]?.versions.toSorted((a, b) => b.percentage - a.percentage)[0];
    return main ? history.releaseOf(main.versionId) : null;
  } catch {
    return undefined;
  }
}
