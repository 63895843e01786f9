import { ConfigError, loadConfig } from "../config/config.js";
import { startAegis } from "../server/aegis-server.js";
import { collectGarbage } from "../shared/collect-garbage.js";
import { createLogger } from "../shared/logger.js";
import { tuneGlibcMalloc } from "./glibc-malloc.js";
import { applyV8Flags } from "./v8-flags.js";

/** `aegis start`: parse config once, start, stop cleanly on SIGTERM/SIGINT. */
export async function runStart(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) process.stderr.write(`configuration error: ${p.variable}: ${p.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  // Before the database's worker starts: its blocks are most of what glibc's arenas would keep.
  const tunesMalloc = config.AEGIS_MALLOC_MMAP_THRESHOLD > 0 || config.AEGIS_MALLOC_TRIM_SECONDS > 0;
  const malloc = tunesMalloc ? tuneGlibcMalloc({ mmapThresholdBytes: config.AEGIS_MALLOC_MMAP_THRESHOLD }) : undefined;
  applyV8Flags({
    heapGrowingPercent: config.AEGIS_V8_HEAP_GROWING_PERCENT,
    wasmTierUp: config.AEGIS_V8_WASM_TIER_UP,
  });
  const logger = createLogger(config.LOG_LEVEL);
  if (tunesMalloc && !malloc) {
    logger.debug(
      { platform: process.platform },
      "no glibc malloc to tune here (or its FFI did not load): the allocator keeps its defaults",
    );
  }
  const server = await startAegis(config, { logger });
  // Heard from the moment the server answers (a supervisor may stop it while start-up still collects garbage).
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  // Start-up's garbage goes back to the system now, not after ~20 s of idling (ADR 0025, eighth round).
  await Promise.all([collectGarbage(), server.database.collectGarbage()]).catch((err: unknown) =>
    logger.warn({ err }, "start-up garbage collection failed"),
  );
  if (stopping) return;
  // What freed memory glibc's arenas keep (start-up's, a storm's) goes back too, now and then periodically.
  if (malloc && config.AEGIS_MALLOC_TRIM_SECONDS > 0) {
    malloc.trim();
    setInterval(() => malloc.trim(), config.AEGIS_MALLOC_TRIM_SECONDS * 1000).unref();
  }
  if (server.apiKeyGenerated) {
    process.stdout.write(
      `\n  AegisOps generated an admin API key (stored in ${config.AEGIS_DATA_DIR}/api-key, shown only now):\n\n    ${server.apiKey}\n\n`,
    );
  }
  process.stdout.write(
    `  AegisOps is up: ${server.url}  (docs: ${server.url}/docs, WebSocket: ${server.url.replace("http", "ws")}/ws)\n`,
  );
}
