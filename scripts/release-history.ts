import { releaseOfVersion } from "./release-label.ts";
import { type WranglerOptions, wranglerJson } from "./wrangler.ts";

/**
 * The release history is Cloudflare's own list of deployments of the Worker
 * (`wrangler deployments list --json`, the 10 most recent), and each deployed version's release
 * label (see release-label.ts). Nothing else is stored, so the history cannot disagree with what
 * Cloudflare serves, whether a change came from these scripts, `wrangler rollback` or the dashboard.
 */
export interface DeployedVersion {
  versionId: string;
  percentage: number;
  /** The content release the version serves; null when it was not deployed by `npm run deploy`. */
  release: string | null;
}

export interface DeploymentRecord {
  id: string;
  createdOn: string;
  source: string;
  versions: DeployedVersion[];
}

/** The shape of one entry of `wrangler deployments list --json` that the scripts use. */
interface DeploymentJson {
  id: string;
  created_on: string;
  source?: string;
  versions: { version_id: string; percentage: number }[];
}

/** Deployments, newest first (the first one is live), with each version's release. */
export function readHistory(options: WranglerOptions): DeploymentRecord[] {
  const deployments = wranglerJson<DeploymentJson[]>(["deployments", "list", "--json"], options).sort((a, b) =>
    b.created_on.localeCompare(a.created_on),
  );
  const releases = new Map<string, string | null>();
  const releaseOf = (versionId: string): string | null => {
    if (!releases.has(versionId))
      releases.set(versionId, releaseOfVersion(wranglerJson(["versions", "view", versionId, "--json"], options)));
    return releases.get(versionId) ?? null;
  };
  return deployments.map((d) => ({
    id: d.id,
    createdOn: d.created_on,
    source: d.source ?? "",
    versions: d.versions.map((v) => ({
      versionId: v.version_id,
      percentage: v.percentage,
      release: releaseOf(v.version_id),
    })),
  }));
}

/** One line per deployment, for `npm run rollback -- --list` and error messages. */
export function describeDeployment(d: DeploymentRecord): string {
  const versions = d.versions
    .map((v) => `${v.versionId} (${v.percentage}%) release ${v.release ?? "unknown (not deployed by npm run deploy)"}`)
    .join(", ");
  return `${d.createdOn}  ${d.source || "-"}  ${versions}`;
}
