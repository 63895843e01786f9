import { createHmac, timingSafeEqual } from "node:crypto";

/** Slack's and our Teams callbacks refuse requests older (or newer) than this: a captured one cannot be replayed later. */
export const REPLAY_WINDOW_SECS = 300;

/**
 * Slack request signing: `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:<X-Slack-Request-Timestamp>:<raw body>")>`,
 * with the timestamp within five minutes of now.
 */
export function verifySlackSignature(
  signingSecret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: string,
  nowSecs = Math.floor(Date.now() / 1000),
): "ok" | "stale" | "bad_signature" {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSecs - ts) > REPLAY_WINDOW_SECS) return "stale";
  const expected = Buffer.from(signSlack(signingSecret, ts, rawBody));
  const given = Buffer.from(headers.signature ?? "");
  return expected.length === given.length && timingSafeEqual(expected, given) ? "ok" : "bad_signature";
}

export function signSlack(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`).digest("hex")}`;
}

/**
 * Teams callbacks are signed as Teams outgoing webhooks sign: `Authorization: HMAC <base64 HMAC-SHA256(
 * base64-decoded shared secret, raw body bytes)>`; the activity's own `timestamp` must be within the window.
 */
export function verifyTeamsSignature(
  secretBase64: string,
  authorization: string | undefined,
  rawBody: string,
): boolean {
  const m = /^HMAC (.+)$/.exec(authorization ?? "");
  if (!m?.[1]) return false;
  const expected = Buffer.from(signTeams(secretBase64, rawBody));
  const given = Buffer.from(m[1].trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function signTeams(secretBase64: string, rawBody: string): string {
  return createHmac("sha256", Buffer.from(secretBase64, "base64"))
    .update(Buffer.from(rawBody, "utf8"))
    .digest("base64");
}

/** Ids already acted on within the replay window (Slack `trigger_id`s, Teams activity ids): each acts once. */
export class SeenWithin {
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs = REPLAY_WINDOW_SECS * 2000) {}

  /** True the first time `id` is offered within the window. */
  first(id: string, now = Date.now()): boolean {
    for (const [k, at] of this.seen) if (now - at > this.windowMs) this.seen.delete(k);
    if (this.seen.has(id)) return false;
    this.seen.set(id, now);
    return true;
  }
}
