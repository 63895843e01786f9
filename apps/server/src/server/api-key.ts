import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface ResolvedKey {
  key: string;
  /** True when the key was generated now (it is printed once). */
  generated: boolean;
  file: string | null;
}

export function apiKeyFile(dataDir: string): string {
  return join(dataDir, "api-key");
}

/** The configured key, else the one stored in the data dir, else a new one stored there with mode 0600. */
export function resolveApiKey(configured: string | undefined, dataDir: string): ResolvedKey {
  if (configured) return { key: configured, generated: false, file: null };
  const file = apiKeyFile(dataDir);
  if (existsSync(file)) {
    const key = readFileSync(file, "utf8").trim();
    if (key.length >= 16) return { key, generated: false, file };
  }
  mkdirSync(dataDir, { recursive: true });
  const key = `aegis_${randomBytes(24).toString("base64url")}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { key, generated: true, file };
}
