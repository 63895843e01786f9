import type { CostSummary, TokenUsage } from "@aegis/contracts";
import { sql } from "drizzle-orm";
import type { LlmCallRecord } from "../ports/analysis-records.js";
import type { Db } from "./database.js";
import { rowsOf } from "./rows-of.js";
import { hypotheses, incidents, llmCalls } from "./schema.js";

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const usd = (n: number) => Math.round(n * 1_000_000) / 1_000_000;

/** Model calls with their tokens and cost, and the seed 002 analytics over them. */
export class LlmUsageStore {
  async record(db: Db, r: LlmCallRecord): Promise<void> {
    await db.insert(llmCalls).values({ ...r });
  }

  /** Usage between two instants: totals, by request type, by day (UTC) and by provider/model. */
  async tokenUsage(db: Db, projectId: string, from: Date, to: Date): Promise<TokenUsage> {
    const where = sql`${llmCalls.projectId} = ${projectId} and ${llmCalls.createdAt} >= ${from} and ${llmCalls.createdAt} < ${to}`;
    const tokens = sql`(${llmCalls.promptTokens} + ${llmCalls.completionTokens})`;
    const calls = sql`${llmCalls.cacheHit} = false`;
    const [totals] = rowsOf(
      await db.execute(sql`
        select count(*) filter (where ${calls}) as requests, coalesce(sum(${tokens}), 0) as tokens,
               coalesce(sum(${llmCalls.costUsd}), 0) as cost, count(*) filter (where ${llmCalls.cacheHit}) as hits
        from ${llmCalls} where ${where}`),
    );
    const byType = rowsOf(
      await db.execute(sql`
        select ${llmCalls.requestType} as t, count(*) as n, coalesce(sum(${tokens}), 0) as tokens, coalesce(sum(${llmCalls.costUsd}), 0) as cost
        from ${llmCalls} where ${where} and ${calls} group by 1 order by 1`),
    );
    const byDay = rowsOf(
      await db.execute(sql`
        select to_char(${llmCalls.createdAt} at time zone 'UTC', 'YYYY-MM-DD') as d, count(*) as n,
               coalesce(sum(${tokens}), 0) as tokens, coalesce(sum(${llmCalls.costUsd}), 0) as cost
        from ${llmCalls} where ${where} and ${calls} group by 1 order by 1`),
    );
    const byProvider = rowsOf(
      await db.execute(sql`
        select ${llmCalls.provider} as p, ${llmCalls.model} as m, count(*) as n, count(*) filter (where not ${llmCalls.ok}) as failed,
               coalesce(sum(${llmCalls.promptTokens}), 0) as pt, coalesce(sum(${llmCalls.completionTokens}), 0) as ct,
               coalesce(sum(${llmCalls.costUsd}), 0) as cost, coalesce(avg(${llmCalls.latencyMs}), 0) as lat
        from ${llmCalls} where ${where} and ${calls} group by 1, 2 order by 1, 2`),
    );
    return {
      total_requests: num(totals?.requests),
      total_tokens: num(totals?.tokens),
      total_cost_usd: usd(num(totals?.cost)),
      breakdown_by_type: byType.map((r) => ({
        request_type: String(r.t),
        count: num(r.n),
        total_tokens: num(r.tokens),
        cost_usd: usd(num(r.cost)),
      })),
      timeline: byDay.map((r) => ({
        date: String(r.d),
        requests: num(r.n),
        tokens: num(r.tokens),
        cost_usd: usd(num(r.cost)),
      })),
      by_provider: byProvider.map((r) => ({
        provider: String(r.p),
        model: String(r.m),
        requests: num(r.n),
        failures: num(r.failed),
        prompt_tokens: num(r.pt),
        completion_tokens: num(r.ct),
        cost_usd: usd(num(r.cost)),
        avg_latency_ms: Math.round(num(r.lat)),
      })),
      cache_hits: num(totals?.hits),
      start_date: from.toISOString(),
      end_date: to.toISOString(),
    };
  }

