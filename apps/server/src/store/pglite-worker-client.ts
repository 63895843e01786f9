import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { CollectedHeap } from "../shared/collect-garbage.js";

type Row = Record<string, unknown> | unknown[];
export interface QueryResult {
  rows: Row[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}
interface QueryOptions {
  rowMode?: "array" | "object";
  parsers?: Record<number, unknown>;
}

/** The part of the PGlite interface Drizzle's PGlite driver uses. */
export interface PgliteLike {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult>;
  exec(sql: string): Promise<QueryResult[]>;
  transaction<T>(fn: (tx: PgliteLike) => Promise<T>): Promise<T>;
}

/** A compiled sibling script; under the test runner (sources) the build output of it. */
function siblingScript(name: string): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return here.replace(/pglite-worker-client\.js$/, `${name}.js`);
  const built = here.replace(/\/src\/store\/pglite-worker-client\.ts$/, `/dist/store/${name}.js`);
  if (!existsSync(built)) throw new Error(`embedded database script not built: ${built} (run npm run build)`);
  return built;
}

/**
 * The database worker's young generation (V8's default lets it grow to ~48 MB). The worker's own
 * garbage is short-lived protocol buffers and result rows, which a small nursery collects as well: a
 * 5,000-alert storm peaked at 278 MB RSS instead of 305, at the same CPU per incident (ADR 0025).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** Create the cluster in a separate process (see pglite-init.ts for why). */
export async function initPgliteCluster(dir: string, options: Record<string, unknown>): Promise<void> {
  const child = spawn(process.execPath, [siblingScript("pglite-init"), dir, JSON.stringify(options)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", resolve);
  });
  if (code !== 0) throw new Error(`creating the embedded database in ${dir} failed (exit ${code}): ${stderr.trim()}`);
}

/**
 * PGlite in a worker thread, behind the interface Drizzle needs. One session: the worker runs
 * statements in the order they are posted, so a statement outside a transaction is posted at once
 * (pipelined: the next is on its way while one runs, no round trip between them). A transaction holds
 * a mutex from BEGIN to COMMIT; statements asked for meanwhile wait for it, so nothing interleaves.
 */
export class PgliteWorkerClient implements PgliteLike {
  private seq = 0;
  private readonly calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private lock: Promise<unknown> = Promise.resolve();
  /** Transactions running or waiting for the mutex: while any, other statements queue behind them. */
  private transactions = 0;
  private closed = false;

  private constructor(private readonly worker: Worker) {
    worker.on("message", (m: { id?: number; result?: unknown; error?: Record<string, unknown> }) => {
      if (m.id === undefined) return;
      const call = this.calls.get(m.id);
      this.calls.delete(m.id);
      if (!call) return;
      if (m.error) call.reject(Object.assign(new Error(String(m.error.message)), m.error));
      else call.resolve(m.result);
    });
    worker.on("error", (err) => this.failAll(err));
    worker.on("exit", (code) => this.failAll(new Error(`embedded database worker exited (${code})`)));
  }

  static async create(dir: string | undefined, options: Record<string, unknown>): Promise<PgliteWorkerClient> {
    const worker = new Worker(siblingScript("pglite-worker"), {
      workerData: { dir, options },
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: { ready?: boolean }) => {
        if (m.ready) {
          worker.off("error", reject);
          resolve();
        }
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
    return new PgliteWorkerClient(worker);
  }

  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult> {
    if (this.transactions === 0) return this.send("query", sql, params, options);
    return this.locked(() => this.send("query", sql, params, options));
  }

  exec(sql: string): Promise<QueryResult[]> {
    if (this.transactions === 0) return this.call("exec", { sql }) as Promise<QueryResult[]>;
    return this.locked(() => this.call("exec", { sql }) as Promise<QueryResult[]>);
  }

  /**
   * Statements run as ONE transaction in a single message: the worker runs BEGIN, each statement and
   * COMMIT back to back (ROLLBACK and the error if one fails). Unlike `transaction`, the database never
   * waits inside the transaction for this thread to send the next statement (ADR 0025, seventh round).
   */
  atomic(statements: { sql: string; params: unknown[] }[]): Promise<void> {
    const run = () => this.call("atomic", { statements }) as Promise<void>;
    if (this.transactions === 0) return run();
    // Queued behind a transaction: counted as one, so statements asked for later queue behind it too.
    this.transactions++;
    return this.locked(run).finally(() => {
      this.transactions--;
    });
  }

  transaction<T>(fn: (tx: PgliteLike) => Promise<T>): Promise<T> {
    this.transactions++;
    return this.locked(async () => {
      const tx: PgliteLike = {
        query: (sql, params, options) => this.send("query", sql, params, options),
        exec: (sql) => this.call("exec", { sql }) as Promise<QueryResult[]>,
        transaction: (inner) => inner(tx),
      };
      await this.call("exec", { sql: "BEGIN" });
      try {
        const result = await fn(tx);
        await this.call("exec", { sql: "COMMIT" });
        return result;
      } catch (err) {
        await this.call("exec", { sql: "ROLLBACK" }).catch(() => undefined);
        throw err;
      }
    }).finally(() => {
      this.transactions--;
    });
  }

  /**
   * `COPY … FROM '/dev/blob'` with `data` as the blob; `data`'s memory moves to the database thread
   * when it is a whole ArrayBuffer (unusable here afterwards), otherwise it is copied.
   */
  copyFrom(sql: string, data: Uint8Array): Promise<void> {
    const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
    const run = () => this.call("copy", { sql, data }, whole ? [data.buffer as ArrayBuffer] : []) as Promise<void>;
    if (this.transactions === 0) return run();
    return this.locked(run);
  }

  /** A full garbage collection of the database thread's heap (its own V8 isolate); statements before it run first. */
  collectGarbage(): Promise<CollectedHeap> {
    return this.call("collect", {}) as Promise<CollectedHeap>;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.locked(() => this.call("close", {}));
    this.closed = true;
    await this.worker.terminate();
  }

  private send(op: "query", sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult> {
    return this.call(op, {
      sql,
      params: params ?? [],
      rowMode: options?.rowMode ?? "object",
      rawTypes: options?.parsers !== undefined,
    }) as Promise<QueryResult>;
  }

  private call(op: string, body: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error("embedded database is closed"));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, ...body }, transfer);
    });
  }

  private locked<T>(op: () => Promise<T>): Promise<T> {
    const run = this.lock.then(op, op);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private failAll(err: unknown): void {
    for (const c of this.calls.values()) c.reject(err);
    this.calls.clear();
  }
}
