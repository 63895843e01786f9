import type { SecurityEvents } from "../ports/security-events.js";
import type { Logger } from "../shared/logger.js";
import type { Database } from "../store/database.js";
import { SecurityStore } from "../store/security-store.js";

const MAX_REMEMBERED = 50_000;

/**
 * Flags an API key used from an address it was never used from before (the first address of a key is
 * its baseline). Known pairs are remembered in memory so a steady client costs no query, and a pair's
 * first uses share one query: a burst of requests with a new key (32 clients of an alert storm) would
 * otherwise each send the same insert while the database is still busy with the first.
 */
export class ApiKeyWatch {
  private readonly store = new SecurityStore();
  private readonly known = new Set<string>();
  private readonly recording = new Map<string, Promise<void>>();

  constructor(
    private readonly database: Database,
    private readonly events: SecurityEvents,
    private readonly logger: Logger,
  ) {}

  /** Resolves once the use is recorded (tests); the request path does not wait for it. */
  async used(key: { id: string; name: string }, projectId: string, ip: string): Promise<void> {
    const pair = `${key.id}\u0000${ip}`;
    if (this.known.has(pair)) return;
    let once = this.recording.get(pair);
    if (!once) {
      once = this.record(key, projectId, ip, pair).finally(() => this.recording.delete(pair));
      this.recording.set(pair, once);
    }
    return once;
  }

  private async record(key: { id: string; name: string }, projectId: string, ip: string, pair: string): Promise<void> {
    try {
      const seen = await this.store.keyUsedFrom(this.database.db, key.id, ip, new Date());
      if (this.known.size >= MAX_REMEMBERED) this.known.clear();
      this.known.add(pair);
      if (seen === "new_address") {
        this.events.emit({
          type: "api_key_new_address",
          severity: "medium",
          projectIds: [projectId],
          message: `API key ${key.name} used from a new address ${ip}`,
          principal: `api_key:${key.id}`,
          ip,
          details: { key_id: key.id, key_name: key.name },
        });
      }
    } catch (err) {
      this.logger.warn({ err }, "api key address not recorded");
    }
  }
}
