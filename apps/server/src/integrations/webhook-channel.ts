import { randomUUID } from "node:crypto";
import type { KindConfig } from "@aegis/contracts";
import type { PageMessage } from "../ports/notifier.js";
import { postJson, type SendOutcome } from "./channel-outcome.js";
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from "./webhook-signature.js";

/** A page as a signed webhook (the signature scheme of seed 001's outbound webhooks). */
export function sendSignedWebhook(
  c: KindConfig<"webhook">,
  event: string,
  data: PageMessage | Record<string, unknown>,
  opts: { timeoutMs: number },
): Promise<SendOutcome> {
  const timestamp = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({ event, timestamp: new Date(timestamp * 1000).toISOString(), data });
  return postJson(c.url, body, {
    timeoutMs: opts.timeoutMs,
    headers: {
      "content-type": "application/json",
      "user-agent": "AegisOps-Webhooks",
      "x-delivery-id": randomUUID(),
      "x-event": event,
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signWebhook(c.secret, timestamp, body),
    },
  });
}
