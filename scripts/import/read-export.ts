import { readFile } from "node:fs/promises";
import { readBlogger } from "./blogger.ts";
import { readDisqus } from "./disqus.ts";
import type { SourceExport } from "./model.ts";
import { readWxr } from "./wxr.ts";
import { ExportError, first, parseXml } from "./xml.ts";

/** Reads an export file, telling its format by its root element: `<rss>` (WordPress), `<feed>` (Blogger), `<disqus>`. */
export async function readExport(file: string): Promise<SourceExport> {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new ExportError(error.code === "ENOENT" ? "does not exist" : `cannot be read (${error.message})`);
  });
  return readExportText(text);
}

export function readExportText(text: string): SourceExport {
  const doc = parseXml(text);
  if (first(doc, "rss")) {
    if (!first(first(doc, "rss"), "channel")) throw new ExportError("is an RSS file without a channel");
    return readWxr(doc);
  }
  if (first(doc, "feed")) return readBlogger(doc);
  if (first(doc, "disqus")) return readDisqus(doc);
  throw new ExportError("is XML, but not a WordPress (WXR), Blogger (Atom) or Disqus export");
}
