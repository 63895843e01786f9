import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * AES-256-GCM sealing of a secret the product must read back in clear (a PagerDuty signing secret is
 * an HMAC key, so a hash will not do). Sealed form: `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
export class SealedSecrets {
  private readonly key: Buffer;

  /** `master` is the server's persisted secret; a purpose-bound key is derived from it (HKDF-SHA256). */
  constructor(master: string, purpose = "aegis/alert-source-secrets") {
    this.key = Buffer.from(hkdfSync("sha256", master, "aegis", purpose, 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return ["v1", iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
      .join(".");
  }

  /** The clear secret, or null when it was sealed under another key or tampered with. */
  open(sealed: string): string | null {
    const [v, iv, tag, body] = sealed.split(".");
    if (v !== "v1" || !iv || !tag || body === undefined) return null;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      return null;
    }
  }
}
