import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-signature-256";
export const TIMESTAMP_HEADER = "x-signature-timestamp";

/**
 * `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. The timestamp (unix seconds, sent in
 * `X-Signature-Timestamp`) is inside the signed bytes, so a receiver that refuses old timestamps
 * refuses replays: a captured delivery cannot be re-sent with a fresh timestamp.
 */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
}

/** What a receiver does: constant-time comparison, and a timestamp no older (or newer) than `toleranceSecs`. */
export function verifyWebhook(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  rawBody: string,
  toleranceSecs = 300,
  nowSecs = Math.floor(Date.now() / 1000),
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts) || Math.abs(nowSecs - ts) > toleranceSecs) return false;
  const expected = Buffer.from(signWebhook(secret, ts, rawBody));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
