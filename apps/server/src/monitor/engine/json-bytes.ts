const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NULL_BYTES = Buffer.from("null");
/** Powers of ten tried for a number written as a decimal of at most this many places. */
const PLACES = [1, 10, 100, 1000] as const;
/** Below this, an integer count of units has at most 15 significant digits (see `num`). */
const EXACT_DIGITS = 1e15;
const INT32_MAX = 2 ** 31 - 1;

/**
 * A growable UTF-8 byte sink that writes JSON values the bytes `JSON.stringify` gives them, without
 * allocating a string or an object per value in the common cases: the predictive monitor serialises
 * 10,000 servers' predictions per fresh full map (ADR 0023, sixth round), and the strings and objects
 * of `JSON.stringify` were ~100 MB of garbage per map.
 *
 * Reused: `reset()` starts over in the same buffer; `length` bytes of `bytes` are the output.
 */
export class JsonBytes {
  bytes: Buffer;
  length = 0;

  constructor(capacity = 4096) {
    this.bytes = Buffer.allocUnsafeSlow(capacity);
  }

  reset(): void {
    this.length = 0;
  }

  /** Room for `n` more bytes. */
  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.length + n));
    this.bytes.copy(next, 0, 0, this.length);
    this.bytes = next;
  }

  /** Bytes written as they are (JSON punctuation, keys, pre-encoded values). */
  raw(b: Uint8Array): void {
    const n = b.length;
    this.room(n);
    const out = this.bytes;
    let at = this.length;
    if (n > 64) {
      out.set(b, at);
      at += n;
    } else for (let i = 0; i < n; i++) out[at++] = b[i]!;
    this.length = at;
  }

  /** An ASCII string that needs no escaping (a number's digits), without quotes. */
  ascii(s: string): void {
    const n = s.length;
    this.room(n);
    const out = this.bytes;
    let at = this.length;
    for (let i = 0; i < n; i++) out[at++] = s.charCodeAt(i);
    this.length = at;
  }

  /**
   * A string as `JSON.stringify(s)`. Strings without a quote, backslash, control character or UTF-16
   * surrogate are written as they are (ASCII byte by byte, anything else through `Buffer.write`);
   * the rest through `JSON.stringify` (it escapes lone surrogates).
   */
  str(s: string): void {
    const n = s.length;
    this.room(3 * n + 2);
    const out = this.bytes;
    const start = this.length;
    let at = start;
    out[at++] = QUOTE;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c === QUOTE || c === BACKSLASH || c > 0x7e) {
        this.length = start;
        this.other(s);
        return;
      }
      out[at++] = c;
    }
    out[at++] = QUOTE;
    this.length = at;
  }

  /** `str` of a string that is not plain ASCII. */
  private other(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c === QUOTE || c === BACKSLASH || (c >= 0xd800 && c <= 0xdfff)) {
        this.utf8(JSON.stringify(s));
        return;
      }
    }
    this.bytes[this.length++] = QUOTE;
    this.utf8(s);
    this.bytes[this.length++] = QUOTE;
  }

  private utf8(s: string): void {
    this.room(3 * s.length + 1);
    this.length += this.bytes.write(s, this.length, "utf8");
  }

  /**
   * A number as `JSON.stringify(x)`. Non-finite numbers are `null`. A number that equals n / 10^d for
   * an integer |n| < 10^15 and d ≤ 3 (rounded values: risks, percentages, forecasts) is written as
   * that decimal: it has at most 15 significant digits, and decimals of ≤ 15 digits map to distinct
   * doubles, so it is the shortest decimal that reads back as x — the one ECMAScript's Number::toString
   * prints, in plain notation for 10^-7 ≤ |x| < 10^21 (-0 as "0"). Others go through `String(x)`.
   */
  num(x: number): void {
    if (!Number.isFinite(x)) {
      this.raw(NULL_BYTES);
      return;
    }
    for (let d = 0; d < PLACES.length; d++) {
      const p = PLACES[d]!;
      const n = Math.round(x * p);
      if (n / p === x && Math.abs(n) < EXACT_DIGITS) {
        this.decimal(n, p, d);
        return;
      }
    }
    this.utf8(String(x));
  }

  /**
   * `num(n / 100)` for an integer count of hundredths `n` (a value rounded to 0.01), without the
   * search for its places: the same decimal, by the argument above (NaN and ±∞ are `null`).
   */
  hundredths(n: number): void {
    if (Math.abs(n) < EXACT_DIGITS) this.decimal(n, 100, 2);
    else this.num(n / 100);
  }

  /** One byte (an ASCII punctuation mark). */
  byte(b: number): void {
    this.room(1);
    this.bytes[this.length++] = b;
  }

  /**
   * `x.toFixed(1)` (without quotes). toFixed rounds the exact binary value to the nearest tenth; a
   * double is never exactly halfway between two tenths (that needs a factor 5 in the denominator),
   * so `Math.round(|x| · 10)` is that tenth unless the product's own rounding error could cross the
   * midpoint — those rare values, and |x| ≥ 10^15 or non-finite ones, go through `toFixed` itself.
   */
  fixed1(x: number): void {
    const a = Math.abs(x);
    const t = a * 10;
    const f = t - Math.floor(t);
    // |t − 10·|x|| ≤ t · 2^-53: a fraction farther than that from one half rounds as the exact product would.
    if (!(a < EXACT_DIGITS) || Math.abs(f - 0.5) <= t * 1e-15) {
      this.ascii(x.toFixed(1));
      return;
    }
    this.room(24);
    if (x < 0) this.bytes[this.length++] = 0x2d;
    const n = Math.round(t);
    const frac = n % 10;
    this.decimal(n - frac, 10, 1);
    this.bytes[this.length++] = 0x2e;
    this.bytes[this.length++] = 0x30 + frac;
  }

  /** n / p written with up to `places` decimals, trailing zeros dropped (n an integer, |n| < 10^15). */
  private decimal(n: number, p: number, places: number): void {
    this.room(24);
    const out = this.bytes;
    let at = this.length;
    if (n < 0) {
      out[at++] = 0x2d;
      n = -n;
    }
    let frac = (n % p) | 0;
    at += writeUint(out, at, (n - frac) / p);
    if (frac > 0) {
      let d = places;
      while (frac % 10 === 0) {
        frac = (frac / 10) | 0;
        d--;
      }
      out[at++] = 0x2e;
      for (let k = d - 1; k >= 0; k--) {
        out[at + k] = 0x30 + (frac % 10);
        frac = (frac / 10) | 0;
      }
      at += d;
    }
    this.length = at;
  }
}

/**
 * The decimal digits of an integer 0 ≤ v < 10^15 written at `at`; returns how many. Below 2^31 in
 * int32 arithmetic (a third of the time of a fleet's forecasts in `Math.floor` divisions).
 */
function writeUint(out: Buffer, at: number, v: number): number {
  let digits = 1;
  if (v <= INT32_MAX) {
    let w = v | 0;
    for (let x = w; x >= 10; x = (x / 10) | 0) digits++;
    for (let k = digits - 1; k >= 0; k--) {
      out[at + k] = 0x30 + (w % 10);
      w = (w / 10) | 0;
    }
    return digits;
  }
  for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
  for (let k = digits - 1; k >= 0; k--) {
    out[at + k] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  return digits;
}
