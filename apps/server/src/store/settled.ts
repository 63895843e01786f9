/**
 * `Promise.all` for statements sent on one transaction without waiting between them (a pipelined
 * PostgreSQL connection, or the embedded database's worker): it waits for EVERY one to settle before it
 * fails with the first failure. `Promise.all` would fail at once, and the transaction's ROLLBACK and the
 * connection's release could then overtake statements a caller still had to send (a loop's next step),
 * which would run outside the transaction, or on a connection lent to someone else.
 */
export async function settled<T extends readonly unknown[] | []>(
  values: T,
): Promise<{ -readonly [P in keyof T]: Awaited<T[P]> }> {
  const results = (await Promise.allSettled(values)) as PromiseSettledResult<unknown>[];
  for (const r of results) if (r.status === "rejected") throw r.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as {
    -readonly [P in keyof T]: Awaited<T[P]>;
  };
}
