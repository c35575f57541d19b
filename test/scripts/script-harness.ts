import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";

const root = resolve(import.meta.dirname, "..", "..");
const fakeDir = join(import.meta.dirname, "fake-wrangler");

/** One recorded call of the stand-in wrangler. */
export interface Call {
  argv: string[];
  keys?: string[];
  secrets?: string[];
  failed?: boolean;
  unknown?: boolean;
}

/** The fake account the stand-in wrangler keeps (see fake-wrangler.mjs). */
export interface FakeState {
  kv: Record<string, string>;
  /** The SQL files `d1 execute --file` was given, in order. */
  d1?: string[];
  /** Migrations the stand-in applied to its database (`<state>.sqlite`). */
  migrations?: string[];
  deployments: {
    id: string;
    source: string;
    created_on: string;
    versions: { version_id: string; percentage: number }[];
  }[];
  versions: Record<string, { id: string; resources: { bindings: { type: string; name: string; text?: string }[] } }>;
  secrets: string[];
  /** Names of the queues created (`queues create`). */
  queues?: string[];
}

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The wrangler calls this run made, in order. */
  calls: Call[];
}

/**
 * A throw-away project for the deploy scripts: a content/ folder, a migrations/ folder, and the
 * stand-in wrangler's state. Scripts run from the real scripts/ folder with the project as cwd.
 */
export class Project {
  readonly dir = mkdtempSync(join(tmpdir(), "our-kpop-deploy-"));
  readonly statePath = join(this.dir, "fake-state.json");
  readonly logPath = join(this.dir, "fake-calls.jsonl");
  private logged = 0;

  constructor() {
    mkdirSync(join(this.dir, "content", "posts"), { recursive: true });
    mkdirSync(join(this.dir, "assets"));
    writeFileSync(join(this.dir, "assets", "favicon.svg"), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
    // The real migrations: the stand-in applies them to its SQLite, so search loads run for real.
    cpSync(join(root, "migrations"), join(this.dir, "migrations"), { recursive: true });
    // The real config: setup creates the queues it names.
    cpSync(join(root, "wrangler.toml"), join(this.dir, "wrangler.toml"));
    writeFileSync(this.statePath, JSON.stringify({ kv: {}, deployments: [], versions: {}, secrets: [] }));
    writeFileSync(this.logPath, "");
  }

  /** Writes (or rewrites) a post. */
  post(slug: string, body: string, date = "2025-05-01", frontMatter = ""): this {
    writeFileSync(
      join(this.dir, "content", "posts", `${slug}.md`),
      `---\ntitle: ${slug}\ndate: ${date}\ntags: [k-pop]\n${frontMatter}---\n\n${body}\n`,
    );
    return this;
  }

  write(path: string, text: string): this {
    writeFileSync(join(this.dir, path), text);
    return this;
  }

  remove(path: string): this {
    rmSync(join(this.dir, path), { recursive: true, force: true });
    return this;
  }

  state(): FakeState {
    return JSON.parse(readFileSync(this.statePath, "utf8"));
  }

  setState(update: (state: FakeState) => void): void {
    const state = this.state();
    update(state);
    writeFileSync(this.statePath, JSON.stringify(state));
  }

  /** The release id of the last build (dist/manifest.json). */
  builtRelease(): string {
    return JSON.parse(readFileSync(join(this.dir, "dist", "manifest.json"), "utf8")).release;
  }

  /** Rows of a query on the stand-in's D1 database (after `d1 migrations apply` ran). */
  query(sql: string): Record<string, unknown>[] {
    const db = new DatabaseSync(`${this.statePath}.sqlite`, { readOnly: true });
    try {
      return db.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }

  /** The KV entries of the last build. */
  builtKeys(): string[] {
    const kv = join(this.dir, "dist", "kv", "000.json");
    return (JSON.parse(readFileSync(kv, "utf8")) as { key: string }[]).map((p) => p.key);
  }

  /** Runs `node scripts/<script>.ts args` with the stand-in wrangler first on PATH. */
  run(
    script: "deploy" | "rollback" | "prune" | "setup" | "import" | "export-comments",
    args: string[] = [],
    env: Record<string, string> = {},
  ): Result {
    const result = spawnSync(process.execPath, [join(root, "scripts", `${script}.ts`), ...args], {
      cwd: this.dir,
      encoding: "utf8",
      input: "",
      env: {
        ...process.env,
        PATH: `${fakeDir}${delimiter}${process.env.PATH}`,
        FAKE_WRANGLER_STATE: this.statePath,
        FAKE_WRANGLER_LOG: this.logPath,
        ...env,
      },
    });
    const lines = readFileSync(this.logPath, "utf8").split("\n").filter(Boolean);
    const calls = lines.slice(this.logged).map((line) => JSON.parse(line) as Call);
    this.logged = lines.length;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const COMMANDS = [
  "kv key list",
  "kv bulk put",
  "kv bulk get",
  "kv bulk delete",
  "d1 migrations apply",
  "d1 execute",
  "deployments list",
  "versions view",
  "secret list",
  "secret bulk",
  "whoami",
  "auth token",
  "queues create",
  "queues info",
  "deploy",
  "rollback",
];

/** The command of a call (`kv bulk put`, `deploy`, ...). */
export function commandOf(call: Call): string {
  const line = call.argv.join(" ");
  return COMMANDS.find((c) => line === c || line.startsWith(`${c} `)) ?? line;
}
