import type { ArchiveYear } from "../articles/archive.ts";
import { strings } from "../i18n/index.ts";
import { archivePath } from "../lib/paths.ts";
import type { Site } from "../lib/site.ts";
import { formatDate, formatMonth } from "./format.ts";
import { Layout } from "./layout.tsx";
import { PostLinkTitle } from "./reading-on.tsx";

/** Every published post by year and month, newest first (`/archive`). */
export function ArchivePage({ site, years, count }: { site: Site; years: ArchiveYear[]; count: number }) {
  const t = strings(site.lang);
  return (
    <Layout
      site={site}
      meta={{
        title: t.archive,
        description: t.archiveDescription(count, site.title),
        path: archivePath(),
      }}
    >
      <a class="back" href="/">
        {t.backToBlog}
      </a>
      <h1>{t.archive}</h1>
      <p class="meta">{t.postCount(count)}</p>
      {years.length === 0 && <p>{t.noPosts}</p>}
      {years.map(({ year, months }) => (
        <section class="archive" aria-labelledby={`y${year}`}>
          <h2 id={`y${year}`}>{year}</h2>
          {months.map(({ month, posts }) => (
            <>
              <h3 id={`m${month}`}>{formatMonth(month, site.lang)}</h3>
              <ul class="related">
                {posts.map((post) => (
                  <li>
                    <PostLinkTitle post={post} lang={site.lang} site={site.lang} />{" "}
                    <time class="meta" datetime={post.date}>
                      {formatDate(post.date, site.lang)}
                    </time>
                  </li>
                ))}
              </ul>
            </>
          ))}
        </section>
      ))}
    </Layout>
  );
}
