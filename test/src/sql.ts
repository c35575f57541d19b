/** Runs search SQL (pipeline/search-sql.ts `searchLoadFile`: one statement per line) in one D1 batch. */
export async function runSqlFile(db: D1Database, sql: string): Promise<void> {
  const statements = sql.split("\n").filter((line) => line !== "" && !line.startsWith("--"));
  await db.batch(statements.map((line) => db.prepare(line)));
}
