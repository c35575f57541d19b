/**
 * The build's output files, rewritten only when what they hold changes. Each file is written
 * with an identity: a short string that decides its whole content (for a KV bulk file the list
 * of its content-addressed keys; for the manifest the release id). The
 * identity and the file's size, times and inode after writing are kept in
 * `<outDir>/.build-state.json`; a later build that would write the same identity to a file
 * still as it was left skips it, without making its content. Any doubt (no state, a file
 * touched, moved or removed since) means writing it.
 */
import { mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

const STATE_FILE = ".build-state.json";

interface Written {
  identity: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export class OutputFiles {
  /** Files (relative to the output folder) written by this build, and those left as they were. */
  readonly written: string[] = [];
  readonly kept: string[] = [];
  private readonly dir: string;
  private readonly previous: Record<string, Written>;
  private readonly next: Record<string, Written> = {};

  private constructor(dir: string, previous: Record<string, Written>) {
    this.dir = dir;
    this.previous = previous;
  }

  /** Opens the output folder `dir`; `trustEarlier` false writes every file whatever the state says. */
  static async open(dir: string, trustEarlier = true): Promise<OutputFiles> {
    let previous: Record<string, Written> = {};
    if (trustEarlier) {
      try {
        const parsed: unknown = JSON.parse(await readFile(join(dir, STATE_FILE), "utf8"));
        if (typeof parsed === "object" && parsed !== null) previous = parsed as Record<string, Written>;
      } catch {
        // no state yet, or an unreadable one: write everything
      }
    }
    return new OutputFiles(dir, previous);
  }

  /**
   * Writes `file` (relative to the output folder) unless it already holds `identity`.
   * `content` is asked for only when the file is written: a string, or parts to write one after
   * the other (text, or bytes written as they are), so no single string holds a very large file
   * (or a promise of either).
   */
  async write(
    file: string,
    identity: string,
    content: () => string | Iterable<string | Uint8Array> | Promise<string | Iterable<string | Uint8Array>>,
  ): Promise<void> {
    const path = join(this.dir, file);
    const before = this.previous[file];
    if (before?.identity === identity) {
      const now = await stat(path).catch(() => undefined);
      if (now && sameFile(before, now)) {
        this.next[file] = before;
        this.kept.push(file);
        return;
      }
    }
    await mkdir(dirname(path), { recursive: true });
    const text = await content();
    if (typeof text === "string") await writeFile(path, text);
    else await writeParts(path, text);
    const now = await stat(path);
    this.next[file] = { identity, size: now.size, mtimeMs: now.mtimeMs, ctimeMs: now.ctimeMs, ino: now.ino };
    this.written.push(file);
  }

  /** Removes `file` (relative to the output folder), and forgets it. */
  async remove(file: string): Promise<void> {
    await rm(join(this.dir, file), { force: true });
  }

  /** Records what this build wrote and kept, for the next one. */
  async save(): Promise<void> {
    const temporary = join(this.dir, `${STATE_FILE}.${process.pid}.tmp`);
    await writeFile(temporary, JSON.stringify(this.next));
    await rename(temporary, join(this.dir, STATE_FILE));
  }
}

const sameFile = (a: Written, b: Omit<Written, "identity">): boolean =>
  a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;

/** Writes `parts` (text, or bytes written as they are) to `path`, a few megabytes at a time. */
export async function writeParts(path: string, parts: Iterable<string | Uint8Array>): Promise<void> {
  const out = await open(path, "w");
  try {
    let text = "";
    let batch: Uint8Array[] = [];
    let size = 0;
    const endText = () => {
      if (text === "") return;
      batch.push(Buffer.from(text));
      size += text.length;
      text = "";
    };
    for (const part of parts) {
      if (typeof part === "string") text += part;
      else {
        endText();
        batch.push(part);
        size += part.length;
      }
      if (size + text.length > 1 << 22) {
        endText();
        await out.writev(batch);
        batch = [];
        size = 0;
      }
    }
    endText();
    if (batch.length > 0) await out.writev(batch);
  } finally {
    await out.close();
  }
}
