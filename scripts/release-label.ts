/**
 * Which content release a Worker version serves. The Worker itself reads its release id from
 * `src/generated/release.ts` (bundled in); `npm run deploy` also uploads it as the plain-text var
 * `CONTENT_RELEASE`, so the scripts can read it back from Cloudflare's own version history
 * (`wrangler versions view --json`). A var, unlike a version tag or message, is carried over to
 * the new versions Cloudflare makes when a secret changes, and a rollback restores it with the
 * version: the history never needs a second record that could disagree with what is live.
 */
export const RELEASE_VAR = "CONTENT_RELEASE";

/** The label of a version that serves no content (the one `npm run setup` deploys to provision KV and D1). */
export const NO_RELEASE = "none";

/** The `wrangler deploy` arguments that label the version with its release. */
export const releaseLabelArgs = (release: string): string[] => [
  "--var",
  `${RELEASE_VAR}:${release}`,
  "--message",
  release === NO_RELEASE ? "setup: provision KV and D1 (no content)" : `content release ${release}`,
];

/** The release a version serves, read from `wrangler versions view <id> --json`; null when it has no label. */
export function releaseOfVersion(version: unknown): string | null {
  const bindings = (version as { resources?: { bindings?: unknown } } | null)?.resources?.bindings;
  if (!Array.isArray(bindings)) return null;
  for (const binding of bindings as { name?: unknown; type?: unknown; text?: unknown }[]) {
    if (binding.name === RELEASE_VAR && binding.type === "plain_text" && typeof binding.text === "string")
      return binding.text;
  }
  return null;
}
