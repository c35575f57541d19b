/**
 * D1 with global read replication, as Cloudflare documents it ("Global read replication", D1 docs,
 * d1/best-practices/read-replication; "D1 Read Replication Public Beta", changelog 2025-04-10):
 * - "D1 routes all queries (both read and write) to a specific database instance in one location
 *   in the world, known as the primary database instance." Here: `primary` (default Virginia).
 * - Replicas: "D1 automatically creates a read replica in every supported region, including the
 *   region where the primary database instance is located" (ENAM, WNAM, WEUR, EEUR, APAC, OC). Our
 *   six cities stand for them: Virginia ENAM, Frankfurt WEUR, Seoul and Tokyo APAC, Sydney OC;
 *   São Paulo has no D1 region and reads from the nearest instance.
 * - "D1 asynchronously replicates changes from the primary database instance to all read
 *   replicas ... a read replica may be arbitrarily out of date." The docs give no lag figure: the
 *   lag is a parameter (`lagMs`), plus the one-way trip from the primary (half its round trip).
 * - "To use read replication, you must use the D1 Sessions API, otherwise all queries will continue
 *   to be executed only by the primary database." `withSession("first-unconstrained")` "will
 *   route the first query to any database instance" (here: the nearest), `"first-primary"` to the
 *   primary, a bookmark to an instance "at least as up-to-date as the provided bookmark": "The read
 *   replica will wait until it has been updated" (here it waits for the replication to reach it).
 *   Later queries of a session are at least as new as its last bookmark (sequential consistency).
 *   "Bookmarks are lexicographically sortable" (D1 glossary): here a zero-padded sequence number.
 * - A replica "Forwards any write queries to the primary database instance": a write sent to a
 *   replica pays the round trip from it to the primary on top.
 * - `batch()` "Sends multiple SQL statements inside a single call to the database" (D1 Worker API,
 *   D1Database::batch; a session's `batch()` "is equivalent"): one call, so one instance and one
 *   round trip, routed as the session's next query; `first-primary` "Directs the first query in
 *   the Session ... to the primary database instance" and "Subsequent queries in the Session may
 *   use read replicas" (D1 Worker API, withSession), so a session's second call goes to the
 *   nearest replica with the primary's bookmark and waits there for it.
 *
 * Replicas are real SQLite copies (node:sqlite): each starts as a copy of the migrated primary and
 * applies the primary's changesets (SQLite's session extension: the rows each write transaction
 * changed, triggers included), in order, after the lag. A write is recognised the way a replica
 * would: the statement fails on the replica's read-only connection.
 */
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { constants, DatabaseSync, type SQLInputValue } from "node:sqlite";
import { nearest, type Region, rtt, type SimClock } from "./network.ts";

/** A statement as the Worker sent it. */
export interface Sql {
  sql: string;
  params: SQLInputValue[];
}

/** How the queries of one call may be routed. */
export interface Route {
  /** "none": the plain binding (primary); "primary-only": replication off, whatever the session says. */
  constraint: "none" | "first-primary" | "first-unconstrained" | "primary-only";
  /** The session's bookmark so far (its first one may come from the caller). */
  bookmark: string | null;
}

export interface D1Answer {
  results: { results: Record<string, unknown>[]; changes: number; lastRowId: number }[];
  bookmark: string;
  servedBy: string;
  primary: boolean;
  /** What the call cost in simulated ms: its round trips plus the wait for replication as scheduled. */
  simulatedMs: number;
}

/** One replica (or the primary) as the model sees it. */
interface Instance {
  region: Region;
  read: DatabaseSync;
  apply: DatabaseSync | null;
  seq: number;
  waiters: { seq: number; wake: () => void }[];
  /** When each write not yet applied here is due (ms since the epoch). */
  due: Map<number, number>;
}

export interface D1Options {
  dir: string;
  primary: Region;
  replicas: readonly Region[];
  lagMs: number;
}

