/**
 * Loads the build's search documents (dist/search, pipeline/search-rows.ts) into D1, sending only
 * what D1 lacks: ask it which documents and releases it holds (`SEARCH_STATE_QUERY`), read just the
 * missing documents' files, and run the SQL of pipeline/search-sql.ts. Locally through a D1 binding
 * (`loadSearch`, used by `npm start`), remotely through `wrangler d1 execute` (`remoteSearchLoad`,
 * used by `npm run deploy`).
 */
import { writeFile } from "node:fs/promises";
import { readSearchDocs, readSearchRelease } from "../pipeline/search-rows.ts";
import {
  SEARCH_STATE_QUERY,
  type SearchLoad,
  type SearchState,
  searchLoadFile,
  searchLoadSql,
  searchState,
} from "../pipeline/search-sql.ts";
import { type WranglerOptions, wranglerJson } from "./wrangler.ts";

/** The part of a D1 binding the loader uses (a Node script has no Workers types). */
export interface D1Like {
  prepare(sql: string): D1StatementLike;
  batch(statements: D1StatementLike[]): Promise<unknown>;
}
export interface D1StatementLike {
  all<T = Record<string, unknown>>(): Promise<{ results: T[] }>;
}

type StateRow = { kind: string; key: string; docs: string | null };

/** The SQL that brings a D1 holding `have` up to the release in `dir`. */
export async function planSearchLoad(dir: string, have: SearchState): Promise<SearchLoad> {
  const release = await readSearchRelease(dir);
  const docs = await readSearchDocs(
    dir,
    release.docs.filter((key) => !have.docs.has(key)),
  );
  return searchLoadSql(release, docs, have);
}

/** D1 batches are transactions; a first load of a big blog is split into batches of about this much SQL. */
const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Loads the release in `dir` into the database `db` (a local binding: `npm start`, the bench and
 * browser-test servers). A small load (an edit) is one batch, so all of it or none; a first load
 * of a big blog is a few batches, documents first and the release's record last, so a load cut
 * short leaves no release pointing at a missing document and is finished by the next one.
 */
export async function loadSearch(db: D1Like, dir: string): Promise<SearchLoad> {
  const { results } = await db.prepare(SEARCH_STATE_QUERY).all<StateRow>();
  const report = await planSearchLoad(dir, searchState(results));
  let batch: string[] = [];
  let size = 0;
  const flush = async () => {
    if (batch.length) await db.batch(batch.map((sql) => db.prepare(sql)));
    batch = [];
    size = 0;
  };
  for (const statement of report.statements) {
    if (size + statement.length > BATCH_BYTES) await flush();
    batch.push(statement);
    size += statement.length;
  }
  await flush();
  return report;
}

/** The wrangler arguments that ask the remote database what it holds. */
export const remoteStateArgs = (): string[] => [
  "d1",
  "execute",
  "DB",
  "--remote",
  "--json",
  "--command",
  SEARCH_STATE_QUERY,
];

/** The wrangler arguments that run a load file remotely (`--yes`: the deploy is the confirmation). */
export const remoteLoadArgs = (file: string): string[] => ["d1", "execute", "DB", "--remote", "--yes", "--file", file];

/**
 * Asks the remote database what it holds and writes the SQL that loads the release in `dir` to
 * `file`, for `wrangler d1 execute --file` (`remoteLoadArgs`).
 * @throws {WranglerFailed} when the query fails.
 */
export async function remoteSearchLoad(options: WranglerOptions, dir: string, file: string): Promise<SearchLoad> {
  const answer = wranglerJson<{ results?: StateRow[] }[]>(remoteStateArgs(), options);
  const have = searchState(answer.flatMap((set) => set.results ?? []));
  const report = await planSearchLoad(dir, have);
  await writeFile(file, searchLoadFile(report));
  return report;
}
