import { and, asc, count, desc, eq, gt, gte, ilike, lte, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { rowsOf } from "./rows-of.js";
import { auditChainHeads, auditLog } from "./schema-audit.js";
import { textColumn } from "./text-array.js";

export type AuditRow = typeof auditLog.$inferSelect;
/** A row before its place in the chain is known. */
export type AuditDraft = Omit<AuditRow, "seq" | "prevHash" | "hash">;

/** The hash a chain starts from. */
export const GENESIS_HASH = "0".repeat(64);

export interface AuditFilter {
  action?: string | undefined;
  user?: string | undefined;
  resource?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Persistence of the audit chain. Appends lock the project's chain head, so concurrent writers stay linear. */
export class AuditStore {
  /**
   * Append drafts to `projectId`'s chain in one transaction: `seal` gives each its hash from the previous
   * one. The head row is locked FOR UPDATE, so another writer (this process or another) waits its turn.
   * While it is held: the hashing, then ONE statement that inserts the rows and moves the head, then COMMIT
   * (several processes queue on this lock: each round trip under it is a wait for all of them).
   */
  async append(
    db: Db,
    projectId: string,
    drafts: readonly AuditDraft[],
    seal: (draft: AuditDraft, seq: number, prevHash: string) => string,
  ): Promise<AuditRow[]> {
    return db.transaction(async (tx) => {
      const lockHead = () =>
        tx.select().from(auditChainHeads).where(eq(auditChainHeads.projectId, projectId)).for("update");
      let heads = await lockHead();
      // A project's first append creates its head (every later one finds it: one statement fewer per append).
      if (heads.length === 0) {
        await tx
          .insert(auditChainHeads)
          .values({ projectId, seq: 0, hash: GENESIS_HASH })
          .onConflictDoNothing({ target: auditChainHeads.projectId });
        heads = await lockHead();
      }
      const head = heads[0] as ChainHead;
      const rows = chained(projectId, head, drafts, seal);
      // Under the lock the head cannot have moved: all rows or a bug.
      const inserted = await writeAfter(tx, projectId, head, rows);
      if (inserted !== rows.length)
        throw new Error(`audit append under lock after ${head.seq} wrote ${inserted} of ${rows.length} rows`);
      return rows;
    });
  }

  /**
   * Append after a head this writer believes current, in ONE statement (no transaction, no lock): the
   * head moves from `head` to the last new row only if it is still `head`, and the rows are inserted
   * only if it moved. Null when another writer moved it first (nothing was written): the caller then
   * appends with the lock (`append`). A writer that is alone on a chain (one process) pays one round
   * trip per group instead of five (ADR 0025, seventh round).
   */
  async appendAfter(
    db: Db,
    projectId: string,
    head: ChainHead,
    drafts: readonly AuditDraft[],
    seal: (draft: AuditDraft, seq: number, prevHash: string) => string,
  ): Promise<AuditRow[] | null> {
    const rows = chained(projectId, head, drafts, seal);
    const inserted = await writeAfter(db, projectId, head, rows);
    if (inserted === rows.length) return rows;
    // All or nothing, as one statement: anything else is a bug, not a race.
    if (inserted !== 0) throw new Error(`audit append after ${head.seq} wrote ${inserted} of ${rows.length} rows`);
    return null;
  }

  async head(db: Db, projectId: string): Promise<{ seq: number; hash: string }> {
    const rows = await db.select().from(auditChainHeads).where(eq(auditChainHeads.projectId, projectId));
    return rows[0] ?? { seq: 0, hash: GENESIS_HASH };
  }

  /** Newest first. */
  async page(
    db: Db,
    projectId: string,
    filter: AuditFilter,
    offset: number,
    limit: number,
  ): Promise<{ rows: AuditRow[]; total: number }> {
    const where = this.where(projectId, filter);
    const [rows, totals] = await Promise.all([
      db.select().from(auditLog).where(where).orderBy(desc(auditLog.seq)).offset(offset).limit(limit),
      db.select({ n: count() }).from(auditLog).where(where),
    ]);
    return { rows, total: Number(totals[0]?.n ?? 0) };
  }

  /** Oldest first, after `afterSeq`: one batch of a keyset-paged scan (export, verification). */
  batch(db: Db, projectId: string, filter: AuditFilter, afterSeq: number, limit: number): Promise<AuditRow[]> {
    return db
      .select()
      .from(auditLog)
      .where(and(this.where(projectId, filter), gt(auditLog.seq, afterSeq)))
      .orderBy(asc(auditLog.seq))
      .limit(limit);
  }

  private where(projectId: string, f: AuditFilter): SQL {
    const parts: (SQL | undefined)[] = [eq(auditLog.projectId, projectId)];
    if (f.action) {
      parts.push(
        f.action.endsWith("*")
          ? sql`${auditLog.action} like ${`${escapeLike(f.action.slice(0, -1))}%`}`
          : eq(auditLog.action, f.action),
      );
    }
    if (f.user) {
      const like = `%${escapeLike(f.user)}%`;
      parts.push(or(eq(auditLog.actorId, f.user), ilike(auditLog.actorName, like)));
    }
    if (f.resource) {
      const [type, id] = f.resource.split(":", 2);
      parts.push(eq(auditLog.resourceType, type ?? f.resource));
      if (id) parts.push(eq(auditLog.resourceId, id));
    }
    if (f.from) parts.push(gte(auditLog.at, f.from));
    if (f.to) parts.push(lte(auditLog.at, f.to));
    return and(...parts) as SQL;
  }
}

/** True when the append-only trigger exists and is enabled (a tamperer may have disabled it). */
export async function appendOnlyEnforced(db: Db): Promise<boolean> {
  const rows = await db.execute<{ enabled: string }>(
    sql`select tgenabled as enabled from pg_trigger where tgname = 'audit_log_no_change'`,
  );
  const list = (Array.isArray(rows) ? rows : (rows as { rows: { enabled: string }[] }).rows) as { enabled: string }[];
  return list.length > 0 && list[0]?.enabled !== "D";
}

/** A chain's last row, as its head row records it. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * The rows after `head`, and the head moved to the last of them, in ONE statement: only if the head is
 * still `head` (otherwise nothing is written). How many rows it inserted.
 */
async function writeAfter(
  db: Pick<Db, "execute">,
  projectId: string,
  head: ChainHead,
  rows: readonly AuditRow[],
): Promise<number> {
  const last = rows[rows.length - 1];
  if (!last) return 0;
  const result = await db.execute(sql`
    with moved as (
      update ${auditChainHeads} set seq = ${last.seq}, hash = ${last.hash}
      where project_id = ${projectId} and seq = ${head.seq} and hash = ${head.hash}
      returning 1
    )
    insert into ${auditLog} ${auditRowsSelect(rows)} where exists (select 1 from moved)
    returning seq`);
  return rowsOf(result).length;
}

/** The drafts as rows following `head`: numbered and hashed in order. */
function chained(
  projectId: string,
  head: ChainHead,
  drafts: readonly AuditDraft[],
  seal: (draft: AuditDraft, seq: number, prevHash: string) => string,
): AuditRow[] {
  let seq = head.seq;
  let prevHash = head.hash;
  const rows: AuditRow[] = [];
  for (const draft of drafts) {
    seq += 1;
    const hash = seal(draft, seq, prevHash);
    rows.push({ ...draft, projectId, seq, prevHash, hash });
    prevHash = hash;
  }
  return rows;
}

/**
 * The columns and `select` of an insert of `rows`, as ONE statement of array parameters (`unnest`),
 * whatever their number: a multi-row `values` list made Drizzle build SQL whose size grows with the batch
 * (~0.2 ms of CPU per row; issue #17).
 */
function auditRowsSelect(rows: readonly AuditRow[]): SQL {
  const col = (f: (r: AuditRow) => unknown) => textColumn(rows, f);
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  return sql`(project_id, seq, at, actor_kind, actor_id, actor_name, actor_role, action, resource_type,
                             resource_id, outcome, status_code, before, after, ip, user_agent, request_id, prev_hash, hash)
    select project_id, seq::bigint, at::timestamptz, actor_kind, actor_id, actor_name, actor_role, action, resource_type,
           resource_id, outcome, status_code::integer, before::jsonb, after::jsonb, ip, user_agent, request_id, prev_hash, hash
    from unnest(
      ${col((r) => r.projectId)}::text[], ${col((r) => r.seq)}::text[], ${col((r) => r.at.toISOString())}::text[],
      ${col((r) => r.actorKind)}::text[], ${col((r) => r.actorId)}::text[], ${col((r) => r.actorName)}::text[],
      ${col((r) => r.actorRole)}::text[], ${col((r) => r.action)}::text[], ${col((r) => r.resourceType)}::text[],
      ${col((r) => r.resourceId)}::text[], ${col((r) => r.outcome)}::text[], ${col((r) => r.statusCode)}::text[],
      ${col((r) => json(r.before))}::text[], ${col((r) => json(r.after))}::text[], ${col((r) => r.ip)}::text[],
      ${col((r) => r.userAgent)}::text[], ${col((r) => r.requestId)}::text[], ${col((r) => r.prevHash)}::text[],
      ${col((r) => r.hash)}::text[]
    ) as t(project_id, seq, at, actor_kind, actor_id, actor_name, actor_role, action, resource_type, resource_id,
           outcome, status_code, before, after, ip, user_agent, request_id, prev_hash, hash)`;
}
