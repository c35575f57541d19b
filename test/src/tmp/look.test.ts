import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { it } from "vitest";
import worker from "../../../src/index.ts";
import { textOf } from "../helpers.ts";
it("look", async () => {
  for (const q of ["kpop", "k pop", "K-Pop", "케이팝", "k-pop", "pyongyang", "서태지", "음악", "lightsticks", "jong-un", "red velvet", "concerts", "K", "North Korea"]) {
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`http://localhost:8787/search?q=${encodeURIComponent(q)}`), { ...env, PAGE_CACHE: "off" } as Env, ctx);
    await waitOnExecutionContext(ctx);
    const html = await res.text();
    console.log(`== ${q}: ${(await textOf(html, ".result-count")).join()}`);
    const t = await textOf(html, "ol.post-list h2 a");
    const sn = [...html.matchAll(/<p class="snippet"[^>]*>([\s\S]*?)<\/p>/g)].map((m) => m[1]);
    t.forEach((x, i) => console.log("  ", x, "\n     ", sn[i]));
  }
});
