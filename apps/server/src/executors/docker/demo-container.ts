import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { OwnedContainerSpec } from "./docker-executor-options.js";

export interface DemoContainerOptions {
  /** Host port published to the app's port 8000 (the seed's `curl localhost:8000/trigger_memory`). */
  hostPort: number;
  apiKey: string;
  memoryThresholdMb: number;
}

/**
 * The seed's demo app as the container `buggy-app-v2`: the compiled workspace package @aegis/buggy-app
 * in an image made locally (`aegisops/buggy-app:v2`, with `:v1` recorded as the deploy before it).
 */
export function demoContainer(opts: DemoContainerOptions): OwnedContainerSpec {
  const appDir = dirname(createRequire(import.meta.url).resolve("@aegis/buggy-app/package.json"));
  const env: Record<string, string> = { WATCHDOG_MEMORY_MB: String(opts.memoryThresholdMb), HOST: "0.0.0.0" };
  if (opts.apiKey) env.WATCHDOG_API_KEY = opts.apiKey;
  return {
    name: "buggy-app-v2",
    image: {
      repo: "aegisops/buggy-app",
      tags: { v1: { APP_VERSION: "v1" }, v2: { APP_VERSION: "v2" } },
      appDir,
      entry: "dist/main.js",
      port: 8000,
    },
    tag: "v2",
    previousTags: ["v1"],
    env,
    hostPort: opts.hostPort === 0 ? null : opts.hostPort,
    healthPath: "/health",
    nameEnv: "APP_NAME",
    webhookEnv: "WATCHDOG_URL",
  };
}
