/**
 * A deployed Worker as Miniflare runs it: the live version's modules and bindings (KV, D1, rate
 * limits, vars and secrets, the queue producer, send_email), resolved to the account's resources,
 * plus what Cloudflare keeps beside the versions: the queues the Worker consumes and its crons.
 */
import { join } from "node:path";
import type { V4QueueConsumerOptions, V4QueueProducerOptions, V4WorkerOptions } from "miniflare";
import type { AccountState, Binding, Script, Version } from "./state.ts";

export const siteWorkerName = (script: string): string => `site-${script}`;

/** The Miniflare options of a Worker's live version. */
export function liveWorker(state: AccountState, script: Script, version: Version, persistDir: string): V4WorkerOptions {
  return { ...siteWorker(script.name, version, persistDir), ...triggers(state, script) };
}

/** What Cloudflare keeps beside a Worker's versions: the queues it consumes, its cron schedules. */
function triggers(state: AccountState, script: Script): Pick<V4WorkerOptions, "queueConsumers" | "cronTriggers"> {
  const queueConsumers: Record<string, V4QueueConsumerOptions> = {};
  for (const queue of state.queues.values()) {
    const consumer = queue.consumers.find((k) => k.script === script.name);
    if (!consumer) continue;
    const { batch_size, max_retries, max_wait_time_ms, retry_delay } = consumer.settings;
    queueConsumers[queue.name] = {
      ...(batch_size !== undefined && { maxBatchSize: batch_size }),
      ...(max_retries !== undefined && { maxRetries: max_retries }),
      ...(max_wait_time_ms !== undefined && { maxBatchTimeout: max_wait_time_ms / 1000 }),
      ...(retry_delay !== undefined && { retryDelay: retry_delay }),
      ...(consumer.deadLetterQueue && { deadLetterQueue: consumer.deadLetterQueue }),
    };
  }
  return { queueConsumers, cronTriggers: script.schedules.map((s) => s.cron) };
}

/** A deployed version as Miniflare runs it: its modules and its bindings, resolved to the account's resources. */
function siteWorker(script: string, version: Version, persistDir: string): V4WorkerOptions {
  const root = join(persistDir, "modules", version.id);
  const modules = version.modules.flatMap((m) => {
    const type = moduleType(m.contentType);
    return type ? [{ type, path: join(root, m.name), contents: m.contents }] : [];
  });
  const bindings: Record<string, string> = {};
  const kvNamespaces: Record<string, string> = {};
  const d1Databases: Record<string, string> = {};
  const ratelimits: NonNullable<V4WorkerOptions["ratelimits"]> = {};
  const queueProducers: Record<string, V4QueueProducerOptions> = {};
  const sendEmail: SendEmail[] = [];
  for (const b of version.bindings) {
    if (b.type === "plain_text" || b.type === "secret_text") bindings[b.name] = String(b.text);
    else if (b.type === "kv_namespace") kvNamespaces[b.name] = String(b.namespace_id);
    else if (b.type === "d1") d1Databases[b.name] = String(b.id);
    else if (b.type === "ratelimit")
      ratelimits[b.name] = {
        namespace_id: String(b.namespace_id),
        simple: b.simple as { limit: number; period?: 10 | 60 },
      };
    else if (b.type === "queue") queueProducers[b.name] = { queueName: String(b.queue_name) };
    else if (b.type === "send_email") sendEmail.push(emailBinding(b));
    else throw new Error(`the emulator cannot run a ${b.type} binding (${b.name}) yet`);
  }
  return {
    name: siteWorkerName(script),
    modulesRoot: root,
    modules: modules.sort(
      (a, b) => Number(b.path.endsWith(version.mainModule)) - Number(a.path.endsWith(version.mainModule)),
    ),
    compatibilityDate: version.compatibilityDate,
    compatibilityFlags: version.compatibilityFlags,
    bindings,
    kvNamespaces,
    d1Databases,
    ratelimits,
    queueProducers,
    email: { send_email: sendEmail },
  };
}

type SendEmail = NonNullable<NonNullable<V4WorkerOptions["email"]>["send_email"]>[number];

/** A `send_email` binding as uploaded (Miniflare runs it locally: nothing leaves the machine). */
function emailBinding(b: Binding): SendEmail {
  const list = (field: unknown) => (Array.isArray(field) ? field.map(String) : undefined);
  const senders = list(b.allowed_sender_addresses);
  const destinations = list(b.allowed_destination_addresses);
  return {
    name: b.name,
    ...(senders && { allowed_sender_addresses: senders }),
    ...(typeof b.destination_address === "string"
      ? { destination_address: b.destination_address }
      : destinations && { allowed_destination_addresses: destinations }),
  };
}

function moduleType(contentType: string): "ESModule" | "CommonJS" | "Text" | "Data" | "CompiledWasm" | undefined {
  if (contentType.startsWith("application/javascript+module")) return "ESModule";
  if (contentType.startsWith("application/javascript")) return "CommonJS";
  if (contentType.startsWith("text/plain")) return "Text";
  if (contentType.startsWith("application/wasm")) return "CompiledWasm";
  if (contentType.startsWith("application/octet-stream")) return "Data";
  return undefined; // source maps: uploaded with the version, not run
}
