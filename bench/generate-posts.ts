/**
 * Synthetic posts for build and scale benchmarks: N Markdown posts of realistic size (3 to 6 KB:
 * headings, paragraphs, lists, code blocks, links, a table now and then), English and Korean text
 * (Hangul sentences made from a syllable list), tags from a pool (some Hangul), dates spread
 * over ten years, all in the past. The same seed and count always give the same files.
 *
 *   npm run bench:generate -- --count 1000 --out /tmp/posts [--seed 1]
 *
 * Writes `<out>/posts/<slug>.md`, a folder `node pipeline/build.ts --content <out>` reads. It
 * refuses to write into the project's own `content/`.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same posts everywhere. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = (
  "가 나 다 라 마 바 사 아 자 차 카 타 파 하 고 노 도 로 모 보 소 오 조 초 코 토 포 호 구 누 두 루 무 부 수 우 " +
  "주 추 쿠 투 푸 후 그 느 드 르 므 브 스 으 즈 기 니 디 리 미 비 시 이 지 치 키 티 피 히 한 국 음 악 노 래 " +
  "팬 춤 무 대 공 연 앨 범 가 수 사 랑 세 계 서 울 평 양 문 화 이 야 기 사 람 시 간 친 구 마 음 노 력 성 공"
).split(" ");
const ENDINGS = ["입니다", "했습니다", "합니다", "있습니다", "됩니다", "였어요", "해요", "이에요"];
const WORDS = (
  "the a of and to in fans stage album song group tour dance music idol label chart release " +
  "single comeback concert story world culture border radio signal drama video streaming lyrics " +
  "vocal rap trainee debut agency rookie stan fandom lightstick encore producer studio melody " +
  "rhythm beat harmony choreography variety show broadcast ranking record award night city"
).split(" ");
const TAGS = [
  "k-pop",
  "idols",
  "albums",
  "concerts",
  "reviews",
  "interviews",
  "charts",
  "dance",
  "history",
  "north-korea",
  "culture",
  "fandom",
  "tours",
  "ballads",
  "hip-hop",
  "rookies",
  "awards",
  "variety",
  "drama-ost",
  "lyrics",
  "케이팝",
  "아이돌",
  "앨범",
  "공연",
  "음악",
  "팬덤",
  "리뷰",
  "역사",
  "문화",
  "신인",
];
const LANGUAGES = ["ts", "sh", "json", "python"];
/** Ten years ending before any plausible build date, so no generated post is scheduled. */
const FIRST_DATE = Date.UTC(2015, 0, 1);
const SPAN_MS = 10 * 365 * 86_400_000;

/** One generated post: its file name and full source. */
export interface GeneratedPost {
  file: string;
  source: string;
}

