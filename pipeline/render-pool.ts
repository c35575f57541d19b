/**
 * Builds the posts a build must render, on every core when there are many: the build's own
 * thread takes batches too, and `threads - 1` worker threads (render-worker.ts), each with its
 * own Shiki, take the rest from the same queue: a thread for every `POSTS_PER_THREAD` posts, up
 * to the number of cores.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { BuilderOptions, BuiltPost, PostBuilder, PostJob } from "./build-post.ts";

/**
 * Posts to render per thread: a thread costs about a second of CPU to start (TypeScript, marked,
 * Shiki warming up), worth it only with about this many posts (3 s of work) to share. So 1,000
 * posts render on the build's thread alone, 10,000 on up to 10 threads (as many as there are
 * cores). Measured on 2 shared cores: README, Growth.
 */
export const POSTS_PER_THREAD = 1_000;
/** Posts sent to a thread at a time: small enough to share the work out evenly at the end. */
const BATCH = 16;

export type WorkerRequest = { jobs: PostJob[] } | { jobs?: undefined; finish: true };
export type WorkerReply =
  | { ready: true; built?: undefined; highlighted?: undefined }
  | { built: BuiltPost[]; ready?: undefined; highlighted?: undefined }
  | { highlighted: Record<string, string>; media: [string, string][]; ready?: undefined; built?: undefined };

export interface PoolOptions extends BuilderOptions {
  /** Threads to render with, the build's own included; default one per `POSTS_PER_THREAD` posts, up to the cores. */
  threads?: number | undefined;
  /** Called with each post as it is built. */
  onBuilt?: (post: BuiltPost) => void;
}

/** What the threads did besides building posts. */
export interface PoolResult {
  /** Every highlighted code block, by key (all threads'). */
  highlighted: Record<string, string>;
  /** Every file the posts referred to, `[url, absolute path]`. */
  media: [string, string][];
  threads: number;
}

/** Builds `jobs` (in any order; `onBuilt` reports each post) on `threads` threads. */
export async function buildPosts(jobs: readonly PostJob[], options: PoolOptions): Promise<PoolResult> {
  const result: PoolResult = { highlighted: {}, media: [], threads: 0 };
  if (jobs.length === 0) return result;
  const threads = Math.max(
    1,
    Math.min(
      options.threads ?? Math.min(availableParallelism(), Math.floor(jobs.length / POSTS_PER_THREAD)),
      Math.ceil(jobs.length / BATCH),
    ),
  );
  result.threads = threads;
  const { contentDir, drafts, highlightCache } = options;
  const builderOptions: BuilderOptions = { contentDir, drafts, highlightCache };
  let next = 0;
  const take = (): PostJob[] | undefined => {
    if (next >= jobs.length) return undefined;
    const batch = jobs.slice(next, next + BATCH);
    next += batch.length;
    return batch;
  };
  const collect = (highlighted: Record<string, string>, media: [string, string][]) => {
    Object.assign(result.highlighted, highlighted);
    result.media.push(...media);
  };

  const workers = Array.from({ length: threads - 1 }, () =>
    startWorker(builderOptions, take, options.onBuilt, collect),
  );
  const own = (async () => {
    const { postBuilder } = await import("./build-post.ts");
    const builder: PostBuilder = await postBuilder(builderOptions);
    for (let batch = take(); batch; batch = take()) {
      for (const post of await builder.build(batch)) options.onBuilt?.(post);
      // Let the workers' replies in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    collect(builder.highlighted(), builder.media());
  })();
  try {
    await Promise.all([own, ...workers.map((w) => w.done)]);
  } finally {
    // After a failure the others may still be running: stop them so the build can end.
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
  return result;
}

/** One worker thread taking batches until the queue is empty; `done` settles when it has sent back all it did. */
function startWorker(
  options: BuilderOptions,
  take: () => PostJob[] | undefined,
  onBuilt: ((post: BuiltPost) => void) | undefined,
  collect: (highlighted: Record<string, string>, media: [string, string][]) => void,
): { worker: Worker; done: Promise<void> } {
  const worker = new Worker(new URL("./render-worker.ts", import.meta.url), { workerData: options });
  const done = new Promise<void>((resolve, reject) => {
    const send = () => {
      const jobs = take();
      worker.postMessage((jobs ? { jobs } : { finish: true }) satisfies WorkerRequest);
    };
    worker.on("message", (reply: WorkerReply) => {
      if (reply.ready) send();
      else if (reply.built) {
        for (const post of reply.built) onBuilt?.(post);
        send();
      } else if (reply.highlighted) {
        collect(reply.highlighted, reply.media);
        resolve();
      }
    });
    worker.on("error", reject);
    worker.on("exit", (code) => reject(new Error(`a render thread stopped early (exit code ${code})`)));
  });
  return { worker, done };
}
