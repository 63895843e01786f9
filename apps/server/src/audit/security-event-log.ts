import { randomUUID } from "node:crypto";
import type { SecurityEventEntry, ThreatDetection } from "@aegis/contracts";
import { SEVERITIES, type SecurityEvent, type SecurityEvents, type Severity } from "../ports/security-events.js";
import type { Logger } from "../shared/logger.js";
import type { Database } from "../store/database.js";
import { type SecurityEventRow, type SecurityScope, SecurityStore } from "../store/security-store.js";

export type { SecurityScope };

const HOUR = 3_600_000;
const MAX_BUFFERED = 10_000;

/** Severity at or above `min`. */
export function severitiesFrom(min: Severity): Severity[] {
  return SEVERITIES.slice(SEVERITIES.indexOf(min));
}

function view(r: SecurityEventRow): SecurityEventEntry {
  return {
    id: r.id,
    timestamp: r.at.toISOString(),
    type: r.type,
    severity: r.severity,
    message: r.message,
    principal: r.principal,
    ip_address: r.ip,
    details: r.details,
  };
}

/**
 * Stores security events (one row per project concerned, or one naming none) and answers the security
 * endpoints: the events, and the live state of the detectors (counts per window, top offenders).
 */
export class SecurityEventLog implements SecurityEvents {
  private readonly store = new SecurityStore();
  private buffer: SecurityEventRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  /** Events dropped because the buffer overflowed while the database did not answer. */
  dropped = 0;

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Buffered and written within 250 ms, many events per insert: a flood of refusals is not a write each. */
  emit(event: SecurityEvent): void {
    const at = this.now();
    const projects = event.projectIds.length > 0 ? [...new Set(event.projectIds)] : [null];
    for (const projectId of projects) {
      this.buffer.push({
        id: randomUUID(),
        projectId,
        at,
        type: event.type,
        severity: event.severity,
        principal: event.principal ?? null,
        ip: event.ip ?? null,
        message: event.message,
        details: event.details ?? {},
      });
    }
    if (this.buffer.length > MAX_BUFFERED) {
      this.dropped += this.buffer.length - MAX_BUFFERED;
      this.buffer.splice(0, this.buffer.length - MAX_BUFFERED);
    }
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), 250);
      this.timer.unref();
    }
  }

  /** Write what is buffered; resolves once every event emitted so far is stored (reads, tests, shutdown). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.writing = this.writing.then(async () => {
      const rows = this.buffer;
      this.buffer = [];
      try {
        for (let i = 0; i < rows.length; i += 500)
          await this.store.insertEvents(this.database.db, rows.slice(i, i + 500));
      } catch (err) {
        this.logger.error({ err, events: rows.length }, "security events not stored");
      }
    });
    return this.writing;
  }

  async list(
    scope: SecurityScope,
    opts: { severity?: Severity; days: number; limit: number },
  ): Promise<SecurityEventEntry[]> {
    await this.flush();
    const since = new Date(this.now().getTime() - opts.days * 24 * HOUR);
    const rows = await this.store.events(
      this.database.db,
      scope,
      { since, severities: opts.severity ? severitiesFrom(opts.severity) : undefined },
      opts.limit,
    );
    return rows.map(view);
  }

  async threats(scope: SecurityScope, detectors: readonly string[]): Promise<ThreatDetection> {
    await this.flush();
    const db = this.database.db;
    const now = this.now();
    const hour = new Date(now.getTime() - HOUR);
    const day = new Date(now.getTime() - 24 * HOUR);
    const [counts, ips, principals] = await Promise.all([
      this.store.countsByType(db, scope, hour, day),
      this.store.topOffenders(db, scope, "ip", day, 5),
      this.store.topOffenders(db, scope, "principal", day, 5),
    ]);
    const byType = new Map(counts.map((c) => [c.type, c]));
    const rows = detectors.map((type) => {
      const c = byType.get(type);
      return {
        type,
        last_hour: c?.lastHour ?? 0,
        last_24h: c?.lastDay ?? 0,
        last_event_at: c?.lastAt?.toISOString() ?? null,
      };
    });
    const lastHour = rows.reduce((n, r) => n + r.last_hour, 0);
    // Thresholds: a handful of refusals an hour is background noise; dozens is someone trying.
    const hot = ["refresh_token_reuse", "prompt_injection"].some((t) => (byType.get(t)?.lastHour ?? 0) > 0);
    const status = lastHour >= 50 ? "under_attack" : lastHour >= 10 || hot ? "elevated" : "quiet";
    return { generated_at: now.toISOString(), status, detectors: rows, top_ips: ips, top_principals: principals };
  }

  async prune(olderThan: Date): Promise<void> {
    await this.store.pruneEvents(this.database.db, olderThan);
  }
}
