import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KEEP_RELEASES, SEARCH_STATE_QUERY } from "../../pipeline/search-sql.ts";
import { commandOf, Project } from "./script-harness.ts";

let project: Project;
beforeEach(() => {
  project = new Project().post("first", "The first post.").post("second", "The second post.", "2025-05-02");
});
afterEach(() => project.dispose());

const uploaded = (calls: { argv: string[]; keys?: string[] }[]) =>
  calls.filter((c) => commandOf(c) === "kv bulk put").flatMap((c) => c.keys ?? []);

describe("npm run deploy", { timeout: 30_000 }, () => {
  it("builds, uploads, migrates, then switches the Worker, in that order", () => {
    const { status, stdout, calls } = project.run("deploy");
    expect(status, stdout).toBe(0);
    const release = project.builtRelease();
    expect(calls.map(commandOf)).toEqual([
      "kv key list",
      "kv bulk put",
      "d1 migrations apply",
      "d1 execute",
      "d1 execute",
      "deploy",
    ]);
    // The environment is always named; "" is the top-level (production) one.
    expect(calls[0]?.argv).toEqual(["kv", "key", "list", "--binding", "CONTENT", "--remote", "--env", ""]);
    expect(calls[2]?.argv).toEqual(["d1", "migrations", "apply", "DB", "--remote", "--env", ""]);
    // Search: ask D1 what it holds, then load what it lacks.
    expect(calls[3]?.argv).toEqual([
      "d1",
      "execute",
      "DB",
      "--remote",
      "--json",
      "--command",
      SEARCH_STATE_QUERY,
      "--env",
      "",
    ]);
    expect(calls[4]?.argv).toEqual([
      "d1",
      "execute",
      "DB",
      "--remote",
      "--yes",
      "--file",
      "dist/search-load.sql",
      "--env",
      "",
    ]);
    expect(project.query("SELECT slug FROM search_docs ORDER BY slug")).toEqual([
      { slug: "first" },
      { slug: "second" },
    ]);
    expect(project.query("SELECT DISTINCT release FROM search_release_docs")).toEqual([{ release }]);
    expect(calls[5]?.argv).toEqual([
      "deploy",
      "--var",
      `CONTENT_RELEASE:${release}`,
      "--message",
      `content release ${release}`,
      "--env",
      "",
    ]);
    // Every entry of the release, its index last, so no uploaded index points at a missing entry.
    const keys = uploaded(calls);
    expect(keys.toSorted()).toEqual(project.builtKeys().toSorted());
    expect(keys.at(-1)).toBe(`release:${release}`);
    expect(stdout).toMatch(
      /\[1\/5\] build[\s\S]*\[2\/5\] upload[\s\S]*\[3\/5\] migrate[\s\S]*\[4\/5\] search[\s\S]*\[5\/5\] switch/,
    );
    expect(stdout).toContain(`release ${release} is live`);
    expect(project.state().deployments).toHaveLength(1);
  });

  it("uploads only the entries the namespace does not hold", () => {
    expect(project.run("deploy").status).toBe(0);
    const before = new Set(Object.keys(project.state().kv));
    project.post("second", "The second post, edited.", "2025-05-02");
    const { status, calls } = project.run("deploy");
    expect(status).toBe(0);
    const fresh = project.builtKeys().filter((k) => !before.has(k));
    // The edit changes the article, its route bucket, the list chunks and the index; not the first post.
    expect(fresh.length).toBeGreaterThan(2);
    expect(fresh.length).toBeLessThan(project.builtKeys().length);
    expect(uploaded(calls).toSorted()).toEqual(fresh.toSorted());
    // Search: only the edited post's text goes to D1; both releases find the unchanged one.
    const sql = project.state().d1?.at(-1) ?? "";
    expect(sql).toContain("The second post, edited.");
    expect(sql).not.toContain("The first post.");
    expect(project.query("SELECT count(*) AS n FROM search_docs")).toEqual([{ n: 3 }]);
    expect(project.query("SELECT count(*) AS n FROM search_release_docs")).toEqual([{ n: 4 }]);
  });

  it(`keeps the search documents of the ${KEEP_RELEASES} most recent releases only`, () => {
    for (let i = 0; i <= KEEP_RELEASES; i++) {
      project.post("second", `Version ${i} of the second post.`, "2025-05-02");
      expect(project.run("deploy").status).toBe(0);
    }
    const bodies = project.query("SELECT body FROM search_docs WHERE slug = 'second' ORDER BY body");
    expect(bodies.map((row) => row.body)).toEqual([1, 2, 3].map((i) => `Version ${i} of the second post.`));
    expect(project.query("SELECT count(DISTINCT release) AS n FROM search_release_docs")).toEqual([
      { n: KEEP_RELEASES },
    ]);
  });

  it("uploads nothing when the content did not change, and still deploys", () => {
    expect(project.run("deploy").status).toBe(0);
    const { status, stdout, calls } = project.run("deploy");
    expect(status).toBe(0);
    expect(calls.map(commandOf)).toEqual(["kv key list", "d1 migrations apply", "d1 execute", "d1 execute", "deploy"]);
    expect(stdout).toMatch(/0 new of \d+ \(/);
    expect(stdout).toContain("0 new of 2 documents (2 already there); this release was loaded before");
  });

  it("leaves drafts out of a production deploy", () => {
    project.write("content/posts/secret.md", "---\ntitle: Secret\ndate: 2025-05-03\ndraft: true\n---\n\nNot yet.\n");
    expect(project.run("deploy").status).toBe(0);
    const values = Object.values(project.state().kv).join("\n");
    expect(values).toContain("The second post.");
    expect(values).not.toContain("Not yet.");
    const sql = project.state().d1?.join("\n") ?? "";
    expect(sql).toContain("The second post.");
    expect(sql).not.toContain("Not yet.");
  });

  it.each([
    ["upload (listing)", "kv key list", ["kv key list"]],
    ["upload", "kv bulk put", ["kv key list", "kv bulk put"]],
    ["migrate", "d1 migrations apply", ["kv key list", "kv bulk put", "d1 migrations apply"]],
    ["search (asking D1)", "d1 execute", ["kv key list", "kv bulk put", "d1 migrations apply", "d1 execute"]],
    ["search", "--file", ["kv key list", "kv bulk put", "d1 migrations apply", "d1 execute", "d1 execute"]],
  ])("stops before the Worker switch when %s fails", (_step, failing, expected) => {
    const { status, stderr, calls } = project.run("deploy", [], { FAKE_WRANGLER_FAIL: failing });
    expect(status).toBe(1);
    expect(calls.map(commandOf)).toEqual(expected);
    expect(calls.at(-1)?.failed).toBe(true);
    expect(stderr).toContain("deploy stopped at step");
    expect(stderr).toContain("The Worker was not switched");
    expect(project.state().deployments).toEqual([]);
  });

  it("reports a failed Worker switch and leaves the previous deployment live", () => {
    expect(project.run("deploy").status).toBe(0);
    project.post("first", "Changed.");
    const { status, stderr, calls } = project.run("deploy", [], { FAKE_WRANGLER_FAIL: "deploy --var" });
    expect(status).toBe(1);
    // The failed deploy, then Cloudflare asked which release is live (the previous one).
    expect(calls.slice(-3).map(commandOf)).toEqual(["deploy", "deployments list", "versions view"]);
    expect(calls.at(-3)).toMatchObject({ failed: true });
    expect(stderr).toContain('deploy stopped at step "switch"');
    expect(stderr).toContain(
      "Cloudflare kept the Worker that was live. Readers still get the release that was live before",
    );
    expect(project.state().deployments).toHaveLength(1);
  });

  it("says so when the switch happened but wrangler failed after it (the triggers: cron, queue consumers)", () => {
    expect(project.run("deploy").status).toBe(0);
    project.post("first", "Changed.");
    const { status, stderr } = project.run("deploy", [], { FAKE_WRANGLER_TRIGGERS_FAIL: "1" });
    expect(status).toBe(1);
    expect(stderr).toContain('deploy stopped at step "switch"');
    expect(stderr).toContain("The Worker WAS switched: readers get the new release.");
    expect(stderr).not.toContain("Readers still get the release that was live before");
    expect(project.state().deployments).toHaveLength(2);
  });

  it("stops before touching Cloudflare when the content has mistakes", () => {
    project.write("content/posts/broken.md", "---\ntitle: Broken\ndate: not-a-date\n---\n\nText.\n");
    const { status, stderr, calls } = project.run("deploy");
    expect(status).toBe(1);
    expect(calls).toEqual([]);
    expect(stderr).toContain('deploy stopped at step "build"');
    expect(stderr).toContain("broken.md");
  });

  it("says to run setup when the namespace cannot be listed", () => {
    const { stderr } = project.run("deploy", ["--env", "staging"], { FAKE_WRANGLER_FAIL: "kv key list" });
    expect(stderr).toContain("npm run setup -- --env staging");
  });

  it("skips the migration step when there are no migrations", () => {
    project.remove("migrations");
    const { status, calls, stdout } = project.run("deploy");
    expect(status).toBe(0);
    expect(calls.map(commandOf)).toEqual(["kv key list", "kv bulk put", "deploy"]);
    expect(stdout).toContain("no migrations in migrations/");
  });

  it("passes --env to every wrangler call", () => {
    const { status, calls } = project.run("deploy", ["--env", "staging"]);
    expect(status).toBe(0);
    expect(calls).toHaveLength(6);
    for (const call of calls) expect(call.argv.slice(-2)).toEqual(["--env", "staging"]);
  });

  it("--dry-run only reads, and shows what it would run", () => {
    const { status, stdout, calls } = project.run("deploy", ["--dry-run", "--env", "staging"]);
    expect(status).toBe(0);
    expect(calls.map(commandOf)).toEqual(["kv key list"]);
    expect(stdout).toMatch(/would run: wrangler kv bulk put \S+000\.json --binding CONTENT --remote --env staging/);
    expect(stdout).toContain("would run: wrangler d1 migrations apply DB --remote --env staging");
    expect(stdout).toContain(
      `would run: wrangler d1 execute DB --remote --json --command "${SEARCH_STATE_QUERY}" --env staging`,
    );
    expect(stdout).toContain(
      "would run: wrangler d1 execute DB --remote --yes --file dist/search-load.sql --env staging",
    );
    expect(stdout).toContain(
      `would run: wrangler deploy --var CONTENT_RELEASE:${project.builtRelease()} --message "content release ${project.builtRelease()}" --env staging`,
    );
    expect(project.state().kv).toEqual({});
  });
});

describe("npm run setup", { timeout: 30_000 }, () => {
  it("provisions with a content-less deploy, sets the missing secrets, then deploys", () => {
    const { status, stdout, stderr, calls } = project.run("setup", ["--env", "staging"], { TURNSTILE_SECRET: "t" });
    expect(status, stderr).toBe(0);
    expect(calls.map(commandOf)).toEqual([
      "whoami",
      "deployments list",
      "queues create",
      "queues create",
      "deploy",
      "auth token",
      "secret list",
      "secret bulk",
      "kv key list",
      "kv bulk put",
      "d1 migrations apply",
      "d1 execute",
      "d1 execute",
      "deploy",
    ]);
    for (const call of calls) expect(call.argv.slice(-2)).toEqual(["--env", "staging"]);
    // The queues staging's wrangler.toml section names, before the first deploy (which needs them).
    expect(calls.slice(2, 4).map((c) => c.argv[2])).toEqual(["our-kpop-staging-notify", "our-kpop-staging-notify-dlq"]);
    expect(project.state().queues).toEqual(["our-kpop-staging-notify", "our-kpop-staging-notify-dlq"]);
    expect(stdout).toContain("created our-kpop-staging-notify, our-kpop-staging-notify-dlq");
    expect(calls[4]?.argv).toContain("CONTENT_RELEASE:none");
    expect(calls[7]?.secrets).toEqual(["ADMIN_TOKEN", "IP_HASH_SALT", "TURNSTILE_SECRET"]);
    // No API token from wrangler: read replication is not turned on, said, and setup goes on.
    expect(stdout).toMatch(/\[4\/6\] D1 read replication for our-kpop-staging\n {6}⚠ not turned on \(/);
    // Not a terminal (as in CI): a generated token is never printed.
    expect(stdout).toContain("ADMIN_TOKEN was generated and not printed");
    expect(stdout).toContain(`release ${project.builtRelease()} is live`);

    // Run again: nothing to provision, no secret to set, just a deploy.
    const again = project.run("setup", ["--env", "staging"]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.calls.map(commandOf)).toEqual([
      "whoami",
      "deployments list",
      "queues create",
      "queues info",
      "queues create",
      "queues info",
      "auth token",
      "secret list",
      "kv key list",
      "d1 migrations apply",
      "d1 execute",
      "d1 execute",
      "deploy",
    ]);
  });

  it("creates only the queues that are missing, for the top-level environment", () => {
    project.setState((state) => {
      state.queues = ["our-kpop-notify-dlq", "our-kpop-staging-notify"];
    });
    const { status, stdout, stderr } = project.run("setup");
    expect(status, stderr).toBe(0);
    expect(stdout).toContain("created our-kpop-notify; our-kpop-notify-dlq already there");
    expect(project.state().queues?.toSorted()).toEqual([
      "our-kpop-notify",
      "our-kpop-notify-dlq",
      "our-kpop-staging-notify",
    ]);
  });

  it("stops before deploying when a queue cannot be created, with wrangler's reason", () => {
    const { status, stderr, calls } = project.run("setup", [], {
      FAKE_WRANGLER_FAIL: "queues create our-kpop-notify ",
    });
    expect(status).toBe(1);
    expect(stderr).toContain("✘ setup stopped: could not create the queues.");
    expect(stderr).toContain("simulated failure of `wrangler queues create our-kpop-notify --env `");
    expect(calls.map(commandOf)).toEqual(["whoami", "deployments list", "queues create", "queues info"]);
    expect(project.state().deployments).toEqual([]);
  });

  it("stops with the login command when wrangler is not logged in", () => {
    const { status, stderr, calls } = project.run("setup", [], { FAKE_WRANGLER_FAIL: "whoami" });
    expect(status).toBe(1);
    expect(stderr).toContain("npx wrangler login");
    expect(calls).toHaveLength(1);
  });
});
