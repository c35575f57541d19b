import type { TestProject } from "vitest/node";
import { startLocalWorker } from "../../scripts/local-worker.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the blog under test answers, e.g. http://localhost:40123. */
    baseUrl: string;
  }
}

/** Starts the blog once for every browser test and stops it afterwards. */
export default async function setup(project: TestProject) {
  const worker = await startLocalWorker();
  project.provide("baseUrl", worker.url);
  return worker.stop;
}
