/**
 * Worker-thread host of the embedded database. PGlite runs Postgres compiled to WebAssembly on the
 * thread that calls it; hosting it here keeps the server's event loop free to answer HTTP while
 * queries run. Messages: {id, op: "query"|"exec"|"atomic"|"copy"|"collect"|"close", sql, params, data,
 * rowMode, rawTypes, statements}.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, types } from "@electric-sql/pglite";
import { collectGarbage } from "../shared/collect-garbage.js";
import { releaseFileBundle } from "./pglite-file-bundle.js";
import { PgliteStatements } from "./pglite-statements.js";

interface Request {
  id: number;
  /** `collect`: a full garbage collection of this thread's heap (after start-up, ADR 0025 eighth round). */
  op: "query" | "exec" | "atomic" | "copy" | "collect" | "close";
  sql?: string;
  /** `atomic`: statements run as one transaction, all or nothing, nothing else between them. */
  statements?: { sql: string; params: unknown[] }[];
  params?: unknown[];
  /** `copy`: the bytes `COPY … FROM '/dev/blob'` reads. */
  data?: Uint8Array;
  rowMode?: "array" | "object";
  /** Keep date and interval types as text, as Drizzle expects (its parsers are functions and cannot cross threads). */
  rawTypes?: boolean;
}

const RAW_TYPES = [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182];
const identity = Object.fromEntries(RAW_TYPES.map((t) => [t, (v: string) => v]));
if (!parentPort) throw new Error("pglite-worker must run in a worker thread");
const port = parentPort;

const { dir, options } = workerData as { dir: string | undefined; options: Record<string, unknown> };
/** The part of the WebAssembly global used here (the server's TypeScript libraries do not declare it). */
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  compile(bytes: Uint8Array): Promise<object>;
};

/**
 * PGlite's PostgreSQL module, compiled from bytes read into WebAssembly memory instead of a Buffer.
 * Left to itself, PGlite reads the 9 MB `pglite.wasm` into a Buffer (malloc) and frees it once compiled;
 * glibc then raises its mmap threshold to 9 MB for the rest of the process, and blocks below that come
 * from malloc arenas that keep what is freed (~5 MB of idle RSS, ADR 0025 ninth round). A
 * `WebAssembly.Memory` is mapped by V8 itself, outside malloc, and unmapped once collected.
 */
async function compilePostgres(): Promise<object> {
  const file = pgliteFile("pglite.wasm");
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const bytes = new Uint8Array(new WebAssembly.Memory({ initial: Math.ceil(size / 65536) }).buffer, 0, size);
    for (let at = 0; at < size; ) {
      const n = readSync(fd, bytes, at, size - at, at);
      if (n === 0) throw new Error(`${file.pathname}: ended at ${at} of ${size} bytes`);
      at += n;
    }
    return await WebAssembly.compile(bytes);
  } finally {
    closeSync(fd);
  }
}

/** A file shipped beside PGlite's module. */
function pgliteFile(name: string): URL {
  return new URL(`./${name}`, import.meta.resolve("@electric-sql/pglite"));
}

const pg = await PGlite.create(dir, { ...options, pgliteWasmModule: await compilePostgres() });
// Its share files are read from disk on first use from now on: ~6 MB less resident (ADR 0025, fifteenth round).
releaseFileBundle(pg, pgliteFile("pglite.data"));
const session = new PgliteStatements(pg);

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
      result = await session.query(m.sql as string, m.params ?? [], {
        rowMode: m.rowMode ?? "object",
        ...(m.rawTypes ? { parsers: identity } : {}),
      });
    } else if (m.op === "exec") {
      result = await pg.exec(m.sql as string);
    } else if (m.op === "copy") {
      await pg.query(m.sql as string, [], { blob: new Blob([m.data as Uint8Array<ArrayBuffer>]) });
    } else if (m.op === "atomic") {
      await pg.exec("BEGIN");
      try {
        for (const s of m.statements ?? []) await session.query(s.sql, s.params);
        await pg.exec("COMMIT");
      } catch (err) {
        await pg.exec("ROLLBACK");
        throw err;
      }
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
