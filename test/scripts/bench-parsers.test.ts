import { describe, expect, it } from "vitest";
import { parseTally } from "../../bench/count-bindings.ts";
import { parseWrk } from "../../bench/load.ts";
import { bindingReport, parseServerTiming } from "../../bench/server-timing.ts";

describe("Server-Timing parsing", () => {
  it("splits metrics and reads dur and quoted desc, commas inside quotes included", () => {
    expect(parseServerTiming('kv;dur=0.8;desc="2 calls, cached", render;dur=1.5, total')).toEqual([
      { name: "kv", dur: 0.8, desc: "2 calls, cached" },
      { name: "render", dur: 1.5 },
      { name: "total" },
    ]);
    expect(parseServerTiming(null)).toEqual([]);
  });

  it("reads KV and D1 call counts and rows read from loosely written entries", () => {
    const header = 'kv;dur=0.8;desc="2 calls", d1;dur=2.1;desc="1 query, 12 rows read", render;dur=1.3';
    expect(bindingReport(header, "our-kpop; hit")).toEqual({
      kvCalls: 2,
      d1Calls: 1,
      rowsRead: 12,
      cacheStatus: "our-kpop; hit",
    });
    expect(bindingReport('kv-get;desc="3", d1;desc="rows_read=40; 2 queries"')).toEqual({
      kvCalls: 3,
      d1Calls: 2,
      rowsRead: 40,
    });
    expect(bindingReport('kv;desc="0 calls", d1;desc="0 queries", rows_read;desc="0"')).toEqual({
      kvCalls: 0,
      d1Calls: 0,
      rowsRead: 0,
    });
  });

  it("reports nothing when the Worker sends no binding metrics", () => {
    expect(bindingReport("render;dur=3, total;dur=4")).toEqual({});
    expect(bindingReport(undefined)).toEqual({});
  });
});

describe("wrk output parsing", () => {
  it("reads requests/s, p50/p99 in milliseconds and failures", () => {
    const text = `Running 3s test @ http://127.0.0.1:4000/
  1 threads and 16 connections
  Latency Distribution
     50%  510.00us
     75%    2.13ms
     90%    7.08ms
     99%    1.20s
  4616 requests in 3.00s, 644.62KB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:   1538.85
`;
    expect(parseWrk(text)).toEqual({
      rps: 1538.85,
      p50: 0.51,
      p99: 1200,
      requests: 4616,
      statuses: {},
      non2xx: 7,
      errors: 3,
    });
  });
});

describe("binding tally header", () => {
  it("accepts only a complete tally", () => {
    expect(parseTally('{"kv":3,"d1":1,"rowsRead":12}')).toEqual({ kv: 3, d1: 1, rowsRead: 12 });
    expect(parseTally('{"kv":3,"d1":1,"rowsRead":12,"kvMs":4,"d1Ms":2,"totalMs":9}')).toEqual({
      kv: 3,
      d1: 1,
      rowsRead: 12,
      kvMs: 4,
      d1Ms: 2,
      totalMs: 9,
    });
    expect(parseTally('{"kv":3}')).toBeUndefined();
    expect(parseTally("not json")).toBeUndefined();
    expect(parseTally(null)).toBeUndefined();
  });
});
