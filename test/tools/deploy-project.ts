/**
 * A clone of this project in a temporary directory, deployed with the real `npm run` scripts and
 * the real wrangler binary to the Cloudflare API emulator (tools/cf-api). Code (package.json,
 * scripts/, pipeline/, node_modules/) is linked; what a deploy writes or a test edits (content/,
 * src/ with its generated modules, wrangler.toml, dist/) is copied.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import type { Emulator } from "../../tools/cf-api/server.ts";

const root = resolve(import.meta.dirname, "..", "..");

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr as the user saw them, interleaved. */
  output: string;
}

export class DeployProject {
  readonly dir = mkdtempSync(join(tmpdir(), "our-kpop-deploy-"));
  readonly #emulator: Emulator;
  /** Commands still running (each in its own process group), stopped by `dispose`. */
  readonly #running = new Set<ChildProcess>();

  constructor(emulator: Emulator) {
    this.#emulator = emulator;
    for (const name of ["package.json", "scripts", "pipeline", "node_modules"])
      symlinkSync(join(root, name), join(this.dir, name));
    for (const name of ["wrangler.toml", "src", "content", "assets", "migrations", "tsconfig.json"])
      cpSync(join(root, name), join(this.dir, name), { recursive: true, filter: (p) => !p.includes("generated") });
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), "utf8");
  }

  /** The release id of the last build (dist/manifest.json). */
  builtRelease(): string {
    return (JSON.parse(this.read("dist/manifest.json")) as { release: string }).release;
  }

  write(path: string, text: string): this {
    writeFileSync(join(this.dir, path), text);
    return this;
  }

  /**
   * Runs a command line in the project (`npm run deploy -- --env staging`), as a shell would, with
   * the emulator's credentials in the environment. `onOutput` sees the output as it comes.
   */
  run(
    command: string,
    options: { env?: Record<string, string>; onOutput?: (text: string) => void } = {},
  ): Promise<Run> {
    const child = spawn("sh", ["-c", command], {
      cwd: this.dir,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        ...this.#emulator.env,
        // No update check against the registry on every wrangler call (it only changes the banner).
        WRANGLER_HIDE_BANNER: "true",
        WRANGLER_LOG_PATH: join(this.dir, ".wrangler-logs"),
        // Node keeps wrangler's compiled 4 MB bundle between calls: the same work, less start-up.
        NODE_COMPILE_CACHE: join(tmpdir(), "our-kpop-deploy-tests-compile-cache"),
        PATH: `${join(root, "node_modules", ".bin")}${delimiter}${process.env.PATH}`,
        CI: "true",
        ...options.env,
      },
    });
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      output += chunk;
      options.onOutput?.(chunk.toString());
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
      output += chunk;
      options.onOutput?.(chunk.toString());
    });
    this.#running.add(child);
    return new Promise((done) =>
      child.on("close", (status) => {
        this.#running.delete(child);
        done({ status, stdout, stderr, output });
      }),
    );
  }

  dispose(): void {
    for (const child of this.#running) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
