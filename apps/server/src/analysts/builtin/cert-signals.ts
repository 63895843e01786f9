import { type LogView, quote } from "./log-view.js";
import { type Signal, signal } from "./signal.js";
import { parseInstant } from "./timestamps.js";

const EXPIRED =
  /certificate (?:has )?expired|expired certificate|CERT_HAS_EXPIRED|x509: certificate has expired|CertificateExpired(?:Exception|Error)?|certificate is not yet valid|sslv3 alert certificate expired|tls: expired|SSL_R_CERTIFICATE_EXPIRED|certificate verify failed: certificate has expired|NotAfter: [^\n]+ is before|validity check failed/i;
const EXPIRING = /certificate[^\n]{0,40}(?:will expire|expires|expiring) (?:in|within) \d+ ?(?:days?|hours?|h|d)/i;

/** A certificate the client does not trust, or one issued for another name: the chain, not the date. */
const UNTRUSTED =
  /x509: certificate signed by unknown authority|unable to (?:get local issuer certificate|verify the first certificate)|self[- ]signed certificate(?: in certificate chain)?|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT|PKIX path building failed|unable to find valid certification path|x509: certificate is valid for [^\n]+?, not [\w.*-]+|Hostname\/IP does not match certificate's altnames|ERR_TLS_CERT_ALTNAME_INVALID|certificate verify failed: (?:unable to get local issuer certificate|self[- ]signed certificate|Hostname mismatch)/i;

export function certSignals(view: LogView): Signal[] {
  const out: Signal[] = [];
  const untrusted = view.lines.find((l) => UNTRUSTED.test(l.text) && !EXPIRED.test(l.text));
  if (untrusted) {
    const name = /valid for [^\n]+?, not ([\w.*-]+)|altnames|ALTNAME|Hostname mismatch/i.test(untrusted.text);
    out.push(
      signal(
        "tls_untrusted",
        0.9,
        `${name ? "TLS certificate name mismatch: the certificate is not issued for the host that is called" : "untrusted TLS certificate: the client does not trust the certificate's issuer (unknown CA or self-signed)"}: ${quote(untrusted.text, 110, UNTRUSTED)}`,
      ),
    );
  }
  const hit = view.lines.find((l) => EXPIRED.test(l.text));
  if (hit) out.push(signal("cert_expired", 0.95, `expired TLS certificate: ${quote(hit.text, 110, EXPIRED)}`));
  const soon = view.lines.find((l) => EXPIRING.test(l.text));
  if (soon) out.push(signal("cert_expired", 0.7, `certificate about to expire: ${quote(soon.text, 100)}`));
  // openssl x509 -enddate output compared with "now".
  for (const l of view.lines) {
    const m = /notAfter=(.+?)\s*$/i.exec(l.text);
    const end = m ? (parseInstant(m[1] ?? "") ?? Date.parse(m[1] ?? "")) : null;
    if (end !== null && !Number.isNaN(end) && view.nowMs !== null && end < view.nowMs) {
      out.push(signal("cert_expired", 0.9, `certificate notAfter ${m?.[1]} is in the past`));
    }
  }
  for (const l of view.lines) {
    const m = /cert\w*[ _-]?expir\w*[^\n]{0,50}?\(?(\d+(?:\.\d+)?)\s*(days?|d|hours?|h)\b/i.exec(l.text);
    if (m) {
      const days = Number(m[1]) / (/^h/i.test(m[2] ?? "") ? 24 : 1);
      if (days <= 14)
        out.push(
          signal(
            "cert_expired",
            days <= 3 ? 0.75 : 0.55,
            `certificate expires in ${m[1]} ${m[2]}: ${quote(l.text, 90)}`,
          ),
        );
    }
  }
  const renewal = view.lines.find(
    (l) =>
      /cert-manager|certbot|ACME (?:challenge|order|account)|issuer[^\n]{0,30}not ready|Certificate[^\n]{0,40}(?:not ready|failed|renewal)/i.test(
        l.text,
      ) && /error|fail|not ready|expired/i.test(l.text),
  );
  if (renewal) out.push(signal("cert_renewal_failed", 0.7, `certificate renewal broken: ${quote(renewal.text, 100)}`));
  if (/cert(?:ificate)?|tls|ssl|x509/i.test(view.alert) && /expir/i.test(view.alert)) {
    out.push(signal("cert_expired", 0.5, `alert: "${view.alert}"`, "alert"));
  }
  return out;
}
