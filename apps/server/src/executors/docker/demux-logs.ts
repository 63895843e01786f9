/**
 * The Engine API multiplexes a non-TTY container's stdout and stderr into frames: one byte stream id,
 * three zero bytes, a big-endian uint32 length, then the payload. Returns the payloads in order.
 * A buffer that does not start with a frame header (a TTY container) is returned as is.
 */
export function demuxLogs(buf: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const stream = buf[at];
    if ((stream !== 0 && stream !== 1 && stream !== 2) || buf[at + 1] !== 0 || buf[at + 2] !== 0 || buf[at + 3] !== 0) {
      return at === 0 ? buf.toString("utf8") : Buffer.concat(parts).toString("utf8");
    }
    const size = buf.readUInt32BE(at + 4);
    parts.push(buf.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString("utf8");
}
