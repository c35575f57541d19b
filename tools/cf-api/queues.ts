/**
 * Queues: the queues of the account (`wrangler queues create/info/list/delete`, and the look-ups by
 * name `wrangler deploy` makes before it uploads) and their Worker consumers (what `wrangler deploy`
 * registers after the upload: `POST` a consumer the first time, `PUT` it on every later deploy).
 * Producers are not registered: as on Cloudflare, a queue's producers are the Workers whose live
 * version has a `queue` binding to it. The messages themselves travel inside Miniflare (store.ts),
 * from the live site's producer binding to the consumer's live version.
 */
import type { Context, Hono } from "hono";
import { cfError, ok } from "./errors.ts";
import type { Api } from "./server.ts";
import { hexId, now, type Queue, type QueueConsumer } from "./state.ts";

const Q = "/accounts/:account/queues";
/** Cloudflare's rule for queue names; codes below are the emulator's where the real one is not known. */
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

interface ConsumerBody {
  type?: string;
  script_name?: string;
  dead_letter_queue?: string;
  settings?: QueueConsumer["settings"];
}

export function queueRoutes(app: Hono, api: Api): void {
  const { state } = api;
  const find = (c: Context) => state.queues.get(c.req.param("queue") ?? "");
  const noQueue = (c: Context) => cfError(c, 404, 11000, `queue ${c.req.param("queue")} not found`);
  const noConsumer = (c: Context) => cfError(c, 404, 11001, `consumer ${c.req.param("consumer")} not found`);
  /** What a consumer POST or PUT sets, once Cloudflare's checks pass, or the error to answer. */
  const consumerFields = async (c: Context, queue: Queue) => {
    const body = (await c.req.json()) as ConsumerBody;
    const refused = checkConsumer(api, queue, body);
    if (refused) return cfError(c, 400, 11004, refused);
    return { script: String(body.script_name), deadLetterQueue: body.dead_letter_queue, settings: body.settings ?? {} };
  };

  app.get(Q, (c) => {
    const names = c.req.queries("name") ?? [];
    const perPage = Number(c.req.query("per_page") ?? 100);
    const page = Number(c.req.query("page") ?? 1);
    const all = [...state.queues.values()].filter((q) => names.length === 0 || names.includes(q.name));
    const items = all.slice((page - 1) * perPage, page * perPage).map((q) => queueJson(api, q));
    return ok(c, items, {
      page,
      per_page: perPage,
      count: items.length,
      total_count: all.length,
      total_pages: Math.ceil(all.length / perPage),
    });
  });

  app.post(Q, async (c) => {
    const { queue_name: name } = (await c.req.json()) as { queue_name?: string };
    if (!name || !NAME.test(name))
      return cfError(c, 400, 11003, `queue name ${JSON.stringify(name)}: lower-case letters, digits and dashes only`);
    if (state.queueByName(name)) return cfError(c, 409, 11009, `A queue named ${name} already exists`);
    const queue: Queue = { id: hexId(), name, createdOn: now(), modifiedOn: now(), consumers: [] };
    state.queues.set(queue.id, queue);
    api.store.refresh();
    return ok(c, queueJson(api, queue));
  });

  app.get(`${Q}/:queue`, (c) => {
    const queue = find(c);
    return queue ? ok(c, queueJson(api, queue)) : noQueue(c);
  });

  app.delete(`${Q}/:queue`, async (c) => {
    const queue = find(c);
    if (!queue) return noQueue(c);
    state.queues.delete(queue.id);
    api.store.refresh();
    return ok(c, null);
  });

  app.get(`${Q}/:queue/consumers`, (c) => {
    const queue = find(c);
    return queue
      ? ok(
          c,
          queue.consumers.map((k) => consumerJson(queue, k)),
        )
      : noQueue(c);
  });

  app.post(`${Q}/:queue/consumers`, async (c) => {
    const queue = find(c);
    if (!queue) return noQueue(c);
    const fields = await consumerFields(c, queue);
    if (fields instanceof Response) return fields;
    if (queue.consumers.length > 0)
      return cfError(c, 409, 11010, `queue ${queue.name} already has a consumer (${queue.consumers[0]?.script})`);
    const consumer: QueueConsumer = { id: hexId(), ...fields, createdOn: now() };
    queue.consumers.push(consumer);
    api.store.refresh();
    return ok(c, consumerJson(queue, consumer));
  });

  app.put(`${Q}/:queue/consumers/:consumer`, async (c) => {
    const queue = find(c);
    if (!queue) return noQueue(c);
    const consumer = queue.consumers.find((k) => k.id === c.req.param("consumer"));
    if (!consumer) return noConsumer(c);
    const fields = await consumerFields(c, queue);
    if (fields instanceof Response) return fields;
    Object.assign(consumer, fields);
    api.store.refresh();
    return ok(c, consumerJson(queue, consumer));
  });

  app.delete(`${Q}/:queue/consumers/:consumer`, async (c) => {
    const queue = find(c);
    if (!queue) return noQueue(c);
    const index = queue.consumers.findIndex((k) => k.id === c.req.param("consumer"));
    if (index < 0) return noConsumer(c);
    queue.consumers.splice(index, 1);
    api.store.refresh();
    return ok(c, null);
  });
}

/** Why Cloudflare would refuse this Worker consumer, or undefined. */
function checkConsumer(api: Api, queue: Queue, body: ConsumerBody): string | undefined {
  if (body.type !== "worker") return `the emulator only knows Worker consumers, not ${body.type}`;
  if (!body.script_name || !api.state.scripts.has(body.script_name))
    return `the Worker ${body.script_name} does not exist on your account`;
  const dlq = body.dead_letter_queue;
  if (dlq !== undefined && dlq !== "") {
    if (dlq === queue.name) return `queue ${queue.name} cannot be its own dead letter queue`;
    if (!api.state.queueByName(dlq)) return `dead letter queue ${dlq} does not exist`;
  }
  return undefined;
}

/** The Workers whose live version sends to the queue. */
export function producersOf(api: Api, name: string): { type: "worker"; script: string }[] {
  return [...api.state.scripts.keys()].flatMap((script) =>
    api.state.liveVersion(script)?.bindings.some((b) => b.type === "queue" && b.queue_name === name)
      ? [{ type: "worker" as const, script }]
      : [],
  );
}

function consumerJson(queue: Queue, consumer: QueueConsumer): Record<string, unknown> {
  return {
    consumer_id: consumer.id,
    type: "worker",
    script: consumer.script,
    queue_name: queue.name,
    dead_letter_queue: consumer.deadLetterQueue ?? "",
    settings: consumer.settings,
    created_on: consumer.createdOn,
  };
}

function queueJson(api: Api, queue: Queue): Record<string, unknown> {
  const producers = producersOf(api, queue.name);
  return {
    queue_id: queue.id,
    queue_name: queue.name,
    created_on: queue.createdOn,
    modified_on: queue.modifiedOn,
    producers_total_count: producers.length,
    producers,
    consumers_total_count: queue.consumers.length,
    consumers: queue.consumers.map((k) => consumerJson(queue, k)),
    settings: { delivery_delay: 0, delivery_paused: false, message_retention_period: 345_600 },
  };
}
