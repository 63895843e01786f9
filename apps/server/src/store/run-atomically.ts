import type { SQLWrapper } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Db } from "./database.js";
import { PgliteWorkerClient } from "./pglite-worker-client.js";
import { settled } from "./settled.js";

const dialect = new PgDialect();

/**
 * Statements built in advance, run in order as ONE transaction (all or nothing). On the embedded
 * database they go to its worker as a single message, so the worker thread runs BEGIN … COMMIT without
 * waiting between statements for this thread (busy with an analysis, it answered late and the database
 * sat idle holding the transaction: ADR 0025, seventh round). On PostgreSQL, a transaction whose
 * statements are sent together on its pipelined connection (`openDatabase`): one round trip for all of
 * them, run in the order given. `db` may be a transaction already: then they join it.
 */
export async function runAtomically(db: Db, statements: readonly SQLWrapper[]): Promise<void> {
  if (statements.length === 0) return;
  const client = (db as { $client?: unknown }).$client;
  if (client instanceof PgliteWorkerClient) {
    await client.atomic(statements.map((s) => dialect.sqlToQuery(s.getSQL())));
    return;
  }
  await db.transaction(async (tx) => {
    await settled(statements.map((s) => tx.execute(s.getSQL())));
  });
}
