import type { KindConfig } from "@aegis/contracts";
import type { PageMessage } from "../ports/notifier.js";
import type { SendOutcome } from "./channel-outcome.js";
import { headline, plainText } from "./page-text.js";

/**
 * A nodemailer SMTP transport for an email integration; STARTTLS when offered unless `secure`. nodemailer
 * (~15 MB resident) is loaded with the first email, not at start (ADR 0025, sixth round).
 */
export async function smtpTransport(c: KindConfig<"email">, timeoutMs: number) {
  const { default: nodemailer } = await import("nodemailer");
  return nodemailer.createTransport({
    host: c.host,
    port: c.port,
    secure: c.secure,
    ...(c.username ? { auth: { user: c.username, pass: c.password ?? "" } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    tls: { rejectUnauthorized: c.verify_tls },
  });
}

/** Email over SMTP. An SMTP 4xx reply (or no answer) is transient and retried; a 5xx is a refusal. */
export async function sendEmail(
  c: KindConfig<"email">,
  m: PageMessage,
  opts: { timeoutMs: number; to: readonly string[] },
): Promise<SendOutcome> {
  if (opts.to.length === 0) return { ok: false, status: null, error: "email: no recipient", retryable: false };
  const transport = await smtpTransport(c, opts.timeoutMs);
  try {
    const info = await transport.sendMail({
      from: c.from,
      to: [...opts.to],
      subject: headline(m).slice(0, 200),
      text: plainText(m),
      headers: {
        ...(m.incidentId ? { "X-AegisOps-Incident": m.incidentId } : {}),
        "X-AegisOps-Page-Kind": m.kind,
      },
    });
    const rejected = (info.rejected ?? []).map(String);
    if (rejected.length > 0)
      return { ok: false, status: 550, error: `rejected: ${rejected.join(", ")}`, retryable: false };
    return { ok: true, status: 250, error: null, retryable: false };
  } catch (err) {
    return smtpFailure(err);
  } finally {
    transport.close();
  }
}

export function smtpFailure(err: unknown): SendOutcome {
  const e = err as Error & { responseCode?: number; code?: string };
  const code = typeof e.responseCode === "number" ? e.responseCode : null;
  return {
    ok: false,
    status: code,
    error: `${e.code ? `${e.code}: ` : ""}${e.message}`,
    retryable: code === null || (code >= 400 && code < 500),
  };
}
