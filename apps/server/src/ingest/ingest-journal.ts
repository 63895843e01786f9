import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { join } from "node:path";
import type { NewIncident } from "../store/incident-store.js";

const SEGMENT = /^segment-(\d+)\.jsonl$/;

/**
 * The webhook write-ahead journal: accepted incidents are appended as JSON lines and fdatasync'ed
 * before the 200, then loaded into the database in large batches. Segments rotate so a loaded
 * segment can be deleted; segments left by a crash are replayed at start-up (loading is idempotent).
 */
export class IngestJournal {
  private handle: FileHandle | null = null;
  private current: string | null = null;
  private seq: number;
  /** Appends and rotations run one at a time. */
  private tail: Promise<unknown> = Promise.resolve();
  private openedAt = 0;
  private bytes = 0;
  private written = 0;
  private synced = 0;
  private syncing: Promise<void> | null = null;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.seq = Math.max(0, ...this.segments().map((s) => Number(SEGMENT.exec(s)?.[1] ?? 0))) + 1;
  }

  /** Segment files present now, oldest first (full paths). */
  segments(): string[] {
    return readdirSync(this.dir)
      .filter((f) => SEGMENT.test(f))
      .sort((a, b) => Number(SEGMENT.exec(a)?.[1]) - Number(SEGMENT.exec(b)?.[1]))
      .map((f) => join(this.dir, f));
  }

  /**
   * Durably append: returns once the lines are on disk. Returns the segment written to. Writes are
   * ordered; the fdatasync is shared (group commit): a sync in flight is joined, and writes made
   * meanwhile are covered by the next one, so writing never waits for another batch's sync.
   */
  async append(items: NewIncident[]): Promise<string> {
    const { segment, seq } = await this.serial(() => this.writeNow(items));
    await this.syncThrough(seq);
    return segment;
  }

  /** Close the current segment so the next append starts a new one. */
  rotate(): Promise<void> {
    return this.serial(() => this.rotateNow());
  }

  /**
   * Rotate only once the current segment is old or large: rotating on every load would create and
   * delete a file per group commit. Entries left in the active segment after loading are harmless:
   * a replay of loaded entries changes nothing.
   */
  rotateIfDue(maxAgeMs: number, maxBytes: number): Promise<void> {
    return this.serial(async () => {
      if (this.current && (Date.now() - this.openedAt >= maxAgeMs || this.bytes >= maxBytes)) await this.rotateNow();
    });
  }

  /** The segment appends go to now (never removable). */
  get active(): string | null {
    return this.current;
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.tail.then(op, op);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async writeNow(items: NewIncident[]): Promise<{ segment: string; seq: number }> {
    if (!this.handle) {
      this.current = join(this.dir, `segment-${String(this.seq++).padStart(10, "0")}.jsonl`);
      this.handle = await open(this.current, "a");
      this.openedAt = Date.now();
      this.bytes = 0;
    }
    const segment = this.current as string;
    const text = items.map((i) => `${JSON.stringify(i)}\n`).join("");
    this.bytes += text.length;
    await this.handle.write(text);
    return { segment, seq: ++this.written };
  }

  /** Wait until every write up to `seq` is on disk. */
  private async syncThrough(seq: number): Promise<void> {
    while (this.synced < seq) {
      if (!this.syncing) {
        const handle = this.handle;
        const target = this.written;
        this.syncing = (async () => {
          if (handle) await handle.datasync();
          this.synced = Math.max(this.synced, target);
        })().finally(() => {
          this.syncing = null;
        });
      }
      await this.syncing;
    }
  }

  private async rotateNow(): Promise<void> {
    // Everything written to the outgoing segment must be on disk before it is closed.
    await this.syncThrough(this.written);
    const h = this.handle;
    this.handle = null;
    this.current = null;
    await h?.close();
  }

  remove(segment: string): void {
    rmSync(segment, { force: true });
  }

  /** Entries of a segment; a torn last line (crash mid-write, never acknowledged) is skipped. */
  read(segment: string): NewIncident[] {
    const out: NewIncident[] = [];
    for (const line of readFileSync(segment, "utf8").split("\n")) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as NewIncident);
      } catch {
        // only the unacknowledged tail can be torn
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await this.rotate();
  }
}