/** The `index`-th post of a set made with `seed` (independent of the others, so any one can be regenerated). */
export function generatePost(index: number, seed = 1): GeneratedPost {
  const rand = random(seed * 1_000_003 + index);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const between = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const korean = rand() < 0.4;
  const hangulWord = () => Array.from({ length: between(1, 4) }, () => pick(SYLLABLES)).join("");
  const hangulSentence = () =>
    `${Array.from({ length: between(4, 9) }, hangulWord).join(" ")} ${pick(ENDINGS)}.`.replace(/ (\S+)$/, "$1");
  const englishSentence = () => {
    const words = Array.from({ length: between(8, 18) }, () => pick(WORDS));
    const text = words.join(" ");
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  const sentence = () => (rand() < (korean ? 0.8 : 0.15) ? hangulSentence() : englishSentence());
  const paragraph = () => {
    const parts = Array.from({ length: between(3, 6) }, sentence);
    if (rand() < 0.4)
      parts.push(`See [${pick(WORDS)} ${pick(WORDS)}](https://example.com/${index}/${between(1, 99)}).`);
    if (rand() < 0.3) parts.splice(1, 0, `It uses \`${pick(WORDS)}()\` and **${pick(WORDS)}**.`);
    return parts.join(" ");
  };
  const title = korean
    ? `${hangulWord()} ${hangulWord()} ${hangulWord()} ${index}`
    : `${englishSentence().slice(0, -1).split(" ").slice(0, between(3, 7)).join(" ")} ${index}`;
  const slug = `post-${String(index).padStart(5, "0")}${korean ? `-${hangulWord()}` : `-${pick(WORDS)}`}`;
  const date = new Date(FIRST_DATE + Math.floor(rand() * SPAN_MS)).toISOString();
  const tags = [...new Set(Array.from({ length: between(1, 4) }, () => pick(TAGS)))];

  const body: string[] = [paragraph(), paragraph()];
  for (let section = 0, sections = between(2, 4); section < sections; section++) {
    body.push(`## ${korean ? hangulWord() : pick(WORDS)} ${korean ? hangulWord() : pick(WORDS)} ${section + 1}`);
    body.push(paragraph());
    if (rand() < 0.6) body.push(Array.from({ length: between(3, 6) }, () => `- ${sentence()}`).join("\n"));
    if (rand() < 0.5) {
      const lines = Array.from({ length: between(4, 12) }, (_, i) => `const ${pick(WORDS)}${i} = "${pick(WORDS)}";`);
      body.push(`\`\`\`${pick(LANGUAGES)}\n${lines.join("\n")}\n\`\`\``);
    }
    if (rand() < 0.2) {
      body.push(
        `| ${pick(WORDS)} | ${pick(WORDS)} |\n| --- | --- |\n${Array.from({ length: 3 }, () => `| ${hangulWord()} | ${between(1, 100)} |`).join("\n")}`,
      );
    }
    body.push(paragraph());
    if (rand() < 0.3) body.push(`### ${pick(WORDS)}\n\n1. ${sentence()}\n2. ${sentence()}\n3. ${sentence()}`);
  }
  const front = [
    "---",
    `title: ${JSON.stringify(title)}`,
    `date: ${date}`,
    `tags: [${tags.map((t) => JSON.stringify(t)).join(", ")}]`,
    ...(rand() < 0.5 ? [`summary: ${JSON.stringify(sentence())}`] : []),
    ...(korean ? ["lang: ko"] : []),
    "---",
  ];
  return { file: `${slug}.md`, source: `${front.join("\n")}\n\n${body.join("\n\n")}\n` };
}

/**
 * Writes `count` posts to `<outDir>/posts/` (emptied first) and returns their total size in bytes.
 * @throws when `outDir` is the project's `content/` or inside it.
 */
export async function generatePosts(options: { count: number; outDir: string; seed?: number }): Promise<number> {
  const inContent = relative(resolve("content"), resolve(options.outDir));
  if (!inContent.startsWith("..") && !isAbsolute(inContent)) {
    throw new Error(`refusing to write generated posts into content/ (${options.outDir}): pick a temporary folder`);
  }
  const dir = join(options.outDir, "posts");
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  for (let i = 1; i <= options.count; i++) {
    const post = generatePost(i, options.seed);
    bytes += Buffer.byteLength(post.source);
    await writeFile(join(dir, post.file), post.source);
  }
  return bytes;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "1000" },
      out: { type: "string" },
      seed: { type: "string", default: "1" },
    },
  });
  const count = Number(values.count);
  const seed = Number(values.seed);
  if (!values.out || !Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
    console.error("usage: npm run bench:generate -- --count 1000 --out <dir> [--seed 1]");
    process.exit(2);
  }
  const started = performance.now();
  const bytes = await generatePosts({ count, outDir: values.out, seed });
  console.log(
    `wrote ${count} posts (${(bytes / 1024 / 1024).toFixed(1)} MiB, ${Math.round(bytes / count)} B a post on average) ` +
      `to ${join(values.out, "posts")} in ${Math.round(performance.now() - started)} ms`,
  );
}
