import type { Logger } from "../shared/logger.js";
import type { Database, Db } from "../store/database.js";
import type { IncidentStore, NewIncident } from "../store/incident-store.js";
import { IngestFullError } from "./ingest-full-error.js";
import type { IngestJournal } from "./ingest-journal.js";
import { SeenIds } from "./seen-ids.js";

interface Waiting {
  item: NewIncident;
  resolve: (created: boolean) => void;
  reject: (err: unknown) => void;
}

/** An incident accepted (journaled) but not yet loaded into the database. */
export interface JournaledIncident {
  item: NewIncident;
  receivedAt: Date;
  segment: string;
}

export interface JournaledIngestOptions {
  /** Requests written per journal append (group commit). */
  maxBatch?: number;
  /** Rows per database load statement. */
  loadBatch?: number;
  /**
   * Bound on alerts waiting to be journaled plus accepted-but-unloaded ones: beyond it `submit`
   * refuses at once with IngestFullError (503 + Retry-After) instead of queueing without limit.
   */
  maxBacklog?: number;
  /**
   * Stores a batch of accepted incidents; returns the keys it created. Default: the incident store's
   * `createBatch`. Alert grouping replaces it (followers join an open incident instead of queueing a job).
   */
  store?: BatchStore;
  /**
   * Where a 200 is made durable. `journal` (embedded PGlite): an fsync'ed local journal, loaded into the
   * database in the background. `database` (PostgreSQL, possibly shared by several processes): the
   * batch is committed to the database before the answer, so an alert accepted by a process that then
   * dies is already visible to, and handled by, the others (ADR 0025).
   */
  durableIn?: "journal" | "database";
}

/** Writes accepted incidents (idempotently: an existing id is left alone); returns the created keys. */
export type BatchStore = (db: Db, items: NewIncident[], now?: Date) => Promise<Set<string>>;

const key = (projectId: string, id: string) => `${projectId}\u0000${id}`;

/**
 * Webhook ingest, group-committed: with `durableIn: "journal"` to an fsync'ed journal (a 200 means on
 * disk), then loaded into the database in large batches in the background; with `"database"` straight
 * into the database, committed before the 200. A repeated incident id is answered from memory or the
 * database, never journaled twice. Incidents not yet loaded are visible through `journaled()`.
 */
export class JournaledIngest {
  private queue: Waiting[] = [];
  private scheduled = false;
  private inFlight = 0;
  /** Ids being accepted by a batch in flight, with that batch's completion. */
  private readonly reserved = new Map<string, Promise<void>>();
  private lastSubmitAt = 0;
  private readonly backlog = new Map<string, JournaledIncident>();
  private seen = new SeenIds();
  private loading: Promise<void> | null = null;
  private loadAgain = false;
  private readonly maxBatch: number;
  private readonly loadBatch: number;
  private readonly maxBacklog: number;
  private readonly store: BatchStore;
  private readonly direct: boolean;

  constructor(
    private readonly database: Database,
    private readonly incidents: IncidentStore,
    private readonly journal: IngestJournal,
    private readonly logger: Logger,
    /** Called when incidents are accepted (journaled): `incident.new` frames. */
    private readonly onAccepted: (items: NewIncident[]) => void,
    /** Called when incidents reach the database with their queued jobs: wake the workers. */
    private readonly onLoaded: (items: NewIncident[]) => void,
    opts: JournaledIngestOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 4096;
    this.loadBatch = opts.loadBatch ?? 2000;
    this.maxBacklog = opts.maxBacklog ?? 50_000;
    this.store = opts.store ?? ((db, items, now) => this.incidents.createBatch(db, items, now));
    this.direct = opts.durableIn === "database";
  }

  /** Start-up: load what a previous run journaled but did not load, and learn the known ids. */
  async recover(): Promise<number> {
    let replayed = 0;
    for (const segment of this.journal.segments()) {
      const items = this.journal.read(segment);
      for (let i = 0; i < items.length; i += this.loadBatch) {
        const created = await this.store(this.database.db, items.slice(i, i + this.loadBatch));
        replayed += created.size;
      }
      this.journal.remove(segment);
    }
    const keys = await this.incidents.allKeys(this.database.db);
    // Replaced only when too small: a 2.5 MB array built and dropped at start raises glibc's mmap (and
    // trim) threshold to its size for the life of the process (ADR 0025, tenth round).
    if (keys.length * 2 > this.seen.capacity) this.seen = new SeenIds(keys.length * 2);
    for (const k of keys) this.seen.add(key(k.projectId, k.id));
    if (replayed > 0) this.logger.warn({ incidents: replayed }, "loaded incidents journaled before an interruption");
    return replayed;
  }

