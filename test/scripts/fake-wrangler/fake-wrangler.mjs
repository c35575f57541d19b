/**
 * A stand-in `wrangler` for the deploy, rollback, prune and setup tests: it never reaches Cloudflare.
 * It keeps a small account in the JSON file FAKE_WRANGLER_STATE (KV keys, Worker versions and
 * deployments, secret names, queue names) and a real SQLite database beside it for D1 (`<state>.sqlite`:
 * `d1 migrations apply` applies ./migrations, `d1 execute` runs `--file` or `--command`, the latter
 * answered as `--json` prints it), answers the commands the scripts use in wrangler's output formats,
 * appends each call to FAKE_WRANGLER_LOG (one JSON line: argv, and the keys a bulk put/delete sent),
 * and fails any call whose arguments contain FAKE_WRANGLER_FAIL, before changing anything (with
 * FAKE_WRANGLER_TRIGGERS_FAIL set, `deploy` fails after deploying, as when the triggers fail).
 */
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

const argv = process.argv.slice(2);
const statePath = process.env.FAKE_WRANGLER_STATE;
const logPath = process.env.FAKE_WRANGLER_LOG;
if (!statePath || !logPath) die("FAKE_WRANGLER_STATE and FAKE_WRANGLER_LOG must be set");

const state = JSON.parse(readFileSync(statePath, "utf8"));
state.kv ??= {};
state.deployments ??= [];
state.versions ??= {};
state.secrets ??= [];
const entry = { argv };
const failOn = process.env.FAKE_WRANGLER_FAIL;
if (failOn && argv.join(" ").includes(failOn)) {
  log({ ...entry, failed: true });
  die(`✘ [ERROR] simulated failure of \`wrangler ${argv.join(" ")}\``);
}

