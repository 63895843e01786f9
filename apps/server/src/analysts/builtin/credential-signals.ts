import { type LogView, quote } from "./log-view.js";
import { type Signal, signal } from "./signal.js";

/** Credentials a dependency rejects: a wrong or rotated password, an expired token or key. */
export function credentialSignals(view: LogView): Signal[] {
  const re =
    /password authentication failed for user "?([\w.-]+)"?|Access denied for user '([^']+)'|Authentication failed(?: for user| \(user)? ?"?([\w.@-]+)?|\bExpiredToken\b|The (?:provided|security) token (?:included in the request )?(?:has expired|is invalid)|InvalidAccessKeyId|SignatureDoesNotMatch|invalid_grant|token (?:has )?expired|WRONGPASS invalid username-password pair|NOAUTH Authentication required|Login failed for user '([^']+)'|SASL authentication failed/i;
  const l = view.lines.find((x) => re.test(x.text));
  if (!l) return [];
  const m = re.exec(l.text);
  const user = m?.[1] ?? m?.[2] ?? m?.[3] ?? m?.[4];
  const expired = /expired/i.test(l.text);
  return [
    signal(
      "credentials_rejected",
      0.87,
      `${expired ? "credentials expired" : "credentials rejected"}, ${user ? `the login for "${user}" is refused` : "the dependency refuses the workload's credentials"} (${expired ? "the token/key has expired" : "wrong or rotated password/key"}): ${quote(l.text, 100, re)}`,
    ),
  ];
}
