/**
 * `npm run new -- "My title" [--slug my-slug] [--date 2026-07-01T09:00:00+09:00] [--lang ko]
 *   [--translation-of <slug>] [--content content]`
 *
 * Creates `content/posts/<slug>.md`, a draft with its front matter filled in. Exit codes: 0
 * created (or --help), 1 refused because a post already has that file or slug, 2 bad arguments.
 */
import { parseArgs } from "node:util";
import { createPost, NewPostError } from "./post-file.ts";

const USAGE = `usage: npm run new -- "My title" [--slug <slug>] [--date <date>] [--lang <tag>] [--translation-of <slug>]

  --slug <slug>            the address /posts/<slug> (default: from the title, Hangul kept)
  --date <date>            YYYY-MM-DD or ISO 8601 (default: now); a later date schedules the post
  --lang <tag>             the post's language, e.g. en or ko (default: ko for a title mostly in
                           Hangul, else none: the site's language)
  --translation-of <slug>  the post this one translates: both get the same translationKey (added
                           to that post if it has none), so readers are offered each language`;

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      slug: { type: "string" },
      date: { type: "string" },
      lang: { type: "string" },
      "translation-of": { type: "string" },
      content: { type: "string", default: "content" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}
try {
  parsed = parse();
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}

try {
  const made = await createPost({
    contentDir: parsed.values.content,
    title: parsed.positionals.join(" "),
    slug: parsed.values.slug,
    date: parsed.values.date,
    lang: parsed.values.lang,
    translationOf: parsed.values["translation-of"],
  });
  console.log(`created ${made.file} (draft; served at /posts/${made.slug} once published)`);
  if (made.lang) console.log(`lang: ${made.lang}${parsed.values.lang ? "" : " (from the title; --lang changes it)"}`);
  if (made.translation)
    console.log(
      `a translation of ${made.translation.of}: translationKey ${made.translation.key}` +
        (made.translation.keyAdded ? ` (added to ${made.translation.of} too)` : ""),
    );
  console.log("preview it with: npm run dev");
} catch (error) {
  if (!(error instanceof NewPostError)) throw error;
  console.error(error.message);
  process.exit(error.code);
}