  /** Resolves true once the incident is durably accepted, false if one with this id already exists. */
  submit(item: NewIncident): Promise<boolean> {
    this.lastSubmitAt = performance.now();
    const held = this.queue.length + this.backlog.size;
    // Refused before anything is written: a 200 is only ever given to an alert that is on disk.
    if (held >= this.maxBacklog) return Promise.reject(new IngestFullError(held, 1));
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /** An incident accepted but not loaded yet. */
  journaled(projectId: string, id: string): JournaledIncident | undefined {
    return this.backlog.get(key(projectId, id));
  }

  /** Whether webhooks arrived recently or the loader is behind. */
  activeWithin(windowMs: number): boolean {
    return this.busy || this.backlog.size > 0 || performance.now() - this.lastSubmitAt < windowMs;
  }

  get backlogSize(): number {
    return this.backlog.size;
  }

  /** Resolves once everything accepted so far is in the database (without closing the journal). */
  async settled(): Promise<void> {
    while (this.busy || this.backlog.size > 0 || this.loading) {
      if (this.loading) await this.loading;
      else if (this.backlog.size > 0) await this.load();
      else await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** Shutdown: load everything accepted so far. */
  async drain(): Promise<void> {
    while (this.busy || this.backlog.size > 0 || this.loading) {
      await (this.loading ?? this.load());
      if (this.busy) await new Promise((r) => setTimeout(r, 5));
    }
    await this.journal.close();
    // Everything is in the database now: no segment is needed for a replay.
    if (this.backlog.size === 0) for (const s of this.journal.segments()) this.journal.remove(s);
  }

  private get busy(): boolean {
    return this.scheduled || this.inFlight > 0 || this.queue.length > 0;
  }

  /**
   * Start batches: up to two in flight, so one batch is written while the previous one's fdatasync
   * runs (the journal shares syncs between them).
   */
  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < 2) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.process(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async process(batch: Waiting[]): Promise<void> {
    if (this.backlog.size >= this.maxBacklog) await (this.loading ?? this.load());
    try {
      const created = await this.accept(batch.map((w) => w.item));
      const answered = new Set<string>();
      for (const w of batch) {
        const k = key(w.item.projectId, w.item.id);
        w.resolve(created.has(k) && !answered.has(k));
        answered.add(k);
      }
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }

  /** Journal the new ones among `items`; returns their keys. */
  private async accept(items: NewIncident[]): Promise<Set<string>> {
    const unique = new Map<string, NewIncident>();
    const owners = new Set<Promise<void>>();
    for (const i of items) {
      const k = key(i.projectId, i.id);
      if (unique.has(k) || this.backlog.has(k)) continue;
      // Being accepted by a batch in flight: not new here, but answer only once it is readable.
      const owner = this.reserved.get(k);
      if (owner) owners.add(owner);
      else unique.set(k, i);
    }
    const created = await this.acceptOwn(unique);
    await Promise.all(owners);
    return created;
  }

  private async acceptOwn(unique: Map<string, NewIncident>): Promise<Set<string>> {
    let release: () => void = () => undefined;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    // Reserve before the first await, so a concurrent batch cannot accept the same id.
    for (const k of unique.keys()) this.reserved.set(k, mine);
    try {
      // Committed straight to the database, which decides what is new: no separate lookup first.
      if (this.direct) return await this.commitDirect([...unique.values()]);
      const toCheck = [...unique.entries()].filter(([k]) => this.seen.mightContain(k)).map(([, i]) => i);
      if (toCheck.length > 0) {
        for (const k of await this.incidents.existingKeys(this.database.db, toCheck)) unique.delete(k);
      }
      const fresh = [...unique.values()];
      if (fresh.length === 0) return new Set();
      const segment = await this.journal.append(fresh);
      const receivedAt = new Date();
      for (const [k, item] of unique) {
        this.seen.add(k);
        this.backlog.set(k, { item, receivedAt, segment });
      }
      this.onAccepted(fresh);
      void this.load();
      return new Set(unique.keys());
    } finally {
      for (const [k, owner] of this.reserved) if (owner === mine) this.reserved.delete(k);
      release();
    }
  }

  /**
   * Database durability: the batch is committed before anyone is answered; the database decides which
   * ids are new (another process may have taken the same id a moment earlier).
   */
  private async commitDirect(fresh: NewIncident[]): Promise<Set<string>> {
    const created = new Set<string>();
    for (let i = 0; i < fresh.length; i += this.loadBatch) {
      const chunk = fresh.slice(i, i + this.loadBatch);
      for (const k of await this.store(this.database.db, chunk, new Date())) created.add(k);
    }
    const items = fresh.filter((i) => created.has(key(i.projectId, i.id)));
    if (items.length > 0) {
      this.onAccepted(items);
      this.onLoaded(items);
    }
    return created;
  }

  /** Move the backlog into the database; delete journal segments nothing pending refers to. */
  private load(): Promise<void> {
    if (this.loading) {
      this.loadAgain = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        do {
          this.loadAgain = false;
          await this.journal.rotateIfDue(1000, 16 * 1024 * 1024);
          const entries = [...this.backlog.entries()];
          for (let i = 0; i < entries.length; i += this.loadBatch) {
            const chunk = entries.slice(i, i + this.loadBatch);
            await this.store(
              this.database.db,
              chunk.map(([, p]) => p.item),
              chunk[0]?.[1].receivedAt,
            );
            for (const [k] of chunk) this.backlog.delete(k);
            this.onLoaded(chunk.map(([, p]) => p.item));
          }
          const inUse = new Set([...this.backlog.values()].map((p) => p.segment));
          for (const s of this.journal.segments()) {
            if (s !== this.journal.active && !inUse.has(s)) this.journal.remove(s);
          }
        } while (this.loadAgain || this.backlog.size > 0);
      } catch (err) {
        this.logger.error({ err }, "loading journaled incidents failed; retrying");
        setTimeout(() => void this.load(), 500).unref();
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }
}
