/**
 * Building one post from its text: front matter (YAML), HTML (marked, Shiki, media), summary,
 * reading time and search document. It runs in the build's own thread or in render threads
 * (render-worker.ts); the build loads it only when some post is not in its render cache.
 */
import { type ArticleImage, type ArticleRecord, articleKey } from "../src/articles/record.ts";
import { ContentError } from "./content-error.ts";
import { type FrontMatter, parsePost } from "./front-matter.ts";
import { contentHash } from "./hash.ts";
import { blockKey, openHighlighter } from "./highlight.ts";
import { MediaLibrary } from "./media.ts";
import type { PostFileName } from "./post-files.ts";
import { renderArticle } from "./release.ts";
import { pairOf } from "./release-entries.ts";
import { docJson, searchDoc } from "./search-rows.ts";

/** A post file to build: where it is, its text and the hash of its text. */
export interface PostJob extends PostFileName {
  source: string;
  hash: string;
}

/** A content mistake, as a render thread sends it back (`ContentError` fields). */
export interface Mistake {
  file: string;
  field: string | undefined;
  problem: string;
}

/** What building a post gives. */
export interface BuiltPost {
  name: string;
  /** Absent when the front matter has mistakes. */
  meta?: FrontMatter;
  /** The KV record; absent for a draft a production build leaves out, and when there are mistakes. */
  record?: ArticleRecord;
  /**
   * With the record: its KV key and pair (`pairOf`), and its search document (`docJson`) with its key, as the
   * UTF-8 bytes the output files and the render cache hold. Made here, so on all render threads.
   */
  encoded?: { key: string; pair: Uint8Array; row: Uint8Array; doc: string };
  /**
   * Whether the record depends on nothing but the post's text: not on files beside it, whose
   * hashed URLs and sizes can change without the post changing.
   */
  cacheable: boolean;
  /** Keys (`blockKey`) of the highlighted code blocks in the HTML, so their highlight cache entries are kept. */
  blocks: string[];
  mistakes: Mistake[];
}

export interface BuilderOptions {
  contentDir: string;
  drafts: boolean;
  /** The highlight cache file to read (never written here), or false. */
  highlightCache: string | false;
}

/** Builds posts with one highlighter and one media library. */
export interface PostBuilder {
  build(jobs: readonly PostJob[]): Promise<BuiltPost[]>;
  /** Every code block highlighted so far (`Highlighter.used`). */
  highlighted(): Record<string, string>;
  /** Every file the built posts referred to, as `[url, absolute path]`. */
  media(): [string, string][];
}

export async function postBuilder(options: BuilderOptions): Promise<PostBuilder> {
  const highlighter = await openHighlighter(options.highlightCache);
  const library = new MediaLibrary(options.contentDir);

  const buildOne = (job: PostJob): BuiltPost => {
    const { name, file } = job;
    let post: { meta: FrontMatter; body: string };
    try {
      post = parsePost(file, job.source, job.fileSlug);
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      return { name, cacheable: false, blocks: [], mistakes: [mistakeOf(error)] };
    }
    const { meta } = post;
    if (!options.drafts && meta.draft) return { name, meta, cacheable: true, blocks: [], mistakes: [] };
    const { tools, used } = renderTools(highlighter, library);
    try {
      const rendered = renderArticle({ file, ...post, sourceHash: job.hash }, tools);
      const record: ArticleRecord = used.image ? { ...rendered.record, image: used.image } : rendered.record;
      const json = JSON.stringify(record);
      const key = articleKey(contentHash(json));
      const row = encoder.encode(docJson(searchDoc(record)));
      const encoded = { key, pair: pairOf(key, json), row, doc: contentHash(row) };
      return { name, meta, record, encoded, cacheable: !used.refersToFiles, blocks: [...used.blocks], mistakes: [] };
    } catch (error) {
      if (!(error instanceof AggregateError)) throw error;
      const mistakes = error.errors.filter((e) => e instanceof ContentError).map(mistakeOf);
      return { name, meta, cacheable: false, blocks: [], mistakes };
    }
  };

  return {
    async build(jobs) {
      const built: BuiltPost[] = [];
      for (const job of jobs) {
        let post = buildOne(job);
        // A code block in a language Shiki has not loaded yet: load it, then render the post again.
        if (highlighter.pending) {
          await highlighter.load();
          post = buildOne(job);
        }
        built.push(post);
      }
      return built;
    },
    highlighted: () => ({ ...highlighter.used }),
    media: () => library.used(),
  };
}

const encoder = new TextEncoder();

/**
 * The highlighter and media hooks one post renders with, and what the post used through them:
 * its code blocks, whether it refers to files, and its first image social cards can show.
 */
function renderTools(highlighter: Awaited<ReturnType<typeof openHighlighter>>, library: MediaLibrary) {
  const used = { refersToFiles: false, image: undefined as ArticleImage | undefined, blocks: new Set<string>() };
  const tools = {
    highlight: (code: string, lang: string) => {
      used.blocks.add(blockKey({ lang, code }));
      return highlighter.highlight(code, lang);
    },
    media: {
      resolve: (...args: Parameters<MediaLibrary["resolve"]>) => {
        used.refersToFiles = true;
        const media = library.resolve(...args);
        // marked walks a post's images in reading order: the first one social cards can show is its cover.
        if (
          !used.image &&
          args[2] &&
          typeof media !== "string" &&
          media.width &&
          media.height &&
          CARD.test(media.url)
        ) {
          used.image = { url: media.url, width: media.width, height: media.height };
        }
        return media;
      },
    },
  };
  return { tools, used };
}

/** Formats social cards (og:image) take: not SVG, which Facebook, X and LinkedIn refuse. */
const CARD = /\.(?:jpe?g|png|webp|gif)(?:[?#]|$)/i;

const mistakeOf = ({ file, field, problem }: ContentError): Mistake => ({ file, field, problem });
