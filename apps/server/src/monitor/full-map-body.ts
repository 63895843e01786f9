import { Readable } from "node:stream";

/**
 * One version of `/predictions/current`'s full map as UTF-8 JSON: chunks appended while it is built
 * (slice by slice, the event loop free between them) and readable from the first chunk on, so a
 * 12 MB map (10,000 servers) is on its way to the client while the rest is still being serialised.
 * Readers of one version share it; once `done`, it is the version's cached body.
 */
export class FullMapBody {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private finished = false;
  private failure: Error | null = null;
  private waiting: (() => void)[] = [];

  /** True once the last chunk is in. */
  get done(): boolean {
    return this.finished;
  }

  /** Bytes appended so far (the whole body's length once `done`). */
  get length(): number {
    return this.bytes;
  }

  append(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    this.wake();
  }

  end(): void {
    this.finished = true;
    this.wake();
  }

  fail(err: Error): void {
    this.failure = err;
    this.finished = true;
    this.wake();
  }

  /** The body from its first byte, following the build while it runs. */
  stream(): Readable {
    let next = 0;
    let parked = false;
    let ended = false;
    const pump = (): void => {
      parked = false;
      while (!ended && !stream.destroyed) {
        if (this.failure) {
          stream.destroy(this.failure);
          return;
        }
        if (next < this.chunks.length) {
          if (!stream.push(this.chunks[next++])) return;
        } else if (this.finished) {
          ended = true;
          stream.push(null);
        } else {
          if (!parked) {
            parked = true;
            this.waiting.push(pump);
          }
          return;
        }
      }
    };
    const stream = new Readable({ read: pump });
    return stream;
  }

  /** The whole body, once built. */
  async whole(): Promise<Buffer> {
    while (!this.finished) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.failure) throw this.failure;
    return this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.bytes);
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w();
  }
}
