import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * PagerDuty v3 webhook signatures: `X-PagerDuty-Signature: v1=<hex HMAC-SHA256 of the raw body>`,
 * several comma-separated while a secret is being rotated. Valid when any v1 signature matches.
 */
export function verifyPagerDutySignature(header: string | undefined, rawBody: string, secret: string): boolean {
  if (!header) return false;
  const expected = createHmac("sha256", secret).update(rawBody, "utf8").digest();
  for (const part of header.split(",")) {
    const [version, hex] = part.trim().split("=", 2);
    if (version !== "v1" || !hex || !/^[0-9a-f]{64}$/i.test(hex)) continue;
    if (timingSafeEqual(Buffer.from(hex, "hex"), expected)) return true;
  }
  return false;
}

/** The header value PagerDuty would send for `rawBody` (tests, `POST /webhook/pagerduty/test`). */
export function signPagerDuty(rawBody: string, secret: string): string {
  return `v1=${createHmac("sha256", secret).update(rawBody, "utf8").digest("hex")}`;
}
