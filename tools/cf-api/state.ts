/**
 * What the emulated Cloudflare account holds, kept like Cloudflare keeps it: KV namespaces and D1
 * databases by id (their data lives in the Miniflare store, see store.ts), Workers with every
 * uploaded version (secrets are bindings of a version), the deployments (the first is live) and
 * the cron schedules, and queues with their consumers. Also the request log and the faults a test asks for.
 */
import { randomUUID } from "node:crypto";

/** The API token the emulator hands wrangler (CLOUDFLARE_API_TOKEN) and checks where a script calls the API itself. */
export const API_TOKEN = "emulator-test-token";
export const ACCOUNT_ID = "0123456789abcdef0123456789abcdef";
export const ACCOUNT_NAME = "Emulated account";
export const SUBDOMAIN = "emulated";

export interface KvNamespace {
  id: string;
  title: string;
}

export interface D1Database {
  uuid: string;
  name: string;
  created_at: string;
  /** Global read replication: "disabled" when created, as on Cloudflare, until a PUT turns it on. */
  readReplication?: "auto" | "disabled";
}

/** A binding as the upload metadata and `versions view` carry it. */
export interface Binding {
  type: string;
  name: string;
  [field: string]: unknown;
}

export interface Module {
  name: string;
  contentType: string;
  contents: Uint8Array;
}

export interface Version {
  id: string;
  number: number;
  createdOn: string;
  message: string | undefined;
  tag: string | undefined;
  mainModule: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  modules: Module[];
  /** Secrets included (`secret_text` with their text); the API never shows their values. */
  bindings: Binding[];
  /** Asset path -> content hash (the upload session's manifest). */
  assets: Record<string, string>;
}

export interface Deployment {
  id: string;
  createdOn: string;
  source: string;
  message: string | undefined;
  versions: { versionId: string; percentage: number }[];
}

export interface Script {
  name: string;
  createdOn: string;
  versions: Version[];
  /** Newest first: the first is live. */
  deployments: Deployment[];
  /** Cron triggers (`PUT .../schedules` replaces them all): they belong to the Worker, not to a version. */
  schedules: { cron: string; createdOn: string; modifiedOn: string }[];
}

/** A Worker consuming a queue (`POST .../queues/:id/consumers`); a queue has at most one. */
export interface QueueConsumer {
  id: string;
  script: string;
  deadLetterQueue: string | undefined;
  settings: { batch_size?: number; max_retries?: number; max_wait_time_ms?: number; retry_delay?: number };
  createdOn: string;
}

export interface Queue {
  id: string;
  name: string;
  createdOn: string;
  modifiedOn: string;
  consumers: QueueConsumer[];
}

/** A fault a test injects: the next `times` requests matching `method` and `path` fail this way. */
export interface Fault {
  method: string;
  path: RegExp;
  kind: "429" | "500" | "timeout";
  times: number;
  retryAfterSeconds?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

export class AccountState {
  readonly kv = new Map<string, KvNamespace>();
  readonly d1 = new Map<string, D1Database>();
  /** Queues by id (their messages live in the Miniflare store, between the live sites). */
  readonly queues = new Map<string, Queue>();
  readonly scripts = new Map<string, Script>();
  /** Content hash -> bytes, of every asset uploaded (the account's asset store). */
  readonly assetBlobs = new Map<string, { contents: Uint8Array; contentType: string }>();
  readonly log: LoggedRequest[] = [];
  /** Requests nobody emulates: any is a test failure. */
  readonly unknown: string[] = [];
  readonly faults: Fault[] = [];
  /** Pairs written by bulk put, per namespace id (to count what a deploy uploads). */
  readonly kvWrites = new Map<string, string[]>();
  /** SQL files imported through `d1 execute --file`, per database id. */
  readonly d1Imports = new Map<string, string[]>();

  script(name: string): Script {
    let script = this.scripts.get(name);
    if (!script) {
      script = { name, createdOn: now(), versions: [], deployments: [], schedules: [] };
      this.scripts.set(name, script);
    }
    return script;
  }

  /** The version a Worker serves (the live deployment's main version), if any. */
  liveVersion(name: string): Version | undefined {
    const script = this.scripts.get(name);
    const live = script?.deployments[0];
    if (!script || !live) return undefined;
    const main = [...live.versions].sort((a, b) => b.percentage - a.percentage)[0];
    return script.versions.find((v) => v.id === main?.versionId);
  }

  queueByName(name: string): Queue | undefined {
    return [...this.queues.values()].find((q) => q.name === name);
  }

  /** The fault for this request, if a test injected one (consumes one of its `times`). */
  takeFault(method: string, path: string): Fault | undefined {
    const fault = this.faults.find((f) => f.times > 0 && f.method === method && f.path.test(path));
    if (fault) fault.times--;
    return fault;
  }
}

export const now = (): string => new Date().toISOString();
export const newId = (): string => randomUUID();
/** Cloudflare's KV namespace ids are 32 hex digits. */
export const hexId = (): string => randomUUID().replaceAll("-", "");
