import { sql } from "drizzle-orm";
import type { Config } from "../config/config.js";
import type { Executor } from "../ports/executor.js";
import type { Database } from "../store/database.js";

export type CheckStatus = "healthy" | "unhealthy" | "not_configured";

export interface DependencyCheck {
  status: CheckStatus;
  /** Measured round trip of the probe; null when nothing was probed. */
  latency_ms: number | null;
  detail: string;
}

export interface DependencyReport {
  status: "healthy" | "degraded" | "unhealthy";
  /** Seed 001's summary: one status per dependency. */
  dependencies: Record<string, CheckStatus>;
  /** Each probe, with its latency (LLM providers one by one, in chain order). */
  checks: Record<string, DependencyCheck>;
}

type Probe = () => Promise<string>;

/** Results are reused this long, so a health poller cannot turn into a load on paid model APIs. */
const CACHE_MS = 5000;

/**
 * Really probes what the product depends on, each with a short timeout: the database (a query), the
 * embeddings API and the chain's model providers (their cheap `GET …/models`), the executor (its
 * inventory). Rules: the database down → `unhealthy`; any other configured dependency down →
 * `degraded`; a dependency that is not configured is reported as such and counts for nothing.
 */
export class DependencyHealth {
  private cached: { at: number; report: Promise<DependencyReport> } | null = null;

  constructor(
    private readonly database: Database,
    private readonly executor: Pick<Executor, "kind" | "containers">,
    private readonly config: Config,
  ) {}

  report(now = Date.now()): Promise<DependencyReport> {
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.report;
    const report = this.probeAll();
    this.cached = { at: now, report };
    return report;
  }

  private async probeAll(): Promise<DependencyReport> {
    const c = this.config;
    const timeoutMs = c.AEGIS_HEALTH_PROBE_TIMEOUT_MS;
    const llm: [string, Probe | null][] = c.AEGIS_LLM_CHAIN.map((name) => [
      `llm:${name}`,
      this.llmProbe(name, timeoutMs),
    ]);
    const entries: [string, Probe | null][] = [
      [
        "database",
        async () => {
          await this.database.db.execute(sql`select 1`);
          return this.database.kind;
        },
      ],
      [
        "vector_db",
        c.AEGIS_EMBEDDINGS_URL
          ? () => getModels(c.AEGIS_EMBEDDINGS_URL as string, bearer(c.AEGIS_EMBEDDINGS_API_KEY), timeoutMs)
          : null,
      ],
      ...llm,
      ["executor", async () => `${this.executor.kind}: ${(await this.executor.containers()).length} containers`],
    ];
    const results = await Promise.all(
      entries.map(async ([name, probe]) => [name, await run(probe, timeoutMs)] as const),
    );
    const checks = Object.fromEntries(results);
    const llmChecks = llm.map(([name]) => checks[name] as DependencyCheck);
    const llmStatus: CheckStatus = llmChecks.every((x) => x.status === "not_configured")
      ? "not_configured"
      : llmChecks.some((x) => x.status === "unhealthy")
        ? "unhealthy"
        : "healthy";
    const dependencies: Record<string, CheckStatus> = {
      database: (checks.database as DependencyCheck).status,
      vector_db: (checks.vector_db as DependencyCheck).status,
      llm_api: llmStatus,
      executor: (checks.executor as DependencyCheck).status,
      // Seed 001 lists these two; AegisOps uses neither (PostgreSQL serves cache, queue and search), so they
      // are reported as such rather than left out of a seed client's view or claimed healthy.
      redis: "not_configured",
      elasticsearch: "not_configured",
    };
    const down = Object.values(dependencies).some((s) => s === "unhealthy");
    return {
      status: dependencies.database === "unhealthy" ? "unhealthy" : down ? "degraded" : "healthy",
      dependencies,
      checks,
    };
  }

  private llmProbe(name: string, timeoutMs: number): Probe | null {
    const c = this.config;
    switch (name) {
      case "openai":
        // Local OpenAI-compatible servers need no key; the base URL is always set (it has a default).
        return () => getModels(c.OPENAI_BASE_URL, bearer(c.OPENAI_API_KEY), timeoutMs);
      case "anthropic":
        if (!c.ANTHROPIC_API_KEY) return null;
        return () =>
          getModels(
            `${c.ANTHROPIC_BASE_URL.replace(/\/+$/, "")}/v1`,
            { "x-api-key": c.ANTHROPIC_API_KEY as string, "anthropic-version": "2023-06-01" },
            timeoutMs,
          );
      default:
        // The builtin analyst runs in-process: nothing to reach.
        return async () => "in-process";
    }
  }
}

function bearer(key: string | undefined): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {};
}

async function getModels(baseUrl: string, headers: Record<string, string>, timeoutMs: number): Promise<string> {
  const res = await fetch(`${baseUrl.replace(/\/+$/, "")}/models`, { headers, signal: AbortSignal.timeout(timeoutMs) });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`GET /models answered HTTP ${res.status}`);
  return `GET /models ${res.status}`;
}

async function run(probe: Probe | null, timeoutMs: number): Promise<DependencyCheck> {
  if (!probe) return { status: "not_configured", latency_ms: null, detail: "not configured" };
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const detail = await Promise.race([probe(), timeout]);
    return { status: "healthy", latency_ms: elapsed(started), detail };
  } catch (err) {
    return { status: "unhealthy", latency_ms: elapsed(started), detail: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
