import { isUtf8 } from "node:buffer";
import { METRIC_FIELDS, ServerStatus } from "@aegis/contracts";
import { MAX_RECORDS, validMetric, validName, validStamp } from "./feed-body-check.js";
import { FEED_COLUMNS_WIDTH, FeedColumns } from "./feed-columns.js";

/** A record's keys: index 0–2 the strings, 3 + k the k-th of `METRIC_FIELDS` (its column). */
const KEYS = ["timestamp", "server_name", "status", ...METRIC_FIELDS];
const KEY_BYTES = KEYS.map((k) => Buffer.from(k, "latin1"));
const ALL_KEYS = 2 ** KEYS.length - 1;
const STATUS_BYTES = ServerStatus.options.map((s) => Buffer.from(s, "latin1"));
const RECORDS = Buffer.from("records", "latin1");
/** Records of a body the audit entry may show (see `FeedBytesBody.head`). */
const HEAD_RECORDS = 8;
/** 10^0 … 10^22, each exact (products of exact integers below 2^53 · 2^22). */
const POW10: number[] = [];
for (let k = 0, p = 1; k <= 22; k++, p *= 10) POW10.push(p);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * A `/feed/data` body read straight from its bytes into columns: no body string, no object per record
 * (ADR 0023, eighth round). `head()` parses the first records (at most 8) with `JSON.parse`, for the
 * audit entry, which shows them.
 */
export class FeedBytesBody {
  constructor(
    readonly columns: FeedColumns,
    private readonly bytes: Buffer,
    private readonly headStart: number,
    private readonly headEnd: number,
  ) {}

  /** `{records}` with the body's first records (all of them when it has ≤ 8), as `JSON.parse` gives them. */
  head(): { records: unknown[] } {
    return { records: JSON.parse(`[${this.bytes.toString("utf8", this.headStart, this.headEnd)}]`) as unknown[] };
  }
}

/**
 * Reads a `/feed/data` body that `FeedRequest` accepts as it is — `{"records": [...]}` with 1–100,000
 * records of exactly the 17 seed keys (any order, each once), strings without escapes, numbers and values
 * in the ranges `isCleanFeedBody` checks (it shares their rules) — into `FeedColumns`, with the same
 * values `JSON.parse` would give: a number of ≤ 15 significant digits, ≤ 22 decimals and no exponent is
 * its digits over a power of ten (both exact, so the one division is correctly rounded, as `JSON.parse`
 * is); any other through `Number` of its text. Anything else — invalid JSON, another shape, an escape, a
 * value out of range — answers undefined, and the caller parses the body as before (the 400s and the
 * seed's 422 keep their one owner).
 */
export function parseFeedBytes(buf: Buffer): FeedBytesBody | undefined {
  return new FeedBytesParser(buf).parse();
}

class FeedBytesParser {
  private i = 0;
  private n = 0;
  private capacity: number;
  private names: string[] = [];
  private stamps: string[] = [];
  private status: Uint8Array;
  private values: Float64Array;
  /** The last timestamp's string and its bytes (a fleet batch shares a handful). */
  private stamp = "";
  private stampStart = 0;
  private stampEnd = 0;
  /** Key order of the last record, the guess for the next one's. */
  private readonly order = new Int8Array(KEYS.length);
  private headStart = 0;
  private headEnd = 0;

  /** The body's bytes as a plain `Uint8Array` (one element kind for every read) and their count. */
  private readonly u: Uint8Array;
  private readonly end: number;

  constructor(private readonly buf: Buffer) {
    this.u = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    this.end = buf.length;
    this.capacity = Math.min(MAX_RECORDS, Math.max(16, Math.ceil(buf.length / 256)));
    this.status = new Uint8Array(this.capacity);
    this.values = new Float64Array(this.capacity * FEED_COLUMNS_WIDTH);
    for (let k = 0; k < KEYS.length; k++) this.order[k] = k;
  }

  parse(): FeedBytesBody | undefined {
    const b = this.u;
    this.ws();
    if (b[this.i++] !== 0x7b) return undefined;
    this.ws();
    if (b[this.i++] !== QUOTE) return undefined;
    const ks = this.i;
    if (this.stringEnd() < 0 || this.keyIndexIn([RECORDS], ks, this.i - 1, 0) !== 0) return undefined;
    this.ws();
    if (b[this.i++] !== COLON) return undefined;
    this.ws();
    if (b[this.i++] !== 0x5b) return undefined;
    this.ws();
    this.headStart = this.i;
    for (;;) {
      if (this.n >= MAX_RECORDS) return undefined;
      if (this.n === this.capacity) this.grow();
      if (!this.record()) return undefined;
      this.n++;
      if (this.n <= HEAD_RECORDS) this.headEnd = this.i;
      this.ws();
      const c = b[this.i++];
      if (c === COMMA) {
        this.ws();
        continue;
      }
      if (c === 0x5d) break;
      return undefined;
    }
    this.ws();
    if (b[this.i++] !== 0x7d) return undefined;
    this.ws();
    if (this.i !== this.end) return undefined;
    const columns = new FeedColumns(this.n, this.names, this.stamps, this.status, this.values);
    return new FeedBytesBody(columns, this.buf, this.headStart, this.headEnd);
  }

  private grow(): void {
    this.capacity = Math.min(MAX_RECORDS, this.capacity * 2);
    const status = new Uint8Array(this.capacity);
    status.set(this.status);
    this.status = status;
    const values = new Float64Array(this.capacity * FEED_COLUMNS_WIDTH);
    values.set(this.values);
    this.values = values;
  }

