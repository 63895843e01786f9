/**
 * Statements on the embedded database in as few calls into PostgreSQL as the protocol allows, with
 * the plans of repeated statements kept (ADR 0025, twelfth round).
 *
 * PGlite's own `query` makes six calls into the WebAssembly module per statement (Parse, Describe,
 * Bind, Describe, Execute, Sync, each a pass of PostgreSQL's main loop) and parses and plans the text
 * every time. Here a statement seen before runs as ONE call: Bind, Describe, Execute and Sync of a
 * named prepared statement, whose parse tree (and, once PostgreSQL finds it as cheap, generic plan)
 * the backend keeps. A statement seen for the first time takes two calls (Parse and Describe for its
 * parameter types, then the rest), unnamed, so one-off texts — a batch insert's VALUES list of this
 * size — hold no memory in the backend, whose WebAssembly heap never shrinks.
 *
 * Caller's contract: one statement at a time (the worker runs its messages strictly in order).
 */
import { type PGlite, parse, protocol, type QueryOptions, type Results } from "@electric-sql/pglite";

const { serialize } = protocol;

/** Named statements kept; the least recently used one is closed beyond this. */
export const MAX_PREPARED = 128;
/** A text longer than this is never named (a multi-row VALUES list, a migration). */
export const MAX_NAMED_TEXT = 4096;
/** Texts remembered as seen once, to name them on their second run. */
const MAX_SEEN = 512;

/** PostgreSQL's answer when a kept plan's result columns changed under it (DDL since it was prepared). */
const RESULT_TYPE_CHANGED = "cached plan must not change result type";

interface Prepared {
  name: string;
  /** Parameter type OIDs from Describe, which choose each value's text form. */
  types: number[];
}

function concat(parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export class PgliteStatements {
  private readonly prepared = new Map<string, Prepared>();
  private seen = new Set<string>();
  private counter = 0;
  /** Close messages of evicted statements, sent ahead of the next call's own messages. */
  private closing: Uint8Array[] = [];

  constructor(private readonly pg: PGlite) {}

  /** Named statements kept now (for tests and diagnostics). */
  get size(): number {
    return this.prepared.size;
  }

  async query<T = Record<string, unknown>>(
    sql: string,
    params: unknown[],
    options: Pick<QueryOptions, "rowMode" | "parsers"> = {},
  ): Promise<Results<T>> {
    const kept = this.prepared.get(sql);
    if (kept) {
      // Most recently used last: the map's first entry is the one to evict.
      this.prepared.delete(sql);
      this.prepared.set(sql, kept);
      return this.run(sql, kept, params, options);
    }
    const name = sql.length <= MAX_NAMED_TEXT && this.seen.has(sql) ? `aegis_${++this.counter}` : "";
    const described = await this.pg.execProtocol(
      this.withClosing([
        serialize.parse({ name, text: sql }),
        serialize.describe({ type: "S", name }),
        serialize.sync(),
      ]),
    );
    const statement: Prepared = { name, types: parse.parseDescribeStatementResults(described.messages) };
    if (name) {
      this.seen.delete(sql);
      this.prepared.set(sql, statement);
      this.evict();
    } else if (sql.length <= MAX_NAMED_TEXT) {
      if (this.seen.size >= MAX_SEEN) this.seen = new Set();
      this.seen.add(sql);
    }
    return this.run(sql, statement, params, options);
  }

  private async run<T>(
    sql: string,
    statement: Prepared,
    params: unknown[],
    options: Pick<QueryOptions, "rowMode" | "parsers">,
  ): Promise<Results<T>> {
    const values = params.map((value, i) => this.text(value, statement.types[i]));
    try {
      const result = await this.pg.execProtocol(
        this.withClosing([
          serialize.bind({ statement: statement.name, values }),
          serialize.describe({ type: "P" }),
          serialize.execute({}),
          serialize.sync(),
        ]),
      );
      return parse.parseResults(result.messages, this.pg.parsers, options)[0] as Results<T>;
    } catch (err) {
      if (!statement.name || (err as Error).message !== RESULT_TYPE_CHANGED) throw err;
      // A schema change since it was prepared: prepared again. Outside a transaction nothing was done,
      // so the statement runs again at once; inside one the transaction has failed and the error is its.
      this.forget(sql, statement);
      if (this.pg.isInTransaction()) throw err;
      return this.query(sql, params, options);
    }
  }

  /** A parameter's text form, as PGlite's own `query` makes it (its serializer for the type, else `toString`). */
  private text(value: unknown, oid: number | undefined): string | null {
    if (value === null || value === undefined) return null;
    const serializer = oid === undefined ? undefined : this.pg.serializers[oid];
    return serializer ? (serializer(value) as string) : String(value);
  }

  private evict(): void {
    while (this.prepared.size > MAX_PREPARED) {
      const [sql, oldest] = this.prepared.entries().next().value as [string, Prepared];
      this.forget(sql, oldest);
    }
  }

  private forget(sql: string, statement: Prepared): void {
    this.prepared.delete(sql);
    this.closing.push(serialize.close({ type: "S", name: statement.name }));
  }

  private withClosing(messages: Uint8Array[]): Uint8Array {
    if (this.closing.length === 0) return concat(messages);
    const all = concat([...this.closing, ...messages]);
    this.closing = [];
    return all;
  }
}
