/**
 * `npm run bench:dev-loop`: how long a writer waits, with `npm start` running, between saving a
 * post and the running blog serving the new page, at a given blog size. A report, not a test.
 *
 * For each N it generates N synthetic posts (bench/generate-posts.ts) into a throw-away copy of
 * the app (src/, scripts/, pipeline/, migrations/, assets/, wrangler.toml, node_modules linked),
 * starts that copy's `npm start` (scripts/start.ts) on a free port with its own local state,
 * waits for the home page, then edits one post a few times: each time it appends a paragraph with
 * a new word and times until `GET /posts/<slug>` shows the word (polled every 100 ms). It prints
 * the start-up time, each edit's time with what start.ts logged about it, and the load average.
 * Everything it starts is stopped and its folder deleted at the end (`--keep` keeps the folder).
 *
 *   npm run bench:dev-loop -- [--counts 1000,10000] [--edits 3] [--app DIR] [--seed 1] [--keep]
 *
 * `--app DIR` runs another checkout's scripts and pipeline (e.g. an older commit unpacked with
 * `git archive <commit> | tar -x -C DIR`) with this checkout's node_modules and generator, to
 * compare before and after. Never touches this checkout's content/, dist/ or .wrangler/.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { freePort, stopGroup } from "../scripts/processes.ts";
import { generatePosts } from "./generate-posts.ts";
import { median } from "./stats.ts";

const root = resolve(import.meta.dirname, "..");
const { values: args } = parseArgs({
  options: {
    counts: { type: "string", default: "1000,10000" },
    edits: { type: "string", default: "3" },
    app: { type: "string", default: root },
    seed: { type: "string", default: "1" },
    keep: { type: "boolean", default: false },
  },
});
const counts = (args.counts ?? "").split(",").map(Number);
if (counts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("--counts: comma-separated post counts");
const edits = Number(args.edits);
const app = resolve(args.app ?? root);

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(", ");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A copy of `app` that runs on its own: content, dist, .wrangler and caches all inside it. */
function project(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), `our-kpop-devloop-${count}-`));
  for (const name of ["src", "scripts", "pipeline", "migrations", "assets"])
    cpSync(join(app, name), join(dir, name), {
      recursive: true,
      filter: (path) => !path.includes(`${join("src", "generated")}`),
    });
  for (const name of ["wrangler.toml", "package.json", "tsconfig.json"])
    if (existsSync(join(app, name))) cpSync(join(app, name), join(dir, name));
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

interface Server {
  child: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

function startServer(dir: string, port: number, inspectorPort: number): Server {
  const bin = join(root, "node_modules", ".bin");
  const child = spawn(process.execPath, ["scripts/start.ts", "--inspector-port", String(inspectorPort)], {
    cwd: dir,
    // Its own process group, so stop() ends start.ts, wrangler, workerd and nothing else.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: String(port), PATH: `${bin}:${process.env.PATH}`, FORCE_COLOR: "0" },
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { child, log: () => output, stop: () => stopGroup(child, 10_000) };
}

/** Polls `url` every 100 ms until its body contains `text`; returns when it does. */
async function waitFor(url: string, text: string, server: Server, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null)
      throw new Error(`npm start exited (${server.child.exitCode}):\n${server.log().slice(-3000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      if (res.ok && (text === "" || (await res.text()).includes(text))) return;
    } catch {
      // Not listening yet, or reloading.
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${url} did not show ${JSON.stringify(text)} within ${timeoutMs} ms:\n${server.log().slice(-3000)}`);
}

/** What start.ts printed since `from` about loading (the new scripts log their timings). */
function loadLines(log: string, from: number): string {
  return log
    .slice(from)
    .split("\n")
    .filter((line) => /^loaded|^ {2}\d+ rendered/.test(line))
    .map((line) => line.replace(/release [0-9a-f]{32}: /, ""))
    .join(" / ");
}

console.log(`dev loop: ${app === root ? "this checkout" : app}, ${edits} edits per size, load average ${load()}`);
for (const count of counts) {
  const dir = project(count);
  await generatePosts({ count, outDir: join(dir, "content"), seed: Number(args.seed) });
  const posts = readdirSync(join(dir, "content", "posts")).sort();
  const file = posts[Math.floor(posts.length / 2)] as string;
  const slug = file.replace(/\.md$/, "");
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const url = `http://localhost:${port}`;
  const started = performance.now();
  const server = startServer(dir, port, inspectorPort);
  try {
    await waitFor(`${url}/`, "", server, 60 * 60_000);
    const startup = performance.now() - started;
    console.log(`\n${count} posts: npm start served the home page after ${seconds(startup)} (load average ${load()})`);
    // Let wrangler settle (its first reloads) before timing edits.
    await new Promise((done) => setTimeout(done, 3_000));
    const times: number[] = [];
    for (let i = 1; i <= edits; i++) {
      const word = `devloop${Date.now().toString(36)}x${i}`;
      const from = server.log().length;
      const saved = performance.now();
      appendFileSync(join(dir, "content", "posts", file), `\nAn edited paragraph: ${word}.\n`);
      await waitFor(`${url}/posts/${encodeURIComponent(slug)}`, word, server, 10 * 60_000);
      const ms = performance.now() - saved;
      times.push(ms);
      // Give start.ts a moment to print its line about this load.
      await new Promise((done) => setTimeout(done, 2_000));
      console.log(`  edit ${i}: ${seconds(ms)} from save to page  ${loadLines(server.log(), from)}`);
    }
    console.log(`  median ${seconds(median(times))} (load average ${load()})`);
  } finally {
    await server.stop();
    if (args.keep) console.log(`  kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
