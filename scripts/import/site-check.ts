/**
 * An imported blog, served for checking: the content folder built as a production build, the
 * Worker bundled with that release (`wrangler deploy --dry-run`, in a copy of the app), and run
 * under Miniflare with the local D1 the import loaded. Used by the end-to-end test and by
 * `scripts/import-check.ts` (CI, on real exports).
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const root = resolve(import.meta.dirname, "..", "..");

/** A running imported blog. */
export interface Site {
  /** Requests the Worker (redirects are not followed). */
  get(path: string): Promise<Response>;
  dispose(): Promise<void>;
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
  });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}${result.stderr}`);
}

/** Builds `contentDir` into a copy of the app under `workDir` and bundles its Worker. @returns the bundle. */
export function buildSite(contentDir: string, workDir: string): string {
  const app = join(workDir, "app");
  mkdirSync(app, { recursive: true });
  cpSync(join(root, "src"), join(app, "src"), { recursive: true });
  for (const file of ["wrangler.toml", "tsconfig.json"]) cpSync(join(root, file), join(app, file));
  symlinkSync(join(root, "node_modules"), join(app, "node_modules"), "dir");
  run(
    process.execPath,
    [
      join(root, "pipeline", "build.ts"),
      "--content",
      resolve(contentDir),
      "--out",
      join(app, "dist"),
      "--release-module",
      join(app, "src", "generated", "release.ts"),
      "--no-cache",
    ],
    root,
  );
  run(join(root, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", join(app, "out")], app);
  return join(app, "out", "index.js");
}

/**
 * Starts the bundled Worker with wrangler.toml's bindings, D1 (and KV) in the local state at
 * `persistTo` (what `npm run import -- --persist-to` wrote), and the build's KV entries put.
 */
export async function startSite(bundle: string, persistTo: string): Promise<Site> {
  const app = dirname(dirname(bundle));
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(app, "wrangler.toml"));
  const { modulesRules: _rules, assets: _assets, ...fromConfig } = workerOptions;
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      ...fromConfig,
      name: "blog",
      modules: true,
      scriptPath: bundle,
      modulesRoot: dirname(bundle),
      bindings: { ...(workerOptions.bindings as Record<string, string>), IP_HASH_SALT: "import-check-salt" },
      resourcePersistencePath: join(resolve(persistTo), "v3"),
    }),
  );
  const kv = (await mf.getKVNamespace("CONTENT")) as unknown as { put(k: string, v: string): Promise<void> };
  const kvDir = join(app, "dist", "kv");
  for (const file of readdirSync(kvDir).filter((f) => f.endsWith(".json")))
    for (const entry of JSON.parse(readFileSync(join(kvDir, file), "utf8")) as { key: string; value: string }[])
      await kv.put(entry.key, entry.value);
  const worker = (await mf.getWorker("blog")) as unknown as {
    fetch(url: string, init?: RequestInit): Promise<Response>;
  };
  return {
    get: (path) => worker.fetch(new URL(path, "http://localhost:8787").href, { redirect: "manual" }),
    dispose: () => mf.dispose(),
  };
}

/** A comment as GET /posts/:slug/comments gives it. */
export interface ApiComment {
  id: number;
  parent: number | null;
  thread: number;
  depth: number;
  author: string;
  body: string;
}

/** Every visible comment of a post, through the JSON API (all pages). */
export async function visibleComments(site: Site, slug: string): Promise<ApiComment[]> {
  const out: ApiComment[] = [];
  let after: string | null = null;
  do {
    const res = await site.get(
      `/posts/${encodeURIComponent(slug)}/comments?limit=100${after ? `&after=${after}` : ""}`,
    );
    if (res.status !== 200) throw new Error(`/posts/${slug}/comments answered ${res.status}`);
    const page = (await res.json()) as { comments: ApiComment[]; next: string | null };
    out.push(...page.comments);
    after = page.next;
  } while (after);
  return out;
}
