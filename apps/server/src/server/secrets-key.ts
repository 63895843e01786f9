import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseSecretsKey } from "../integrations/secret-box.js";

/**
 * The key sealing integration secrets: the configured one, else the one stored in the data dir, else a
 * new 256-bit key stored there with mode 0600 (as the JWT secret). A cluster shares AEGIS_SECRETS_KEY.
 */
export function resolveSecretsKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) return parseSecretsKey(configured);
  const file = join(dataDir, "secrets-key");
  if (existsSync(file)) return parseSecretsKey(readFileSync(file, "utf8"), file);
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}
