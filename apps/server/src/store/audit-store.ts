import { and, asc, count, desc, eq, gt, gte, ilike, lte, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { auditChainHeads, auditLog } from "./schema-audit.js";

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
   */
  async append(
    db: Db,
    projectId: string,
    drafts: readonly AuditDraft[],
    seal: (draft: AuditDraft, seq: number, prevHash: string) => string,
  ): Promise<AuditRow[]> {
    return db.transaction(async (tx) => {
      await tx
        .insert(auditChainHeads)
        .values({ projectId, seq: 0, hash: GENESIS_HASH })
        .onConflictDoNothing({ target: auditChainHeads.projectId });
      const heads = await tx
        .select()
        .from(auditChainHeads)
        .where(eq(auditChainHeads.projectId, projectId))
        .for("update");
      const head = heads[0] as { seq: number; hash: string };
      let seq = head.seq;
      let prevHash = head.hash;
      const rows: AuditRow[] = [];
      for (const draft of drafts) {
        seq += 1;
        const hash = seal(draft, seq, prevHash);
        rows.push({ ...draft, projectId, seq, prevHash, hash });
        prevHash = hash;
      }
      await insertAuditRows(tx, rows);
      await tx.update(auditChainHeads).set({ seq, hash: prevHash }).where(eq(auditChainHeads.projectId, projectId));
      return rows;
    });
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

/**
 * The rows in ONE statement of array parameters (`unnest`), whatever their number: a multi-row `values`
 * list made Drizzle build SQL whose size grows with the batch (~0.2 ms of CPU per row; issue #17).
 */
async function insertAuditRows(tx: Db, rows: readonly AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = (f: (r: AuditRow) => string | number | null | undefined) =>
    sql.param(
      rows.map((r) => {
        const v = f(r);
        return v === null || v === undefined ? null : String(v);
      }),
    );
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  await tx.execute(sql`
    insert into ${auditLog} (project_id, seq, at, actor_kind, actor_id, actor_name, actor_role, action, resource_type,
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
           outcome, status_code, before, after, ip, user_agent, request_id, prev_hash, hash)`);
}
