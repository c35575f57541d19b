import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commandOf, type FakeState, Project } from "./script-harness.ts";

// One history for every test (deploying is the slow part): three releases that share the "intro"
// post and differ in "story", deployed by the real deploy script; each test starts from a copy.
let project: Project;
let r1: Release;
let r2: Release;
let r3: Release;
let history: FakeState;

interface Release {
  id: string;
  keys: string[];
}

beforeAll(() => {
  // An alias puts a redirect (not a KV key) in a route bucket: prune must read past it.
  project = new Project().post("intro", "A post every release shares.", "2025-05-01", "aliases: [/old/intro]\n");
  [r1, r2, r3] = ["Version one.", "Version two.", "Version three."].map((body) => {
    project.post("story", body, "2025-05-02");
    const result = project.run("deploy");
    expect(result.status, result.stderr).toBe(0);
    return { id: project.builtRelease(), keys: project.builtKeys() };
  }) as [Release, Release, Release];
  history = project.state();
}, 60_000);
beforeEach(() => project.setState((s) => Object.assign(s, structuredClone(history))));
afterAll(() => project.dispose());

const versionOf = (s: FakeState, deployment: number): string =>
  s.deployments[deployment]?.versions[0]?.version_id ?? "";

const liveRelease = (p: Project): string | undefined => {
  const state = p.state();
  const live = state.deployments.at(-1)?.versions[0]?.version_id ?? "";
  return state.versions[live]?.resources.bindings.find((b) => b.name === "CONTENT_RELEASE")?.text;
};

describe("npm run rollback", { timeout: 30_000 }, () => {
  it("puts the previous release back live", () => {
    expect(liveRelease(project)).toBe(r3.id);
    const { status, stdout, calls } = project.run("rollback");
    expect(status, stdout).toBe(0);
    // Only the live and the target versions are looked up: each wrangler call costs the user seconds.
    expect(calls.map(commandOf)).toEqual([
      "deployments list",
      "versions view",
      "versions view",
      "kv key list",
      "rollback",
    ]);
    expect(calls.filter((c) => commandOf(c) === "rollback").map((c) => c.argv)).toEqual([
      ["rollback", versionOf(history, 1), "--message", `rollback to content release ${r2.id}`, "--yes", "--env", ""],
    ]);
    expect(liveRelease(project)).toBe(r2.id);
    expect(stdout).toContain(`release ${r2.id} is live again`);
  });

  it("skips deployments of the live version (a secret change), and honours --to and --env", () => {
    // A secret change deploys a new version of the live one: rollback must go past it.
    project.setState((s) => {
      const live = s.deployments.at(-1);
      if (live) s.deployments.push({ ...live, id: "again", created_on: "2027-01-01T00:00:00.000Z", source: "secret" });
    });
    expect(project.run("rollback").status).toBe(0);
    expect(liveRelease(project)).toBe(r2.id);
    const back = project.run("rollback", ["--to", r1.id, "--env", "staging"]);
    expect(back.status, back.stderr).toBe(0);
    expect(back.calls.every((c) => c.argv.slice(-2).join(" ") === "--env staging")).toBe(true);
    expect(liveRelease(project)).toBe(r1.id);
  });

  it("--list and --dry-run change nothing", () => {
    const list = project.run("rollback", ["--list"]);
    expect(list.status).toBe(0);
    expect(list.stdout.indexOf(r3.id)).toBeLessThan(list.stdout.indexOf(r2.id));
    expect(list.stdout.indexOf(r2.id)).toBeLessThan(list.stdout.indexOf(r1.id));
    const dry = project.run("rollback", ["--dry-run"]);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(`would run: wrangler rollback ${versionOf(history, 1)}`);
    expect([...list.calls, ...dry.calls].map(commandOf)).not.toContain("rollback");
    expect(project.state()).toEqual(history);
  });

  it("refuses a release whose content was pruned from KV", () => {
    project.setState((s) => {
      delete s.kv[`release:${r2.id}`];
    });
    const { status, stderr, calls } = project.run("rollback");
    expect(status).toBe(1);
    expect(stderr).toContain(`the content of release ${r2.id} is no longer in KV`);
    expect(calls.map(commandOf)).not.toContain("rollback");
  });

  it("refuses a version that was not deployed by npm run deploy", () => {
    project.setState((s) => {
      const version = s.versions[versionOf(s, 1)];
      if (version) version.resources.bindings = [];
    });
    const { status, stderr, calls } = project.run("rollback");
    expect(status).toBe(1);
    expect(stderr).toContain("was not deployed by npm run deploy");
    expect(calls.map(commandOf)).not.toContain("rollback");
  });

  it("says so when there is nothing to go back to", () => {
    project.setState((s) => {
      s.deployments = s.deployments.slice(0, 1);
    });
    const { status, stderr } = project.run("rollback");
    expect(status).toBe(1);
    expect(stderr).toContain("no earlier deployment");
  });
});

describe("npm run prune", { timeout: 30_000 }, () => {
  it("deletes only the entries no release among the last N deployments uses", () => {
    project.setState((s) => {
      s.kv["comments:settings"] = "{}"; // not a content key: never touched
    });
    const { status, stdout, calls } = project.run("prune", ["--keep", "2"]);
    expect(status, stdout).toBe(0);
    const kept = new Set([...r2.keys, ...r3.keys]);
    const onlyR1 = r1.keys.filter((k) => !kept.has(k));
    // The shared post's article is used by the kept releases too: it stays.
    expect(onlyR1.length).toBeGreaterThan(0);
    expect(onlyR1.length).toBeLessThan(r1.keys.length);
    const deleted = calls.filter((c) => commandOf(c) === "kv bulk delete").flatMap((c) => c.keys ?? []);
    expect(deleted.toSorted()).toEqual(onlyR1.toSorted());
    expect(deleted[0]).toBe(`release:${r1.id}`);
    expect(Object.keys(project.state().kv).toSorted()).toEqual([...kept, "comments:settings"].toSorted());
  });

  it("never deletes the live release's entries, even when it is an old one rolled back to", () => {
    expect(project.run("rollback", ["--to", r1.id]).status).toBe(0);
    const { status } = project.run("prune", ["--keep", "1"]);
    expect(status).toBe(0);
    expect(Object.keys(project.state().kv).toSorted()).toEqual(r1.keys.toSorted());
  });

  it("--dry-run deletes nothing", () => {
    const { status, stdout, calls } = project.run("prune", ["--keep", "1", "--dry-run"]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/would run: wrangler kv bulk delete \S+ --force --binding CONTENT --remote --env ""/);
    expect(calls.map(commandOf)).not.toContain("kv bulk delete");
    expect(project.state()).toEqual(history);
  });

  it("refuses when a kept version's release is unknown", () => {
    project.setState((s) => {
      const version = s.versions[versionOf(s, 2)];
      if (version) version.resources.bindings = [];
    });
    const { status, stderr, calls } = project.run("prune", ["--keep", "1"]);
    expect(status).toBe(1);
    expect(stderr).toContain("cannot tell which content");
    expect(calls.map(commandOf)).not.toContain("kv bulk delete");
  });

  it("wants --keep between 1 and 10", () => {
    for (const keep of [[], ["--keep", "11"]]) {
      const { status, stderr, calls } = project.run("prune", keep);
      expect(status).toBe(1);
      expect(stderr).toContain("--keep N");
      expect(calls).toEqual([]);
    }
  });
});
