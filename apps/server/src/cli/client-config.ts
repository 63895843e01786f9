import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { apiKeyFile } from "../server/api-key.js";

/** Where the CLI finds the server and its key: AEGIS_URL / AEGIS_API_KEY, else the local defaults and data dir. */
export function clientConfig(env: NodeJS.ProcessEnv = process.env): { url: string; apiKey: string | undefined } {
  const host = env.AEGIS_HOST && env.AEGIS_HOST !== "0.0.0.0" ? env.AEGIS_HOST : "127.0.0.1";
  const url = (env.AEGIS_URL ?? `http://${host}:${env.AEGIS_PORT ?? "8001"}`).replace(/\/$/, "");
  let apiKey = env.AEGIS_API_KEY || undefined;
  const file = apiKeyFile(resolve(env.AEGIS_DATA_DIR ?? "./.aegis"));
  if (!apiKey && existsSync(file)) apiKey = readFileSync(file, "utf8").trim();
  return { url, apiKey };
}

export async function apiRequest(method: string, path: string, body?: unknown): Promise<unknown> {
  const { url, apiKey } = clientConfig();
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(apiKey ? { "x-api-key": apiKey } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : null,
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return parsed;
}
