/** Names of fields whose values never reach the audit log (matched case-insensitively, as substrings). */
const SECRET_NAMES = [
  "password",
  "passwd",
  "token",
  "secret",
  "api_key",
  "apikey",
  "authorization",
  "cookie",
  "private_key",
  "credential",
  "signing_key",
];

export const REDACTED = "[REDACTED]";

function isSecretName(name: string): boolean {
  const n = name.toLowerCase().replaceAll("-", "_");
  return SECRET_NAMES.some((s) => n.includes(s));
}

/** A deep copy of `value` with every secret-named field's value replaced by `[REDACTED]`. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSecretName(k) ? REDACTED : redactSecrets(v, depth + 1);
    return out;
  }
  return value;
}
