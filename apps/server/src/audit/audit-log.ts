import { Readable } from "node:stream";
import type { AuditLogEntry, AuditVerification } from "@aegis/contracts";
import type { AuditEntry, AuditTrail } from "../ports/audit-trail.js";
import type { Logger } from "../shared/logger.js";
import {
  type AuditDraft,
  type AuditFilter,
  type AuditRow,
  AuditStore,
  type ChainHead,
  GENESIS_HASH,
} from "../store/audit-store.js";
import type { Database } from "../store/database.js";
import { asStoredJson, chainHash } from "./audit-chain.js";

export type { AuditFilter };

const BATCH = 1000;
/** Appends made with the lock, after a lock-free one found another writer's rows, before trying again. */
const CONTENDED_APPENDS = 16;
/** At most this many entries per group-committed append. */
const MAX_GROUP = 500;
/**
 * While a project's chain is contended (other processes append to it too), a drain waits this long before
 * taking its group: every append holds the shared head's lock for a few round trips whoever waits, so
 * fewer, larger groups keep the other processes' appends (and their pooled connections) from queueing on it.
 */
const CONTENDED_GATHER_MS = 100;

/** Columns of the CSV export, in order. */
export const AUDIT_CSV_COLUMNS = [
  "seq",
  "timestamp",
  "actor_kind",
  "actor_id",
  "actor_name",
  "actor_role",
  "action",
  "resource_type",
  "resource_id",
  "outcome",
  "status_code",
  "ip_address",
  "user_agent",
  "request_id",
  "before",
  "after",
  "prev_hash",
  "hash",
] as const;

function csvRecord(r: AuditRow): (string | number)[] {
  return [
    r.seq,
    r.at.toISOString(),
    r.actorKind,
    r.actorId,
    r.actorName,
    r.actorRole ?? "",
    r.action,
    r.resourceType,
    r.resourceId ?? "",
    r.outcome,
    r.statusCode ?? "",
    r.ip ?? "",
    r.userAgent ?? "",
    r.requestId ?? "",
    r.before === null ? "" : JSON.stringify(r.before),
    r.after === null ? "" : JSON.stringify(r.after),
    r.prevHash,
    r.hash,
  ];
}

export function auditEntryView(r: AuditRow): AuditLogEntry {
  return {
    id: `${r.projectId}:${r.seq}`,
    seq: r.seq,
    timestamp: r.at.toISOString(),
    actor: { kind: r.actorKind as AuditLogEntry["actor"]["kind"], id: r.actorId, name: r.actorName, role: r.actorRole },
    user: r.actorName,
    action: r.action,
    resource_type: r.resourceType,
    resource_id: r.resourceId,
    outcome: r.outcome,
    status_code: r.statusCode,
    before: r.before,
    after: r.after,
    ip_address: r.ip,
    user_agent: r.userAgent,
    request_id: r.requestId,
    prev_hash: r.prevHash,
    hash: r.hash,
  };
}

/** An entry as a row before its place in the chain is known. */
export function draftOf(e: AuditEntry): AuditDraft {
  return {
    projectId: e.projectId,
    at: e.at ?? new Date(),
    actorKind: e.actor.kind,
    actorId: e.actor.id,
    actorName: e.actor.name,
    actorRole: e.actor.role ?? null,
    action: e.action,
    resourceType: e.resourceType,
    resourceId: e.resourceId ?? null,
    outcome: e.outcome,
    statusCode: e.statusCode ?? null,
    before: asStoredJson(e.before),
    after: asStoredJson(e.after),
    ip: e.ip ?? null,
    userAgent: e.userAgent ?? null,
    requestId: e.requestId ?? null,
  };
}

/**
 * The audit log: append-only, hash-chained per project (ADR 0016). Appends serialise on the project's
 * chain head (FOR UPDATE), so concurrent writers — in this process or others — keep one linear chain.
 */
