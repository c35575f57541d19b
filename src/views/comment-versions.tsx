import type { CommentVersion } from "../comments/store/edits.ts";

/** What an edited comment said before, for the moderator (oldest first), folded away by default. */
export function EarlierVersions({ versions }: { versions: CommentVersion[] }) {
  if (versions.length === 0) return null;
  return (
    <details class="meta">
      <summary>
        Edited by its writer: {versions.length} earlier {versions.length === 1 ? "version" : "versions"}
      </summary>
      <ol>
        {versions.map((version) => (
          <li>
            <strong>{version.author}</strong> ({version.status}, replaced{" "}
            <time datetime={version.replacedAt}>{version.replacedAt.slice(0, 16).replace("T", " ")} UTC</time>):{" "}
            <q>{version.body}</q>
          </li>
        ))}
      </ol>
    </details>
  );
}
