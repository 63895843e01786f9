import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { maskSecret, parseSecretsKey, SecretBox, SecretBoxError } from "./secret-box.js";

describe("SecretBox (AES-256-GCM)", () => {
  const key = randomBytes(32);

  it("seals to an envelope that never contains the plaintext and opens in its own context only", () => {
    const box = new SecretBox(key);
    const sealed = box.seal("xoxb-super-secret-token", "integration:p1:int_1:bot_token");
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(sealed).not.toContain("xoxb");
    expect(box.open(sealed, "integration:p1:int_1:bot_token")).toBe("xoxb-super-secret-token");
    // Copied into another row or field: the authenticated context differs, so it does not open.
    expect(() => box.open(sealed, "integration:p2:int_1:bot_token")).toThrow(SecretBoxError);
    // A fresh IV each time: the same secret seals differently.
    expect(box.seal("same", "c")).not.toBe(box.seal("same", "c"));
  });

  it("refuses a tampered envelope", () => {
    const box = new SecretBox(key);
    const parts = box.seal("routing-key-123", "c").split(".");
    const ct = Buffer.from(parts[4] as string, "base64url");
    ct[0] = (ct[0] as number) ^ 1;
    parts[4] = ct.toString("base64url");
    expect(() => box.open(parts.join("."), "c")).toThrow(/authentication/);
  });

  it("opens what a previous key sealed, and seals with the current one", () => {
    const old = new SecretBox(key);
    const sealed = old.seal("s3cret-value", "c");
    const next = new SecretBox(randomBytes(32), [key]);
    expect(next.open(sealed, "c")).toBe("s3cret-value");
    expect(SecretBox.keyIdOf(next.seal("s3cret-value", "c"))).toBe(next.keyId);
    expect(next.keyId).not.toBe(old.keyId);
    expect(() => new SecretBox(randomBytes(32)).open(sealed, "c")).toThrow(/not configured/);
  });

  it("parses base64 and hex keys and refuses anything that is not 32 bytes", () => {
    expect(parseSecretsKey(key.toString("base64")).equals(key)).toBe(true);
    expect(parseSecretsKey(key.toString("hex")).equals(key)).toBe(true);
    expect(() => parseSecretsKey("correct horse battery staple passphrase")).toThrow(/32 bytes/);
  });

  it("masks all but the last four characters of a long secret", () => {
    expect(maskSecret("xoxb-1234567890-abcd")).toBe("••••abcd");
    expect(maskSecret("short")).toBe("••••");
  });
});
