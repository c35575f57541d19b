/**
 * The emulator itself: a request it does not know answers in Cloudflare's error format and is
 * recorded, the queue commands setup uses answer as setup expects, and the real wrangler pages
 * through a key listing longer than one page (cursors).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../tools/cf-api/server.ts";
import { ACCOUNT_ID } from "../../tools/cf-api/state.ts";
import { DeployProject } from "./deploy-project.ts";

let emulator: Emulator;
let project: DeployProject;
beforeAll(async () => {
  emulator = await startEmulator();
  project = new DeployProject(emulator);
});
afterAll(async () => {
  project?.dispose();
  await emulator?.close();
});

const api = (path: string, init?: RequestInit) => fetch(`${emulator.url}/accounts/${ACCOUNT_ID}${path}`, init);

describe("the Cloudflare API emulator", () => {
  it("answers what it does not know in Cloudflare's error format, and records it", async () => {
    const response = await api("/r2/buckets");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      success: false,
      errors: [{ code: 7003, message: "not emulated: GET /accounts/0123456789abcdef0123456789abcdef/r2/buckets" }],
      messages: [],
      result: null,
    });
    expect(emulator.state.unknown).toEqual([`GET /accounts/${ACCOUNT_ID}/r2/buckets`]);
    emulator.state.unknown.length = 0;
  });

  it("queues: what setup relies on, with the real wrangler (create, a second create refused, info)", async () => {
    const name = "setup-probe-queue";
    const created = await project.run(`npx wrangler queues create ${name} --env ""`);
    expect(created.status, created.output).toBe(0);
    expect(created.stdout).toContain(`Created queue '${name}'`);
    const again = await project.run(`npx wrangler queues create ${name} --env ""`);
    expect(again.status).toBe(1);
    expect(again.output).toContain(`A queue named ${name} already exists`);
    const info = await project.run(`npx wrangler queues info ${name} --env ""`);
    expect(info.status, info.output).toBe(0);
    expect(info.stdout).toContain(`Queue Name: ${name}`);
    const missing = await project.run('npx wrangler queues info no-such-queue --env ""');
    expect(missing.status).toBe(1);
    expect(missing.output).toContain('Queue "no-such-queue" does not exist');
    expect([...emulator.state.queues.values()].map((q) => q.name)).toEqual([name]);
    expect(emulator.state.unknown).toEqual([]);
  });

  it("D1 read replication: setup's calls, with the real wrangler's credentials and account", async () => {
    const made = await api("/d1/database", { method: "POST", body: JSON.stringify({ name: "replicated" }) });
    expect(made.status).toBe(200);
    // In a process of its own, as setup runs it: wrangler's synchronous calls would block this
    // process's event loop, and with it the emulator that must answer them.
    const probe = (env: Record<string, string> = {}) => {
      const script = `const m = await import("./scripts/read-replication.ts");
        const access = m.apiAccess({ env: undefined });
        console.log(JSON.stringify(access));
        const wrong = { ...access, headers: { Authorization: "Bearer not-the-token" } };
        for (const [a, name] of [[wrong, "replicated"], [access, "replicated"], [access, "replicated"], [access, "no-such-db"]])
          console.log(await m.ensureReadReplication(name, a).catch((e) => "error: " + e.message));`;
      return project.run(`node --input-type=module -e '${script}'`, { env });
    };
    const db = () => [...emulator.state.d1.values()].find((d) => d.name === "replicated");
    expect(db()?.readReplication).toBeUndefined();
    const run = await probe();
    expect(run.status, run.output).toBe(0);
    const [access, ...answers] = run.stdout.trim().split("\n");
    expect(JSON.parse(access ?? "")).toEqual({
      base: emulator.url,
      headers: { Authorization: `Bearer ${emulator.env.CLOUDFLARE_API_TOKEN}` },
      accountId: ACCOUNT_ID,
    });
    expect(answers[0]).toMatch(/^error: PUT \/d1\/database\/[\w-]+: Authentication error \[code 10000\]$/);
    expect(answers.slice(1)).toEqual(["turned on", "on", "error: no D1 database named no-such-db"]);
    expect(db()?.readReplication).toBe("auto");

    // Without CLOUDFLARE_ACCOUNT_ID: the one account `wrangler whoami --json` lists.
    const second = await probe({ CLOUDFLARE_ACCOUNT_ID: "" });
    expect(second.status, second.output).toBe(0);
    expect(JSON.parse(second.stdout.split("\n")[0] ?? "").accountId).toBe(ACCOUNT_ID);
    expect(emulator.state.unknown).toEqual([]);
  });

  it("lists keys a page of 1,000 at a time, and wrangler follows the cursors", async () => {
    const created = await api("/storage/kv/namespaces", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "paging" }),
    });
    const { result } = (await created.json()) as { result: { id: string } };
    const pairs = Array.from({ length: 1_050 }, (_, i) => ({ key: `k${String(i).padStart(5, "0")}`, value: `${i}` }));
    const put = await api(`/storage/kv/namespaces/${result.id}/bulk`, { method: "PUT", body: JSON.stringify(pairs) });
    expect(put.status).toBe(200);
    const first = (await (await api(`/storage/kv/namespaces/${result.id}/keys`)).json()) as {
      result: unknown[];
      result_info: { cursor: string };
    };
    expect(first.result).toHaveLength(1_000);
    expect(first.result_info.cursor).not.toBe("");

    const run = await project.run(`npx wrangler kv key list --namespace-id ${result.id} --remote`);
    expect(run.status, run.output).toBe(0);
    const keys = (JSON.parse(run.stdout) as { name: string }[]).map((k) => k.name);
    expect(keys).toEqual(pairs.map((p) => p.key));
    const listings = emulator.state.log.filter((r) => r.path.endsWith(`${result.id}/keys`));
    expect(listings).toHaveLength(1 + 2);
    expect(emulator.state.unknown).toEqual([]);
  });

  it("checks every bulk call's namespace and list as Cloudflare does: 404 for no namespace, 400 for no list or too long a one", async () => {
    const created = await api("/storage/kv/namespaces", { method: "POST", body: JSON.stringify({ title: "bulk" }) });
    const { result } = (await created.json()) as { result: { id: string } };
    const bulk = (method: string, path: string, body: unknown, id = result.id) =>
      api(`/storage/kv/namespaces/${id}/bulk${path}`, { method, body: JSON.stringify(body) });
    expect((await bulk("PUT", "", [{ key: "a", value: "1" }])).status).toBe(200);
    const got = await bulk("POST", "/get", { keys: ["a", "b"] });
    expect(((await got.json()) as { result: unknown }).result).toEqual({ values: { a: "1", b: null } });

    const refused = [
      await bulk(
        "PUT",
        "",
        Array.from({ length: 10_001 }, (_, i) => ({ key: `k${i}`, value: "" })),
      ),
      await bulk("PUT", "", { key: "a", value: "1" }),
      await bulk("POST", "/get", { keys: Array.from({ length: 101 }, (_, i) => `k${i}`) }),
      await bulk("POST", "/get", {}),
      await bulk("POST", "/get", null),
      await bulk("DELETE", "", "a"),
    ];
    expect(refused.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 400]);
    const [answer] = (await Promise.all(refused.map((r) => r.json()))) as { errors: { code: number }[] }[];
    expect(answer?.errors).toEqual([{ code: 10001, message: "a bulk write takes an array of at most 10000 pairs" }]);
    const missing = await bulk("DELETE", "", ["a"], "0".repeat(32));
    expect(missing.status).toBe(404);
    expect(emulator.state.kvWrites.get(result.id)).toEqual(["a"]);
  });
});
