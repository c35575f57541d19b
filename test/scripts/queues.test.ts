import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { queueNames } from "../../scripts/queues.ts";

const real = readFileSync(join(import.meta.dirname, "..", "..", "wrangler.toml"), "utf8");

describe("the queues setup creates", () => {
  it("are every queue an environment's producers and consumers name, dead-letter queues included, once each", () => {
    expect(queueNames(real, undefined)).toEqual(["our-kpop-notify", "our-kpop-notify-dlq"]);
    expect(queueNames(real, "staging")).toEqual(["our-kpop-staging-notify", "our-kpop-staging-notify-dlq"]);
  });

  it("are not inherited by an environment that names none, and none without any queues", () => {
    const toml = '[[queues.producers]]\nbinding = "Q"\nqueue = "top"\n\n[env.bare.vars]\nA = "1"\n';
    expect(queueNames(toml, undefined)).toEqual(["top"]);
    expect(queueNames(toml, "bare")).toEqual([]);
    expect(queueNames('name = "x"\n', undefined)).toEqual([]);
  });

  it("take the inline form of the same tables", () => {
    const toml = 'queues = { consumers = [{ queue = "a", dead_letter_queue = "a-dlq" }] }\n';
    expect(queueNames(toml, undefined)).toEqual(["a", "a-dlq"]);
  });
});
