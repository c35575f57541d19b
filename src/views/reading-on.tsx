import type { PostLink, ReadingOn } from "../articles/record.ts";
import { otherLang, strings } from "../i18n/index.ts";
import { postPath } from "../lib/paths.ts";
import { formatDate } from "./format.ts";

/**
 * A post's title as a link, in the post's own language when it differs from the page's (`lang`;
 * `site`: the site's language, which a post without `lang` is in).
 */
export function PostLinkTitle(props: { post: PostLink; rel?: "prev" | "next"; lang: string; site: string }) {
  const { post, rel } = props;
  return (
    <a href={postPath(post.slug)} lang={otherLang(post.lang, props.site, props.lang)} rel={rel}>
      {post.title}
    </a>
  );
}

/** The end of an article: the previous and next posts, then related ones. */
export function ReadingOnNav({ end, lang, site }: { end: ReadingOn; lang: string; site: string }) {
  const t = strings(lang);
  return (
    <nav class="reading-on" aria-labelledby="reading-on">
      <h2 id="reading-on">{t.readingOn}</h2>
      {(end.previous || end.next) && (
        <ul class="prev-next">
          {end.previous && (
            <li>
              <span class="meta">{t.previousPost}</span>{" "}
              <PostLinkTitle post={end.previous} rel="prev" lang={lang} site={site} />
            </li>
          )}
          {end.next && (
            <li>
              <span class="meta">{t.nextPost}</span>{" "}
              <PostLinkTitle post={end.next} rel="next" lang={lang} site={site} />
            </li>
          )}
        </ul>
      )}
      {end.related.length > 0 && (
        <>
          <h3>{t.relatedPosts}</h3>
          <ul class="related">
            {end.related.map((post) => (
              <li>
                <PostLinkTitle post={post} lang={lang} site={site} />{" "}
                <time class="meta" datetime={post.date}>
                  {formatDate(post.date, lang)}
                </time>
              </li>
            ))}
          </ul>
        </>
      )}
    </nav>
  );
}
