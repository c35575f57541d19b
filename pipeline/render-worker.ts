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
  if (request.jobs) reply({ built: await builder.build(request.jobs) });
  else reply({ highlighted: builder.highlighted(), media: builder.media() });
});
reply({ ready: true });