const pad = (n: number) => String(n).padStart(12, "0");
const seqOf = (bookmark: string | null) => (bookmark ? Number.parseInt(bookmark.split("-")[0] ?? "0", 10) || 0 : 0);
const READONLY = 8;

/**
 * Applying a changeset fires the replica's own triggers (the comment counters), and the changeset
 * also carries the rows those triggers changed on the primary: that second copy conflicts with the
 * first and replaces it, so the replica ends up with exactly the primary's rows.
 */
const onConflict = (kind: number) =>
  kind === constants.SQLITE_CHANGESET_DATA || kind === constants.SQLITE_CHANGESET_CONFLICT
    ? constants.SQLITE_CHANGESET_REPLACE
    : constants.SQLITE_CHANGESET_OMIT;

export class D1Model {
  readonly #clock: SimClock;
  readonly #options: D1Options;
  readonly #primary: DatabaseSync;
  readonly #instances = new Map<Region, Instance>();
  #seq = 0;
  /** Every call: where it ran, and how long it waited for a replica to catch up (ms). */
  readonly calls: {
    dc: Region;
    servedBy: string;
    primary: boolean;
    write: boolean;
    waitedMs: number;
    /** How long the call took on this machine. */
    realMs: number;
  }[] = [];

  /** Opens the primary; load it (`primaryDb`), then `startReplicas` copies it to every replica. */
  constructor(clock: SimClock, options: D1Options) {
    this.#clock = clock;
    this.#options = options;
    this.#primary = new DatabaseSync(join(options.dir, "primary.sqlite"));
  }

  /** Copies the primary, as loaded so far, to every replica region and opens the copies. */
  startReplicas(): void {
    const primaryFile = join(this.#options.dir, "primary.sqlite");
    for (const region of this.#options.replicas) {
      const file = join(this.#options.dir, `replica-${region}.sqlite`);
      copyFileSync(primaryFile, file);
      const apply = new DatabaseSync(file);
      this.#instances.set(region, {
        region,
        apply,
        read: new DatabaseSync(file, { readOnly: true }),
        seq: this.#seq,
        waiters: [],
        due: new Map(),
      });
    }
  }

  /** The primary database itself (the checker reads what was stored from it). */
  get primaryDb(): DatabaseSync {
    return this.#primary;
  }

  /** Runs one call (a statement or a batch) from data center `dc`. */
  async query(dc: Region, statements: Sql[], route: Route): Promise<D1Answer> {
    const need = seqOf(route.bookmark);
    const toPrimary =
      route.constraint === "none" ||
      route.constraint === "primary-only" ||
      (route.constraint === "first-primary" && route.bookmark === null);
    const replica = toPrimary ? undefined : this.#replicaFor(dc);
    if (!replica) return this.#atPrimary(dc, statements, rtt(dc, this.#options.primary), 0, 0);
    const started = Date.now();
    await this.#clock.delay(rtt(dc, replica.region) / 2);
    const arrived = Date.now();
    const behind = replica.seq < need;
    // The wait as scheduled (the write's due time here), not as this machine's timers kept it.
    const dueWait = behind ? Math.max(0, (replica.due.get(need) ?? arrived) - arrived) : 0;
    await this.#caughtUp(replica, need);
    const waitedMs = behind ? Date.now() - arrived : 0;
    const reads = this.#tryRead(replica.read, statements);
    if (reads === null) {
      // A write: the replica forwards it to the primary and relays the answer.
      await this.#clock.delay(rtt(dc, replica.region) / 2);
      const hop = rtt(dc, replica.region) + dueWait;
      return this.#atPrimary(dc, statements, rtt(replica.region, this.#options.primary), waitedMs, hop, replica.region);
    }
    await this.#clock.delay(rtt(dc, replica.region) / 2);
    this.calls.push({
      dc,
      servedBy: replica.region,
      primary: false,
      write: false,
      waitedMs: Math.max(0, waitedMs),
      realMs: Date.now() - started,
    });
    return {
      results: reads,
      bookmark: `${pad(replica.seq)}-sim`,
      servedBy: replica.region,
      primary: false,
      simulatedMs: rtt(dc, replica.region) + dueWait,
    };
  }

