import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const wrangler = resolve(import.meta.dirname, "..", "..", "node_modules", ".bin", "wrangler");

export interface Bundle {
  outdir: string;
  /** What wrangler printed (stdout and stderr). */
  output: string;
}

/**
 * Bundles the Worker exactly as `wrangler deploy` would, without uploading:
 * `wrangler deploy --dry-run --outdir <outdir> [--env <env>]`, run from `cwd`.
 */
export function dryRunDeploy(options: { outdir: string; env?: string; cwd?: string }): Promise<Bundle> {
  const args = ["deploy", "--dry-run", "--outdir", options.outdir, ...(options.env ? ["--env", options.env] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(wrangler, args, {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve({ outdir: options.outdir, output });
      else reject(new Error(`wrangler ${args.join(" ")} failed (${code}):\n${output}`));
    });
  });
}

/** Raw and gzip bytes of the bundle's code (not its source map or README). */
export function bundleBytes(outdir: string): { raw: number; gzip: number } {
  let raw = 0;
  let gzip = 0;
  for (const file of readdirSync(outdir).filter((f) => /\.(m?js|wasm)$/.test(f))) {
    const data = readFileSync(join(outdir, file));
    raw += data.byteLength;
    gzip += gzipSync(data).byteLength;
  }
  return { raw, gzip };
}

/** The binding names wrangler lists in a dry run ("env.SITE_TITLE ("OUR K-POP")  Environment Variable"). */
export function bindingNames(output: string): string[] {
  return [...output.matchAll(/^env\.([A-Za-z_][A-Za-z0-9_]*)\b/gm)].map((m) => m[1] as string).sort();
}
