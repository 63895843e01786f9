import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { DependencyHealth } from "./dependency-health.js";
import { startReceiver } from "./test-http-receiver.js";

const executor = { kind: "local", containers: async () => [] };

describe.each(testDatabaseKinds())("dependency health on %s", (kind) => {
  let t: TestDatabase;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
    await t?.cleanup();
  });

  it("probes the database, the chain's providers and embeddings for real, each with its latency", async () => {
    t = await freshDatabase(kind);
    const openai = await startReceiver((r) =>
      r.url === "/v1/models" && r.headers.authorization === "Bearer sk-test"
        ? { status: 200, json: { data: [] } }
        : { status: 404 },
    );
    const anthropic = await startReceiver(() => ({ status: 401, json: { error: "bad key" } }));
    closers.push(openai.close, anthropic.close);
    const config = loadConfig({
      AEGIS_LLM_CHAIN: "openai,anthropic,builtin",
      OPENAI_BASE_URL: `${openai.url}/v1`,
      OPENAI_API_KEY: "sk-test",
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_API_KEY: "wrong",
      AEGIS_HEALTH_PROBE_TIMEOUT_MS: "1000",
    });
    const r = await new DependencyHealth(t.database, executor, config).report();
    expect(r.checks.database).toMatchObject({ status: "healthy", detail: kind });
    expect(r.checks["llm:openai"]).toMatchObject({ status: "healthy", detail: "GET /models 200" });
    expect(r.checks["llm:anthropic"]).toMatchObject({ status: "unhealthy", detail: "GET /models answered HTTP 401" });
    expect(r.checks["llm:builtin"]).toMatchObject({ status: "healthy", detail: "in-process" });
    expect(r.checks.vector_db).toEqual({ status: "not_configured", latency_ms: null, detail: "not configured" });
    for (const name of ["database", "llm:openai", "llm:anthropic", "executor"]) {
      expect(r.checks[name]?.latency_ms).toBeGreaterThanOrEqual(0);
    }
    expect(anthropic.received[0]?.url).toBe("/v1/models");
    // One provider of the chain down: degraded, not unhealthy (the database is up).
    expect(r.dependencies).toEqual({
      database: "healthy",
      vector_db: "not_configured",
      llm_api: "unhealthy",
      executor: "healthy",
      redis: "not_configured",
      elasticsearch: "not_configured",
    });
    expect(r.status).toBe("degraded");
  });

  it("a silent dependency times out as unhealthy; the database down is unhealthy overall", async () => {
    t = await freshDatabase(kind);
    const config = loadConfig({
      AEGIS_LLM_CHAIN: "builtin",
      AEGIS_EMBEDDINGS_URL: "http://127.0.0.1:9/v1", // discard port: nothing listens
      AEGIS_HEALTH_PROBE_TIMEOUT_MS: "500",
    });
    const r = await new DependencyHealth(t.database, executor, config).report();
    expect(r.checks.vector_db?.status).toBe("unhealthy");
    expect(r.status).toBe("degraded");
    await t.database.close();
    const down = await new DependencyHealth(t.database, executor, config).report();
    expect(down.checks.database?.status).toBe("unhealthy");
    expect(down.status).toBe("unhealthy");
  });
});