  /** The nearest replica to `dc` (replicas include one in the primary's region). */
  #replicaFor(dc: Region): Instance | undefined {
    const regions = [...this.#instances.keys()];
    return regions.length === 0 ? undefined : this.#instances.get(nearest(dc, regions));
  }

  #caughtUp(replica: Instance, seq: number): Promise<void> {
    if (replica.seq >= seq) return Promise.resolve();
    return new Promise((wake) => replica.waiters.push({ seq, wake }));
  }

  /** Statement results on a read-only connection, or null when one of them writes. */
  #tryRead(db: DatabaseSync, statements: Sql[]): D1Answer["results"] | null {
    const out: D1Answer["results"] = [];
    for (const s of statements) {
      try {
        out.push({
          results: db.prepare(s.sql).all(...s.params) as Record<string, unknown>[],
          changes: 0,
          lastRowId: 0,
        });
      } catch (error) {
        if ((error as { errcode?: number }).errcode === READONLY) return null;
        throw error;
      }
    }
    return out;
  }

  async #atPrimary(dc: Region, statements: Sql[], roundTrip: number, waitedMs: number, before: number, via?: Region) {
    const started = Date.now();
    await this.#clock.delay(roundTrip / 2);
    const { results, changeset } = this.#transaction(statements);
    if (changeset.length > 0) this.#replicate(++this.#seq, changeset);
    const bookmark = `${pad(this.#seq)}-sim`;
    await this.#clock.delay(roundTrip / 2);
    this.calls.push({
      dc,
      servedBy: via ? `${this.#options.primary} via ${via}` : this.#options.primary,
      primary: true,
      write: changeset.length > 0,
      waitedMs,
      realMs: Date.now() - started,
    });
    return { results, bookmark, servedBy: this.#options.primary, primary: true, simulatedMs: before + roundTrip };
  }

  /** The statements as one transaction on the primary (D1 batches are transactions), with what they changed. */
  #transaction(statements: Sql[]): { results: D1Answer["results"]; changeset: Uint8Array } {
    const db = this.#primary;
    const session = db.createSession();
    db.exec("BEGIN");
    try {
      const counters = db.prepare("SELECT total_changes() AS n, last_insert_rowid() AS id");
      const results = statements.map((s) => {
        const before = Number(counters.get()?.n ?? 0);
        const rows = db.prepare(s.sql).all(...s.params) as Record<string, unknown>[];
        const after = counters.get();
        return { results: rows, changes: Number(after?.n ?? 0) - before, lastRowId: Number(after?.id ?? 0) };
      });
      db.exec("COMMIT");
      return { results, changeset: session.changeset() };
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    } finally {
      session.close();
    }
  }

  /** Applies write `seq` to every replica after the lag (timers of equal delay fire in order). */
  #replicate(seq: number, changeset: Uint8Array): void {
    for (const replica of this.#instances.values()) {
      const lag = this.#options.lagMs + rtt(this.#options.primary, replica.region) / 2;
      replica.due.set(seq, Date.now() + lag);
      void this.#clock.delay(lag).then(() => {
        replica.due.delete(seq);
        if (replica.apply && !replica.apply.applyChangeset(changeset, { onConflict }))
          throw new Error(`replica ${replica.region} could not apply write ${seq}`);
        replica.seq = Math.max(replica.seq, seq);
        const ready = replica.waiters.filter((w) => w.seq <= replica.seq);
        replica.waiters = replica.waiters.filter((w) => w.seq > replica.seq);
        for (const w of ready) w.wake();
      });
    }
  }

  /** Closes every database. */
  close(): void {
    for (const i of this.#instances.values()) {
      i.read.close();
      i.apply?.close();
    }
    this.#primary.close();
  }
}