const positional = argv.filter((a, i) => !a.startsWith("-") && !isValueOf(i));
const flag = (name) => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};
const has = (name) => argv.includes(name);
const command = positional.slice(0, 3).join(" ");
const print = (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

if (command.startsWith("whoami")) {
  console.log("You are logged in (fake wrangler).");
} else if (command === "auth token") {
  // No token to hand out (setup's read-replication step must warn and go on; it never reaches an API).
  log(entry);
  die("Not logged in. Please run `wrangler login` to authenticate. (fake wrangler)");
} else if (command === "kv key list") {
  requireRemote();
  const prefix = flag("--prefix") ?? "";
  print(
    Object.keys(state.kv)
      .filter((k) => k.startsWith(prefix))
      .sort()
      .map((name) => ({ name })),
  );
} else if (command === "kv bulk put") {
  requireRemote();
  const pairs = JSON.parse(readFileSync(positional[3], "utf8"));
  for (const { key, value } of pairs) state.kv[key] = value;
  entry.keys = pairs.map((p) => p.key);
  console.log("Success!");
} else if (command === "kv bulk get") {
  requireRemote();
  const keys = JSON.parse(readFileSync(positional[3], "utf8"));
  if (keys.length > 100) die("✘ [ERROR] a bulk get takes at most 100 keys");
  print(Object.fromEntries(keys.map((k) => [k, state.kv[k] ?? null])));
} else if (command === "kv bulk delete") {
  requireRemote();
  if (!has("--force")) die("✘ [ERROR] would wait for a confirmation (no --force)");
  const keys = JSON.parse(readFileSync(positional[3], "utf8"));
  for (const key of keys) delete state.kv[key];
  entry.keys = keys;
  console.log("Success!");
} else if (command === "d1 migrations apply") {
  requireRemote();
  const db = database();
  state.migrations ??= [];
  for (const file of readdirSync("migrations")
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    if (state.migrations.includes(file)) continue;
    db.exec(readFileSync(join("migrations", file), "utf8"));
    state.migrations.push(file);
  }
  console.log("Migrations applied (fake).");
} else if (command === "d1 execute DB") {
  requireRemote();
  const db = database();
  const sql = flag("--file") ? readFileSync(flag("--file"), "utf8") : flag("--command");
  if (flag("--file")) {
    // Keeps the SQL text the deploy sent, so tests can check what would reach D1.
    state.d1 ??= [];
    state.d1.push(sql);
  }
  try {
    if (has("--json")) print([{ results: db.prepare(sql).all(), success: true, meta: {} }]);
    else {
      // D1 imports a file as one job: all of it or none.
      db.exec(`BEGIN;\n${sql}\nCOMMIT;`);
      console.log("Executed (fake).");
    }
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    log({ ...entry, failed: true });
    die(`✘ [ERROR] ${error.message}`);
  }
} else if (positional[0] === "deploy") {
  if (has("--dry-run")) {
    console.log("--dry-run: exiting now.");
  } else {
    const bindings = [];
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] !== "--var") continue;
      const [name, ...rest] = argv[i + 1].split(":");
      bindings.push({ type: "plain_text", name, text: rest.join(":") });
    }
    const id = newVersion(bindings, flag("--message"));
    newDeployment(id, "wrangler");
    console.log(`Current Version ID: ${id}`);
    if (process.env.FAKE_WRANGLER_TRIGGERS_FAIL) {
      // As the real one does when a queue consumer or the cron cannot be updated: after the switch.
      log({ ...entry, failed: true });
      writeFileSync(statePath, JSON.stringify(state, null, 2));
      die('✘ [ERROR] Trigger configuration for "our-kpop" was only partially updated (fake).');
    }
  }
} else if (positional[0] === "rollback") {
  const id = positional[1];
  if (!state.versions[id]) die(`✘ [ERROR] no version ${id}`);
  if (!has("--yes")) die("✘ [ERROR] would wait for a confirmation (no --yes)");
  newDeployment(id, "rollback");
  console.log(`Current Version ID: ${id}`);
} else if (command.startsWith("deployments list")) {
  // As the real API answers (test/tools): a Worker never deployed does not exist.
  if (state.deployments.length === 0) {
    log({ ...entry, failed: true });
    die(
      "✘ [ERROR] A request to the Cloudflare API failed.\n  This Worker does not exist on your account. [code: 10007]",
    );
  }
  print([...state.deployments].sort((a, b) => a.created_on.localeCompare(b.created_on)).slice(-10));
} else if (command.startsWith("versions view ")) {
  const version = state.versions[positional[2]];
  if (!version) die(`✘ [ERROR] no version ${positional[2]}`);
  print(version);
} else if (command.startsWith("queues create ")) {
  const name = positional[2];
  state.queues ??= [];
  if (state.queues.includes(name)) {
    log({ ...entry, failed: true });
    die(
      `✘ [ERROR] A request to the Cloudflare API (/accounts/fake/queues) failed.\n  A queue named ${name} already exists`,
    );
  }
  state.queues.push(name);
  console.log(`🌀 Creating queue '${name}'\n✅ Created queue '${name}'`);
} else if (command.startsWith("queues info ")) {
  const name = positional[2];
  if (!(state.queues ?? []).includes(name)) {
    log({ ...entry, failed: true });
    die(`✘ [ERROR] Queue "${name}" does not exist. To create it, run: wrangler queues create ${name}`);
  }
  console.log(`Queue Name: ${name}\nQueue ID: fake-${name}\nNumber of Producers: 0\nNumber of Consumers: 0`);
} else if (command.startsWith("secret list")) {
  if (state.deployments.length === 0) die("✘ [ERROR] This Worker does not exist on your account.");
  print(state.secrets.map((name) => ({ name, type: "secret_text" })));
} else if (command.startsWith("secret bulk")) {
  const secrets = JSON.parse(readFileSync(0, "utf8"));
  entry.secrets = Object.keys(secrets);
  state.secrets = [...new Set([...state.secrets, ...Object.keys(secrets)])];
  // Like Cloudflare: a secret change makes a new version from the live one, bindings included.
  const live = state.deployments.at(-1);
  if (live) newDeployment(newVersion(state.versions[live.versions[0].version_id].resources.bindings), "secret");
  console.log("Finished processing secrets file (fake).");
} else {
  log({ ...entry, unknown: true });
  die(`fake wrangler does not know \`wrangler ${argv.join(" ")}\``);
}

log(entry);
writeFileSync(statePath, JSON.stringify(state, null, 2));

function isValueOf(i) {
  return (
    i > 0 &&
    ["--env", "--binding", "--prefix", "--message", "--var", "--outdir", "--to", "--file", "--command"].includes(
      argv[i - 1],
    )
  );
}
function database() {
  return new DatabaseSync(`${statePath}.sqlite`, { enableForeignKeyConstraints: true });
}
function requireRemote() {
  if (!has("--remote")) die("✘ [ERROR] the scripts must pass --remote");
}
function newVersion(bindings, message) {
  const id = `00000000-0000-4000-8000-${String(Object.keys(state.versions).length + 1).padStart(12, "0")}`;
  state.versions[id] = {
    id,
    metadata: { created_on: stamp(), source: "wrangler" },
    annotations: message ? { "workers/message": message } : {},
    resources: { bindings, script: {}, script_runtime: {} },
  };
  return id;
}
function newDeployment(versionId, source) {
  state.deployments.push({
    id: `deployment-${state.deployments.length + 1}`,
    source,
    strategy: "percentage",
    created_on: stamp(),
    versions: [{ version_id: versionId, percentage: 100 }],
    annotations: {},
  });
}
function stamp() {
  state.clock = (state.clock ?? 0) + 1;
  return new Date(Date.UTC(2026, 0, 1) + state.clock * 1000).toISOString();
}
function log(value) {
  appendFileSync(logPath, `${JSON.stringify(value)}\n`);
}
function die(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
