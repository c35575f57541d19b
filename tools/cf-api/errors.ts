/**
 * Cloudflare's API envelope: every answer is `{ success, errors, messages, result }`, an error
 * carries `{ code, message }` entries (codes as the real API uses them where known).
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface ResultInfo {
  cursor?: string;
  count?: number;
  page?: number;
  per_page?: number;
  total_count?: number;
  total_pages?: number;
}

export function ok(c: Context, result: unknown, resultInfo?: ResultInfo): Response {
  return c.json({ success: true, errors: [], messages: [], result, ...(resultInfo && { result_info: resultInfo }) });
}

export function cfError(c: Context, status: ContentfulStatusCode, code: number, message: string): Response {
  return c.json({ success: false, errors: [{ code, message }], messages: [], result: null }, status);
}
