import { sql } from "drizzle-orm";
import type { Logger } from "../shared/logger.js";
import type { Database } from "./database.js";
import { rowsOf } from "./rows-of.js";

/** What one round did to one table. */
export interface MaintainedTable {
  table: string;
  work: "analyze" | "vacuum";
  ms: number;
}

/**
 * PostgreSQL's autovacuum thresholds (`autovacuum_analyze_threshold` 50 + `_scale_factor` 0.1 of the
 * table's rows; `autovacuum_vacuum_threshold` 50 + `_scale_factor` 0.2), applied by the product.
 */
const ANALYZE_BASE = 50;
const ANALYZE_SCALE = 0.1;
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;

interface TableStats {
  table: string;
  /** -1 until the table was first analyzed or vacuumed. */
  reltuples: number;
  modSinceAnalyze: number;
  dead: number;
}

/**
 * Autovacuum for the embedded database, which has none: PGlite runs one backend in single-user mode, so
 * no launcher ever analyzes or vacuums. Without it the planner has no statistics and guesses (the
 * dashboard's counts read 5,000 incidents through a bitmap index scan estimated at 76 rows), and the
 * dead rows of every update stay. Each round reads the activity counters and, table by table, runs what
 * PostgreSQL's autovacuum would at its default thresholds: `ANALYZE` once a tenth of a table changed,
 * `VACUUM (ANALYZE)` once a fifth of it is dead rows. A table never analyzed (a fresh install, or a
 * database from a version without this) is analyzed in the first round, at start; the counters start
 * from zero at each start, so changes made before a restart count only with new ones, as in PostgreSQL
 * after a crash. PostgreSQL runs its own autovacuum: this is for the embedded database only (ADR 0025,
 * ninth round).
 */
export class EmbeddedMaintenance {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<MaintainedTable[]> | null = null;

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.database.kind !== "pglite" || this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.round(), this.intervalMs);
    this.timer.unref();
    void this.round();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One round: what it analyzed and vacuumed. Never throws (a failure waits for the next round). */
  round(): Promise<MaintainedTable[]> {
    if (this.database.kind !== "pglite") return Promise.resolve([]);
    this.running ??= this.maintain()
      .catch((err: unknown) => {
        this.logger.warn({ err }, "embedded database maintenance failed; retrying at the next round");
        return [];
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async maintain(): Promise<MaintainedTable[]> {
    const db = this.database.db;
    const done: MaintainedTable[] = [];
    for (const t of await this.tables()) {
      const rows = Math.max(0, t.reltuples);
      const work =
        t.dead > VACUUM_BASE + VACUUM_SCALE * rows
          ? "vacuum"
          : t.reltuples < 0 || t.modSinceAnalyze > ANALYZE_BASE + ANALYZE_SCALE * rows
            ? "analyze"
            : null;
      if (!work) continue;
      const name = `"${t.table.replaceAll('"', '""')}"`;
      const started = performance.now();
      await db.execute(sql.raw(work === "vacuum" ? `vacuum (analyze) ${name}` : `analyze ${name}`));
      done.push({ table: t.table, work, ms: Math.round(performance.now() - started) });
    }
    if (done.length > 0) this.logger.debug({ tables: done }, "embedded database maintained");
    return done;
  }

  private async tables(): Promise<TableStats[]> {
    // The counters of the last second's statements are flushed once the next statement ends.
    await this.database.db.execute(sql`select pg_stat_force_next_flush()`);
    const rows = rowsOf(
      await this.database.db.execute(sql`select s.relname, c.reltuples, s.n_mod_since_analyze, s.n_dead_tup
        from pg_stat_user_tables s join pg_class c on c.oid = s.relid
        where s.schemaname = 'public' order by s.relname`),
    );
    return rows.map((r) => ({
      table: String(r.relname),
      reltuples: Number(r.reltuples),
      modSinceAnalyze: Number(r.n_mod_since_analyze),
      dead: Number(r.n_dead_tup),
    }));
  }
}
