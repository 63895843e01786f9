import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { InputError } from "../shared/errors.js";

const VERSION = "v1";
const IV_BYTES = 12;

/** A 256-bit key from its base64 or hex text; anything else is refused (a passphrase is not a key). */
export function parseSecretsKey(text: string, variable = "AEGIS_SECRETS_KEY"): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (key.length !== 32) throw new InputError(`${variable} must be 32 bytes, base64 or hex encoded`, "invalid_key");
  return key;
}

/** Short stable id of a key, stored with each envelope so the right key opens it after a rotation. */
function keyIdOf(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

/**
 * AES-256-GCM envelopes for secrets at rest: `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url). The
 * caller's `context` (project, integration, field) is authenticated data, so an envelope copied into
 * another row or field does not open. Older keys still open what they sealed; `seal` always uses the
 * current one, so re-sealing moves a secret to it.
 */
export class SecretBox {
  private readonly current: { id: string; key: Buffer };
  private readonly keys = new Map<string, Buffer>();

  constructor(currentKey: Buffer, previousKeys: readonly Buffer[] = []) {
    this.current = { id: keyIdOf(currentKey), key: currentKey };
    for (const k of [currentKey, ...previousKeys]) this.keys.set(keyIdOf(k), k);
  }

  get keyId(): string {
    return this.current.id;
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    cipher.setAAD(Buffer.from(context));
    const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ct].map((b) => b.toString("base64url"));
    return [VERSION, this.current.id, ...parts].join(".");
  }

  open(envelope: string, context: string): string {
    const [version, keyId, iv, tag, ct] = envelope.split(".");
    if (version !== VERSION || !keyId || iv === undefined || tag === undefined || ct === undefined) {
      throw new SecretBoxError("not a sealed secret");
    }
    const key = this.keys.get(keyId);
    if (!key) throw new SecretBoxError(`sealed with key ${keyId}, which is not configured`);
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretBoxError("sealed secret failed authentication");
    }
  }

  /** The key id an envelope was sealed with. */
  static keyIdOf(envelope: string): string | undefined {
    return envelope.split(".")[1];
  }
}

export class SecretBoxError extends Error {
  override readonly name = "SecretBoxError";
}

/** `••••abcd`: the last four characters of a long secret, nothing of a short one. */
export function maskSecret(secret: string): string {
  return secret.length >= 12 ? `••••${secret.slice(-4)}` : "••••";
}