  /** Cost over the last `days`: totals, cache effect, the most expensive incidents and advice. */
  async costSummary(db: Db, projectId: string, days: number, now = new Date()): Promise<CostSummary> {
    const from = new Date(now.getTime() - days * 86_400_000);
    const where = sql`${llmCalls.projectId} = ${projectId} and ${llmCalls.createdAt} >= ${from}`;
    const [t] = rowsOf(
      await db.execute(sql`
        select count(*) filter (where not ${llmCalls.cacheHit}) as requests,
               count(*) filter (where not ${llmCalls.cacheHit} and ${llmCalls.ok} and ${llmCalls.requestType} <> 'review') as answers,
               count(*) filter (where not ${llmCalls.cacheHit} and not ${llmCalls.ok}) as failures,
               count(*) filter (where ${llmCalls.cacheHit}) as hits,
               coalesce(sum(${llmCalls.costUsd}), 0) as cost,
               coalesce(sum(${llmCalls.costUsd}) filter (where ${llmCalls.ok} and not ${llmCalls.cacheHit}), 0) as answer_cost
        from ${llmCalls} where ${where}`),
    );
    const [inc] = rowsOf(
      await db.execute(sql`
        select (select count(*) from ${incidents} where ${incidents.projectId} = ${projectId} and ${incidents.createdAt} >= ${from}) as total,
               (select count(distinct ${hypotheses.incidentId}) from ${hypotheses} where ${hypotheses.projectId} = ${projectId} and ${hypotheses.createdAt} >= ${from}) as with_h`),
    );
    const top = rowsOf(
      await db.execute(sql`
        select c.incident_id as id, coalesce(max(i.alert_type), c.incident_id) as title, sum(c.cost_usd) as cost, count(*) as n
        from ${llmCalls} c left join ${incidents} i on i.project_id = c.project_id and i.id = c.incident_id
        where c.project_id = ${projectId} and c.created_at >= ${from} and c.incident_id is not null and not c.cache_hit
        group by c.incident_id order by sum(c.cost_usd) desc, count(*) desc limit 5`),
    );
    const requests = num(t?.requests);
    const answers = num(t?.answers);
    const hits = num(t?.hits);
    const cost = num(t?.cost);
    const hitRate = answers + hits > 0 ? Math.round((hits / (answers + hits)) * 1000) / 10 : 0;
    const avgAnswer = answers > 0 ? num(t?.answer_cost) / answers : 0;
    const recommendations: CostSummary["recommendations"] = [];
    if (answers + hits >= 10 && hitRate < 30) {
      recommendations.push({
        type: "low_cache_hit_rate",
        message: `Cache hit rate (${hitRate}%) is low: raise AEGIS_ANALYSIS_CACHE_SECS if the same alerts repeat.`,
        priority: "medium",
      });
    }
    const failures = num(t?.failures);
    if (requests >= 5 && failures / requests > 0.2) {
      recommendations.push({
        type: "high_failure_rate",
        message: `${failures} of ${requests} model calls failed and fell back: check the provider, its key and AEGIS_LLM_TIMEOUT_SECS.`,
        priority: "high",
      });
    }
    if (answers > 0 && avgAnswer > 0.01) {
      recommendations.push({
        type: "expensive_model",
        message: `An analysis costs $${avgAnswer.toFixed(4)} on average: a smaller model (AEGIS_LLM_MODEL) may do.`,
        priority: "low",
      });
    }
    return {
      overall_stats: {
        total_requests: requests,
        total_cost_usd: usd(cost),
        avg_cost_per_request: requests > 0 ? usd(cost / requests) : 0,
      },
      cache_stats: {
        total_incidents: num(inc?.total),
        incidents_with_hypotheses: num(inc?.with_h),
        cache_hit_rate: hitRate,
        potential_savings: usd(hits * avgAnswer),
        cache_hits: hits,
      },
      most_expensive_incidents: top.map((r) => ({
        incident_id: String(r.id),
        title: String(r.title),
        total_cost: usd(num(r.cost)),
        request_count: num(r.n),
      })),
      recommendations,
      days,
    };
  }
}
