import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { startLocalWorker } from "../../scripts/local-worker.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the blog under test answers, e.g. http://localhost:40123. */
    baseUrl: string;
    /** The ADMIN_TOKEN of the blog under test (a fresh random one each run), for signing in to /admin. */
    adminToken: string;
  }
}

/** Starts the blog once for every browser test (admin on, comments on) and stops it afterwards. */
export default async function setup(project: TestProject) {
  const adminToken = randomBytes(24).toString("base64url");
  const worker = await startLocalWorker({ vars: { ADMIN_TOKEN: adminToken } });
  project.provide("baseUrl", worker.url);
  project.provide("adminToken", adminToken);
  return worker.stop;
}