  /** One record `{...}` into row `n`; false if it is not one `FeedRequest` accepts as it is. */
  private record(): boolean {
    const b = this.u;
    if (b[this.i++] !== 0x7b) return false;
    this.ws();
    let seen = 0;
    const row = this.n * FEED_COLUMNS_WIDTH;
    for (let pos = 0; ; pos++) {
      if (b[this.i++] !== QUOTE) return false;
      const ks = this.i;
      if (this.stringEnd() < 0) return false;
      const guess = pos < KEYS.length ? (this.order[pos] as number) : 0;
      const k = this.keyIndexIn(KEY_BYTES, ks, this.i - 1, guess);
      if (k < 0 || (seen & (1 << k)) !== 0) return false;
      seen |= 1 << k;
      this.order[pos] = k;
      this.ws();
      if (b[this.i++] !== COLON) return false;
      this.ws();
      if (k >= 3) {
        const v = this.number();
        if (Number.isNaN(v) || !validMetric(k - 3, v)) return false;
        this.values[row + k - 3] = v;
      } else {
        if (b[this.i++] !== QUOTE) return false;
        const start = this.i;
        const ascii = this.stringEnd();
        if (ascii < 0) return false;
        const end = this.i - 1;
        if (k === 0) {
          if (!this.timestamp(start, end, ascii === 1)) return false;
        } else if (k === 1) {
          if (ascii === 0 && !isUtf8(this.buf.subarray(start, end))) return false;
          const name = ascii === 1 ? this.buf.toString("latin1", start, end) : this.buf.toString("utf8", start, end);
          if (!validName(name)) return false;
          this.names[this.n] = name;
        } else {
          const code = this.keyIndexIn(STATUS_BYTES, start, end, 0);
          if (code < 0) return false;
          this.status[this.n] = code;
        }
      }
      this.ws();
      const c = b[this.i++];
      if (c === COMMA) {
        this.ws();
        continue;
      }
      return c === 0x7d && seen === ALL_KEYS;
    }
  }

  private timestamp(start: number, end: number, ascii: boolean): boolean {
    if (!this.sameBytes(start, end, this.stampStart, this.stampEnd) || this.stamps.length === 0) {
      if (!ascii) return false;
      const ts = this.buf.toString("latin1", start, end);
      if (!validStamp(ts)) return false;
      this.stamp = ts;
    }
    this.stampStart = start;
    this.stampEnd = end;
    this.stamps[this.n] = this.stamp;
    return true;
  }

  private sameBytes(a: number, aEnd: number, c: number, cEnd: number): boolean {
    if (aEnd - a !== cEnd - c) return false;
    const b = this.u;
    for (let j = 0; j < aEnd - a; j++) if (b[a + j] !== b[c + j]) return false;
    return true;
  }

  /** Index of the key in `keys` equal to bytes start–end (trying `guess` first), or -1. */
  private keyIndexIn(keys: readonly Buffer[], start: number, end: number, guess: number): number {
    if (this.keyIs(keys[guess] as Buffer, start, end)) return guess;
    for (let k = 0; k < keys.length; k++) if (k !== guess && this.keyIs(keys[k] as Buffer, start, end)) return k;
    return -1;
  }

  private keyIs(key: Buffer, start: number, end: number): boolean {
    if (key.length !== end - start) return false;
    const b = this.u;
    for (let j = 0; j < key.length; j++) if (b[start + j] !== key[j]) return false;
    return true;
  }

  /**
   * Moves past a string's closing quote (the opening one read); 1 if its bytes are ASCII, 0 if not,
   * -1 for what this path leaves to `JSON.parse` (an escape, a control character, no closing quote).
   */
  private stringEnd(): number {
    const b = this.u;
    let ascii = 1;
    for (let j = this.i; j < this.end; j++) {
      const c = b[j] as number;
      if (c === QUOTE) {
        this.i = j + 1;
        return ascii;
      }
      if (c === BACKSLASH || c < 0x20) return -1;
      if (c >= 0x80) ascii = 0;
    }
    return -1;
  }

  /** A JSON number's value (NaN if the bytes are not one: JSON has no NaN). */
  private number(): number {
    const b = this.u;
    const start = this.i;
    let i = start;
    const negative = b[i] === 0x2d;
    if (negative) i++;
    let c = b[i];
    let m = 0;
    let digits = 0;
    if (c === 0x30) i++;
    else if (c !== undefined && c >= 0x31 && c <= 0x39) {
      while (c !== undefined && c >= 0x30 && c <= 0x39) {
        m = m * 10 + (c - 0x30);
        digits++;
        c = b[++i];
      }
    } else return Number.NaN;
    let decimals = 0;
    if (b[i] === 0x2e) {
      c = b[++i];
      if (c === undefined || c < 0x30 || c > 0x39) return Number.NaN;
      while (c !== undefined && c >= 0x30 && c <= 0x39) {
        m = m * 10 + (c - 0x30);
        if (m !== 0) digits++;
        decimals++;
        c = b[++i];
      }
    }
    let exponent = false;
    c = b[i];
    if (c === 0x65 || c === 0x45) {
      exponent = true;
      c = b[++i];
      if (c === 0x2b || c === 0x2d) c = b[++i];
      if (c === undefined || c < 0x30 || c > 0x39) return Number.NaN;
      while (c !== undefined && c >= 0x30 && c <= 0x39) c = b[++i];
    }
    this.i = i;
    if (exponent || digits > 15 || decimals > 22) return Number(this.buf.toString("latin1", start, i));
    const v = decimals === 0 ? m : m / (POW10[decimals] as number);
    return negative ? -v : v;
  }

  private ws(): void {
    const b = this.u;
    const end = this.end;
    let i = this.i;
    while (i < end) {
      const c = b[i] as number;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
    this.i = i;
  }
}
