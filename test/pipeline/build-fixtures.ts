import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temporary content folder holding `files` (paths relative to it, folders created). */
export async function contentDir(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "content-"));
  for (const [name, data] of Object.entries(files)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), data);
  }
  return dir;
}

/** Runs the build CLI on `content` into a temporary output folder, as a writer would. */
export async function runBuildCli(content: string): Promise<SpawnSyncReturns<string>> {
  const out = await mkdtemp(join(tmpdir(), "out-"));
  return spawnSync(
    process.execPath,
    ["pipeline/build.ts", "--content", content, "--out", out, "--release-module", join(out, "r.ts")],
    { encoding: "utf8" },
  );
}