export class AuditLog implements AuditTrail {
  private readonly store = new AuditStore();
  private readonly pending = new Set<Promise<void>>();
  /** Entries waiting for their project's append in flight (group commit). */
  private readonly queued = new Map<string, AuditEntry[]>();
  /** The last chain head this writer wrote, per project: the next append tries to follow it directly. */
  private readonly heads = new Map<string, ChainHead>();
  /** Per project, appends left to make with the lock after another writer was found moving the head. */
  private readonly contended = new Map<string, number>();

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.recordMany(entry.projectId, [entry]);
  }

  /** Several entries of one project in one transaction (imports, benchmarks). */
  async recordMany(projectId: string, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const drafts = entries.map(draftOf);
    const seal = (d: AuditDraft, seq: number, prev: string) => chainHash(prev, d, seq);
    const db = this.database.db;
    const head = this.heads.get(projectId);
    const locked = this.contended.get(projectId) ?? 0;
    if (locked > 0) this.contended.set(projectId, locked - 1);
    // After the head this writer last saw: one statement. Moved by another writer meanwhile (another process,
    // a concurrent append here) or not known yet: the locking append, which reads the head as it is.
    let rows = head && locked === 0 ? await this.store.appendAfter(db, projectId, head, drafts, seal) : null;
    if (!rows) {
      // A chain others write too (several processes): the next appends go straight to the lock for a while,
      // instead of hashing and sending their rows twice each time.
      if (head && locked === 0) this.contended.set(projectId, CONTENDED_APPENDS);
      rows = await this.store.append(db, projectId, drafts, seal);
    }
    // Either way the head is now this last row (until someone else appends); an out-of-order finish of two
    // appends here only costs the next one its lock-free try.
    const last = rows[rows.length - 1];
    if (last) this.heads.set(projectId, { seq: last.seq, hash: last.hash });
  }

  /**
   * Like `record`, for callers that must not wait or fail (the HTTP hook, bus subscribers): entries are
   * group-committed per project — while one append is in flight, the next ones gather and go in one
   * transaction — so a burst of webhooks costs a few appends, not one each. Failures are logged.
   */
  recordLater(entry: AuditEntry): void {
    const queued = this.queued.get(entry.projectId);
    if (queued) {
      queued.push(entry);
      return;
    }
    this.queued.set(entry.projectId, [entry]);
    const p: Promise<void> = this.drain(entry.projectId).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Resolves once every `recordLater` entry so far is written (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async drain(projectId: string): Promise<void> {
    for (;;) {
      if ((this.contended.get(projectId) ?? 0) > 0) await new Promise((r) => setTimeout(r, CONTENDED_GATHER_MS));
      const batch = this.queued.get(projectId) ?? [];
      if (batch.length === 0) {
        this.queued.delete(projectId);
        return;
      }
      this.queued.set(projectId, []);
      try {
        await this.recordMany(projectId, batch.slice(0, MAX_GROUP));
        if (batch.length > MAX_GROUP) (this.queued.get(projectId) as AuditEntry[]).unshift(...batch.slice(MAX_GROUP));
      } catch (err) {
        this.logger.error({ err, projectId, entries: batch.length }, "audit log append failed");
      }
    }
  }

  async page(
    projectId: string,
    filter: AuditFilter,
    page: number,
    pageSize: number,
  ): Promise<{ items: AuditLogEntry[]; total: number }> {
    const { rows, total } = await this.store.page(this.database.db, projectId, filter, (page - 1) * pageSize, pageSize);
    return { items: rows.map(auditEntryView), total };
  }

  /**
   * Walk the chain from the start: each row's `prev_hash` must be the previous row's hash, its `seq` the
   * next number, and its hash must match its content; the last row must be the recorded head (a deleted
   * tail shows there). Reports the first row that fails.
   */
  async verify(projectId: string): Promise<AuditVerification> {
    const db = this.database.db;
    const head = await this.store.head(db, projectId);
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    const broken = (
      seq: number,
      reason: NonNullable<AuditVerification["first_broken"]>["reason"],
      expected: string,
      found: string,
    ) => ({
      valid: false,
      rows_checked: checked,
      head_seq: head.seq,
      head_hash: head.hash,
      first_broken: { seq, reason, expected, found },
    });
    for (;;) {
      const rows = await this.store.batch(db, projectId, {}, expectedSeq - 1, BATCH);
      for (const r of rows) {
        if (r.seq !== expectedSeq) return broken(expectedSeq, "sequence_gap", String(expectedSeq), String(r.seq));
        if (r.prevHash !== prevHash) return broken(r.seq, "prev_hash_mismatch", prevHash, r.prevHash);
        const hash = chainHash(prevHash, r, r.seq);
        if (hash !== r.hash) return broken(r.seq, "hash_mismatch", hash, r.hash);
        checked += 1;
        prevHash = r.hash;
        expectedSeq += 1;
      }
      if (rows.length < BATCH) break;
    }
    if (expectedSeq - 1 !== head.seq || prevHash !== head.hash) {
      return broken(expectedSeq, "missing_tail", `${head.seq}:${head.hash}`, `${expectedSeq - 1}:${prevHash}`);
    }
    return { valid: true, rows_checked: checked, head_seq: head.seq, head_hash: head.hash, first_broken: null };
  }

  /** Rows matching `filter`, oldest first, in keyset batches read as the consumer pulls. */
  batches(projectId: string, filter: AuditFilter): AsyncGenerator<AuditRow[]> {
    const { store, database } = this;
    return (async function* () {
      let after = 0;
      for (;;) {
        const rows = await store.batch(database.db, projectId, filter, after, BATCH);
        if (rows.length > 0) yield rows;
        if (rows.length < BATCH) return;
        after = (rows[rows.length - 1] as AuditRow).seq;
      }
    })();
  }

  /** The export as a byte stream: CSV with a header row, or newline-delimited JSON. */
  export(projectId: string, filter: AuditFilter, format: "csv" | "json"): Readable {
    const batches = this.batches(projectId, filter);
    // One chunk per database batch: streamed, without a per-row stream hop.
    return Readable.from(
      (async function* () {
        // Loaded on first CSV export, not at start-up (ADR 0025, eighth round).
        const csv = format === "csv" ? (await import("csv-stringify/sync")).stringify : null;
        if (csv) yield csv([[...AUDIT_CSV_COLUMNS]]);
        for await (const rows of batches) {
          yield csv ? csv(rows.map(csvRecord)) : `${rows.map((r) => JSON.stringify(auditEntryView(r))).join("\n")}\n`;
        }
      })(),
      { objectMode: false },
    );
  }
}
