/**
 * `npm run new -- "My title" [--slug my-slug] [--date 2026-07-01T09:00:00+09:00] [--content content]`
 *
 * Creates `content/posts/<slug>.md`, a draft with its front matter filled in. Exit codes: 0
 * created, 1 refused because a post already has that file or slug, 2 bad arguments.
 */
import { parseArgs } from "node:util";
import { createPost, NewPostError } from "./post-file.ts";

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      slug: { type: "string" },
      date: { type: "string" },
      content: { type: "string", default: "content" },
    },
  });
}
try {
  parsed = parse();
} catch (error) {
  console.error(`${(error as Error).message}\nusage: npm run new -- "My title" [--slug <slug>] [--date <date>]`);
  process.exit(2);
}

try {
  const { file, slug } = await createPost({
    contentDir: parsed.values.content,
    title: parsed.positionals.join(" "),
    slug: parsed.values.slug,
    date: parsed.values.date,
  });
  console.log(`created ${file} (draft; served at /posts/${slug} once published)\npreview it with: npm run dev`);
} catch (error) {
  if (!(error instanceof NewPostError)) throw error;
  console.error(error.message);
  process.exit(error.code);
}
