import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ServiceSpec } from "./local-executor-options.js";

export interface DemoServiceOptions {
  port: number;
  /** The product's /webhook URL; empty disables the app's memory watchdog. */
  webhookUrl: string;
  apiKey: string;
  memoryThresholdMb: number;
}

/** The default supervised service: the compiled buggy app (workspace package @aegis/buggy-app), v2 with v1 to roll back to. */
export function demoServices(opts: DemoServiceOptions): ServiceSpec[] {
  const pkg = createRequire(import.meta.url).resolve("@aegis/buggy-app/package.json");
  const env: Record<string, string> = { WATCHDOG_MEMORY_MB: String(opts.memoryThresholdMb) };
  if (opts.webhookUrl) env.WATCHDOG_URL = opts.webhookUrl;
  if (opts.apiKey) env.WATCHDOG_API_KEY = opts.apiKey;
  return [
    {
      name: "buggy-app-v2",
      command: process.execPath,
      args: [join(dirname(pkg), "dist", "main.js")],
      port: opts.port,
      env,
      image: "local/buggy-app:v2",
      healthPath: "/health",
      versions: { current: "v2", previous: ["v1"] },
      versionEnv: "APP_VERSION",
      nameEnv: "APP_NAME",
    },
  ];
}
