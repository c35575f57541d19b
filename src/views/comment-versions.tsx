import type { CommentVersion } from "../comments/store/edits.ts";
import type { Catalog } from "../i18n/index.ts";

/** What an edited comment said before, for the moderator (oldest first), folded away by default. */
export function EarlierVersions({ versions, t }: { versions: CommentVersion[]; t: Catalog }) {
  if (versions.length === 0) return null;
  return (
    <details class="meta">
      <summary>{t.admin.versions(versions.length)}</summary>
      <ol>
        {versions.map((version) => (
          <li>
            <strong>{version.author}</strong> ({t.admin.statuses[version.status]}, {t.admin.replaced}{" "}
            <time datetime={version.replacedAt}>{version.replacedAt.slice(0, 16).replace("T", " ")} UTC</time>):{" "}
            <q>{version.body}</q>
          </li>
        ))}
      </ol>
    </details>
  );
}
