/**
 * Statements on the embedded database in as few calls into PostgreSQL as the protocol allows (ADR 0025,
 * twelfth round).
 *
 * PGlite's own `query` makes six calls into the WebAssembly module per statement (Parse, Describe,
 * Bind, Describe, Execute, Sync, each a pass of PostgreSQL's main loop). Here a statement whose text was
 * seen before runs as ONE call: Parse, Bind, Describe, Execute and Sync together, its parameter types
 * (which choose each value's text form) remembered from the first run. A text seen for the first time
 * takes two calls: Parse and Describe for its parameter types, then the rest.
 *
 * The statement stays unnamed, so PostgreSQL plans it at every run from the tables as they are then,
 * as PGlite's `query` (and node-postgres on a server) do. A named, kept plan was tried and dropped: a
 * plan made while a table was empty (a fresh install, the first seconds of a storm) was kept while the
 * table grew, and one job-queue statement went from 0.5 ms to 2.2 s per run.
 *
 * Caller's contract: one statement at a time (the worker runs its messages strictly in order).
 */
import { type PGlite, parse, protocol, type QueryOptions, type Results } from "@electric-sql/pglite";

const { serialize } = protocol;

/** Texts whose parameter types are remembered; the least recently used is forgotten beyond this. */
export const MAX_REMEMBERED = 512;
/** A longer text is never remembered (a multi-row VALUES list of one size, a migration). */
export const MAX_REMEMBERED_TEXT = 4096;

export class PgliteStatements {
  /** Parameter type OIDs by statement text, most recently used last. */
  private readonly types = new Map<string, number[]>();

  constructor(private readonly pg: PGlite) {}

  /** Texts whose parameter types are remembered now (for tests and diagnostics). */
  get size(): number {
    return this.types.size;
  }

  async query<T = Record<string, unknown>>(
    sql: string,
    params: unknown[],
    options: Pick<QueryOptions, "rowMode" | "parsers"> = {},
  ): Promise<Results<T>> {
    const known = this.types.get(sql);
    if (known) {
      this.types.delete(sql);
      this.types.set(sql, known);
    }
    const types = known ?? (await this.describe(sql));
    const values = params.map((value, i) => this.text(value, types[i]));
    const messages = [
      serialize.bind({ values }),
      serialize.describe({ type: "P" }),
      serialize.execute({}),
      serialize.sync(),
    ];
    try {
      const result = await this.pg.execProtocol(
        Buffer.concat(known ? [serialize.parse({ text: sql }), ...messages] : messages),
      );
      return parse.parseResults(result.messages, this.pg.parsers, options)[0] as Results<T>;
    } catch (err) {
      // A schema change may have changed the types: described again at the next run.
      this.types.delete(sql);
      throw err;
    }
  }

  /** Parse the text as the unnamed statement and learn its parameter types (remembered if short). */
  private async describe(sql: string): Promise<number[]> {
    const described = await this.pg.execProtocol(
      Buffer.concat([serialize.parse({ text: sql }), serialize.describe({ type: "S" }), serialize.sync()]),
    );
    const types = parse.parseDescribeStatementResults(described.messages);
    if (sql.length <= MAX_REMEMBERED_TEXT) {
      this.types.set(sql, types);
      if (this.types.size > MAX_REMEMBERED) {
        const oldest = this.types.keys().next();
        if (!oldest.done) this.types.delete(oldest.value);
      }
    }
    return types;
  }

  /** A parameter's text form, as PGlite's own `query` makes it (its serializer for the type, else `toString`). */
  private text(value: unknown, oid: number | undefined): string | null {
    if (value === null || value === undefined) return null;
    const serializer = oid === undefined ? undefined : this.pg.serializers[oid];
    return serializer ? (serializer(value) as string) : String(value);
  }
}
