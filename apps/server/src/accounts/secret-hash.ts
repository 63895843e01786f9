import { createHash, randomBytes } from "node:crypto";

/**
 * SHA-256 of a high-entropy secret (refresh token, API key). A slow KDF buys nothing for 192-bit random
 * secrets, and a fast hash lets the store look the secret up by its hash.
 */
export function secretHash(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** A random secret with a readable prefix, e.g. `aegis_pk_…`. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(24).toString("base64url")}`;
}
