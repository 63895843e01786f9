/**
 * Worker-thread host of the embedded database. PGlite runs Postgres compiled to WebAssembly on the
 * thread that calls it; hosting it here keeps the server's event loop free to answer HTTP while
 * queries run. Messages: {id, op: "query"|"exec"|"atomic"|"collect"|"close", sql, params, rowMode,
 * rawTypes, statements}.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, types } from "@electric-sql/pglite";
import { collectGarbage } from "../shared/collect-garbage.js";

interface Request {
  id: number;
  /** `collect`: a full garbage collection of this thread's heap (after start-up, ADR 0025 eighth round). */
  op: "query" | "exec" | "atomic" | "collect" | "close";
  sql?: string;
  /** `atomic`: statements run as one transaction, all or nothing, nothing else between them. */
  statements?: { sql: string; params: unknown[] }[];
  params?: unknown[];
  rowMode?: "array" | "object";
  /** Keep date and interval types as text, as Drizzle expects (its parsers are functions and cannot cross threads). */
  rawTypes?: boolean;
}

const RAW_TYPES = [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182];
const identity = Object.fromEntries(RAW_TYPES.map((t) => [t, (v: string) => v]));
if (!parentPort) throw new Error("pglite-worker must run in a worker thread");
const port = parentPort;

const { dir, options } = workerData as { dir: string | undefined; options: Record<string, unknown> };
const pg = await PGlite.create(dir, options);

/**
 * Statements run strictly in the order they arrive: the client posts statements without waiting for
 * the previous answer (pipelining), and relies on this order (a transaction's BEGIN after them).
 */
let tail: Promise<void> = Promise.resolve();
port.on("message", (m: Request) => {
  tail = tail.then(() => handle(m));
});

async function handle(m: Request): Promise<void> {
  try {
    let result: unknown = null;
    if (m.op === "query") {
      result = await pg.query(m.sql as string, m.params ?? [], {
        rowMode: m.rowMode ?? "object",
        ...(m.rawTypes ? { parsers: identity } : {}),
      });
    } else if (m.op === "exec") {
      result = await pg.exec(m.sql as string);
    } else if (m.op === "atomic") {
      await pg.transaction(async (tx) => {
        for (const s of m.statements ?? []) await tx.query(s.sql, s.params);
      });
    } else if (m.op === "collect") {
      result = await collectGarbage();
    } else {
      await pg.close();
    }
    port.postMessage({ id: m.id, result });
  } catch (err) {
    const e = err as Record<string, unknown> & Error;
    port.postMessage({
      id: m.id,
      error: { message: e.message, name: e.name, code: e.code, detail: e.detail, constraint: e.constraint },
    });
  }
}
port.postMessage({ ready: true });
