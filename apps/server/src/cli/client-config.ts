import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { AegisClient } from "@aegis/sdk";
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

/** The SDK client the CLI commands talk through. */
export function cliClient(env: NodeJS.ProcessEnv = process.env): AegisClient {
  const { url, apiKey } = clientConfig(env);
  return new AegisClient(url, apiKey);
}
