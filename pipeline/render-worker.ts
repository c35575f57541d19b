/**
 * A render thread (see render-pool.ts): builds the batches of posts it is sent with its own
 * highlighter and media library, then sends back what it highlighted and which files it used.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type BuilderOptions, postBuilder } from "./build-post.ts";
import type { WorkerReply, WorkerRequest } from "./render-pool.ts";

const port = parentPort;
if (!port) throw new Error("render-worker.ts runs as a worker thread of the build");
const builder = await postBuilder(workerData as BuilderOptions);
const reply = (message: WorkerReply) => port.postMessage(message);

port.on("message", async (request: WorkerRequest) => {
  if (!request.jobs) {
    reply({ highlighted: builder.highlighted(), media: builder.media() });
    return;
  }
  const built = await builder.build(request.jobs);
  // The bytes move to the build's thread rather than being copied.
  const bytes = built.flatMap(({ encoded }) => (encoded ? [encoded.pair.buffer, encoded.row.buffer] : []));
  port.postMessage({ built } satisfies WorkerReply, bytes as ArrayBuffer[]);
});
reply({ ready: true });
