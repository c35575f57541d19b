/**
 * The two releases the simulation deploys: the repository's content plus generated posts (so the
 * readers' mix has articles to skew over), a marker post whose title and body name the release
 * ("Edition A" / "Edition B": a page showing both mixes releases) and a post scheduled to come out
 * during the run. Each is built as `npm run build` builds (pipeline/build.ts) into its own folder
 * and bundled as `npm run deploy` bundles (`wrangler deploy --dry-run`), one after the other through
 * src/generated/ (which is put back as it was).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../scripts/local-data.ts";
import { generatePosts } from "../generate-posts.ts";

export const MARKER_SLUG = "regions-release-marker";
export const SCHEDULED_SLUG = "regions-scheduled-post";
export const MARKER = /Edition ([AB]) of the release marker/g;

export interface Release {
  label: "A" | "B";
  release: string;
  out: string;
  bundle: string;
}

function post(slug: string, title: string, date: string, body: string, tags: string[]): string {
  return `---\ntitle: "${title}"\nslug: ${slug}\ndate: ${date}\nsummary: "${title}."\ntags: [${tags.join(", ")}]\nlang: en\n---\n\n${body}\n`;
}

async function content(dir: string, label: "A" | "B", scheduledAt: Date, posts: number): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  // Generated first: it empties its posts/ folder before writing.
  await generatePosts({ count: posts, outDir: dir, seed: 18 });
  cpSync("content", dir, { recursive: true });
  const marker = `Edition ${label} of the release marker`;
  const day = new Date(scheduledAt.getTime() - 86_400_000).toISOString().slice(0, 10);
  writeFileSync(
    join(dir, "posts", `${MARKER_SLUG}.md`),
    post(MARKER_SLUG, marker, day, `${marker}: this page belongs to release ${label}.`, ["regions"]),
  );
  writeFileSync(
    join(dir, "posts", `${SCHEDULED_SLUG}.md`),
    post(SCHEDULED_SLUG, "A post scheduled during the run", scheduledAt.toISOString(), "Out on time.", ["regions"]),
  );
}

/** Builds and bundles releases A and B under `work`; both schedule the same post at `scheduledAt`. */
export async function buildReleases(work: string, scheduledAt: Date, posts: number): Promise<Release[]> {
  const generated = join("src", "generated");
  const saved = new Map<string, string>();
  for (const name of ["release.ts", "assets.ts"]) {
    const path = join(generated, name);
    if (existsSync(path)) saved.set(name, readFileSync(path, "utf8"));
  }
  if (!existsSync(join("dist", "public"))) run("node", ["pipeline/build.ts"], { quiet: true });
  const releases: Release[] = [];
  try {
    for (const label of ["A", "B"] as const) {
      const dir = join(work, `content-${label}`);
      const out = join(work, `dist-${label}`);
      await content(dir, label, scheduledAt, posts);
      const module = join(out, "release.ts");
      run("node", ["pipeline/build.ts", "--content", dir, "--out", out, "--release-module", module], { quiet: true });
      mkdirSync(generated, { recursive: true });
      for (const name of ["release.ts", "assets.ts"]) cpSync(join(out, name), join(generated, name));
      const bundleDir = join(work, `bundle-${label}`);
      run("wrangler", ["deploy", "--dry-run", "--outdir", bundleDir], { quiet: true });
      const { release } = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { release: string };
      releases.push({ label, release, out, bundle: join(bundleDir, "index.js") });
    }
  } finally {
    for (const [name, text] of saved) writeFileSync(join(generated, name), text);
  }
  return releases;
}
