import type { Database } from "../store/database.js";
import type { IncidentStore, NewIncident } from "../store/incident-store.js";

interface Pending {
  item: NewIncident;
  resolve: (created: boolean) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for webhooks: requests that arrive while a commit is in flight are written together
 * in the next transaction, so ingest stays durable (a 200 means committed) without a commit per request.
 */
export class IngestBatcher {
  private queue: Pending[] = [];
  private flushing = false;
  private lastSubmitAt = 0;

  constructor(
    private readonly database: Database,
    private readonly incidents: IncidentStore,
    private readonly onCommitted: (created: NewIncident[]) => void,
    private readonly maxBatch = 2000,
  ) {}

  /** Resolves true if the incident was created, false if one with the same id already existed. */
  submit(item: NewIncident): Promise<boolean> {
    this.lastSubmitAt = performance.now();
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Whether webhooks arrived within the last `windowMs`. */
  activeWithin(windowMs: number): boolean {
    return this.flushing || performance.now() - this.lastSubmitAt < windowMs;
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      const seen = new Set<string>();
      const unique: NewIncident[] = [];
      for (const p of batch) {
        const key = keyOf(p.item);
        if (!seen.has(key)) {
          seen.add(key);
          unique.push(p.item);
        }
      }
      try {
        // One statement: atomic on its own, no BEGIN/COMMIT round trips.
        const created = await this.incidents.createBatch(this.database.db, unique);
        const answered = new Set<string>();
        for (const p of batch) {
          const key = keyOf(p.item);
          // Within one batch only the first request with an id creates it.
          p.resolve(created.has(key) && !answered.has(key));
          answered.add(key);
        }
        if (created.size > 0) this.onCommitted(unique.filter((i) => created.has(keyOf(i))));
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.flushing = false;
  }
}

function keyOf(i: NewIncident): string {
  return `${i.projectId}\u0000${i.id}`;
}
