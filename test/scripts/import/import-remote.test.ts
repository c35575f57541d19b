/**
 * `npm run import -- --remote` and `npm run export-comments -- --remote` against the stand-in
 * wrangler (test/scripts/fake-wrangler), whose D1 is a real SQLite database with the project's
 * migrations: comments go in through `wrangler d1 execute --file`, as the deploy loads search.
 */
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Project } from "../script-harness.ts";

const fixtures = join(import.meta.dirname, "..", "..", "fixtures", "import");
const project = new Project();
afterAll(() => project.dispose());

describe("import --remote", { timeout: 60_000 }, () => {
  it("migrates the deployed D1, loads the comments once through wrangler, and exports them", () => {
    copyFileSync(join(fixtures, "wordpress-1.2-https.xml"), join(project.dir, "export.xml"));
    const first = project.run("import", ["export.xml", "--remote", "--env", "staging"]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.calls.map((c) => c.argv.slice(0, 4).join(" "))).toEqual([
      "d1 migrations apply DB",
      "d1 execute DB --remote",
      "d1 execute DB --remote",
      "d1 execute DB --remote",
    ]);
    expect(first.calls.every((c) => c.argv.join(" ").includes("--env staging"))).toBe(true);
    expect(first.stdout).toMatch(/^comments\s+7\s+7\s+0\s+0/m);
    expect(first.stdout).toContain("Comments went into the deployed D1 (--env staging).");
    const rows = project.query("SELECT post_slug, depth, status, ip_hash, author_hash FROM comments ORDER BY id");
    expect(rows).toHaveLength(7);
    expect(rows.map((r) => r.depth)).toEqual([0, 1, 2, 3, 4, 0, 0]);
    expect(new Set(rows.map((r) => `${r.ip_hash}/${r.author_hash}`))).toEqual(new Set(["imported/imported"]));

    const again = project.run("import", ["export.xml", "--remote", "--env", "staging"]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^comments\s+7\s+0\s+7\s+0/m);
    expect(project.query("SELECT count(*) AS n FROM comments")).toEqual([{ n: 7 }]);

    const exported = project.run("export-comments", ["--remote", "--env", "staging"]);
    expect(exported.status, exported.stderr).toBe(0);
    const json = JSON.parse(exported.stdout) as { count: number; comments: { depth: number; post: string }[] };
    expect(json.count).toBe(7);
    expect(json.comments.every((c) => c.post === "red-velvet-live")).toBe(true);
  });

  it("refuses a missing export or a bad flag with a clear message and no wrangler call", () => {
    const missing = project.run("import", ["nothing.xml"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe("nothing.xml: does not exist\n");
    expect(missing.calls).toEqual([]);
    const usage = project.run("import", []);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("usage: npm run import --");
    const bad = project.run("import", ["export.xml", "--what"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--what'");
  });
});
