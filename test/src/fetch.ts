import { exports } from "cloudflare:workers";

/** Requests the Worker under test (the real app, in workerd, with the real build output in KV). */
export function get(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(new URL(path, "http://localhost:8787"), { redirect: "manual", ...init }));
}
