import { z } from "zod";
import { ActionType } from "./enums.js";

/** Seed 001 `POST /api/v1/analyze` request. */
export const AnalyzeRequest = z.object({
  incident_description: z.string().min(10).max(5000),
  incident_id: z
    .string()
    .regex(/^INC-\d+$/, "must look like INC-12345")
    .optional(),
  context: z
    .object({
      service: z.string().max(253),
      environment: z.string().max(100),
      region: z.string().max(100),
      severity: z.enum(["critical", "high", "medium", "low"]),
    })
    .partial()
    .optional(),
  options: z
    .object({
      include_commands: z.boolean().default(true),
      max_citations: z.number().int().min(0).max(10).default(5),
      include_related_incidents: z.boolean().default(true),
    })
    .partial()
    .optional(),
  /** Logs to analyse with the description (superset of seed 001). */
  logs: z.string().max(100_000).optional(),
});
export type AnalyzeRequest = z.infer<typeof AnalyzeRequest>;

export const NextAction = z.object({
  action: z.string(),
  priority: z.enum(["high", "medium", "low"]),
  estimated_time: z.string(),
  rationale: z.string(),
});

export const SuggestedCommand = z.object({
  description: z.string(),
  command: z.string(),
  safe_to_run: z.boolean(),
});

export const Citation = z.object({
  source: z.string(),
  reference: z.string(),
  excerpt: z.string(),
  timestamp: z.string(),
});

/** Seed 002 hypothesis. */
export const Hypothesis = z.object({
  id: z.string(),
  incident_id: z.string(),
  claim: z.string(),
  description: z.string(),
  confidence_score: z.number(),
  confidence_lower: z.number(),
  confidence_upper: z.number(),
  rank: z.number().int(),
  supporting_evidence: z.array(z.string()),
  contradicting_evidence: z.array(z.string()),
  user_feedback: z.string().nullable(),
  created_at: z.string(),
  /** Which analyst produced it (superset). */
  provider: z.string().optional(),
});
export type Hypothesis = z.infer<typeof Hypothesis>;

/** Seed 001 `POST /api/v1/analyze` response, plus the proposed action and ranked hypotheses. */
export const AnalyzeResponse = z.object({
  request_id: z.string(),
  timestamp: z.string(),
  latency_ms: z.number().int(),
  result: z.object({
    hypothesis: z.string(),
    confidence: z.number(),
    next_actions: z.array(NextAction),
    commands: z.array(SuggestedCommand),
    citations: z.array(Citation),
    related_incidents: z.array(
      z.object({ incident_id: z.string(), similarity_score: z.number(), resolution: z.string() }),
    ),
    action: ActionType,
    hypotheses: z.array(
      Hypothesis.pick({
        rank: true,
        claim: true,
        description: true,
        confidence_score: true,
        confidence_lower: true,
        confidence_upper: true,
        supporting_evidence: true,
        contradicting_evidence: true,
      }),
    ),
  }),
  metadata: z.object({
    tools_used: z.array(z.string()),
    runbooks_retrieved: z.number().int(),
    cache_hit: z.boolean(),
    latency_ms: z.number().int(),
    provider: z.string(),
    providers_failed: z.array(z.object({ provider: z.string(), reason: z.string() })),
  }),
});
export type AnalyzeResponse = z.infer<typeof AnalyzeResponse>;

/** Seed 001 error body: `{error: {code, message, …}}`. */
export const CopilotError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
    partial_results: z.object({ tools_completed: z.array(z.string()), tools_failed: z.array(z.string()) }).optional(),
    retry_after: z.number().optional(),
  }),
});
export type CopilotError = z.infer<typeof CopilotError>;

/** Seed 002 `GET /analytics/token-usage`, plus per-provider figures and cache hits. */
export const TokenUsage = z.object({
  total_requests: z.number().int(),
  total_tokens: z.number().int(),
  total_cost_usd: z.number(),
  breakdown_by_type: z.array(
    z.object({
      request_type: z.string(),
      count: z.number().int(),
      total_tokens: z.number().int(),
      cost_usd: z.number(),
    }),
  ),
  timeline: z.array(
    z.object({ date: z.string(), requests: z.number().int(), tokens: z.number().int(), cost_usd: z.number() }),
  ),
  by_provider: z.array(
    z.object({
      provider: z.string(),
      model: z.string(),
      requests: z.number().int(),
      failures: z.number().int(),
      prompt_tokens: z.number().int(),
      completion_tokens: z.number().int(),
      cost_usd: z.number(),
      avg_latency_ms: z.number(),
    }),
  ),
  cache_hits: z.number().int(),
  start_date: z.string(),
  end_date: z.string(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

/** Seed 002 `GET /analytics/cost-summary`. */
export const CostSummary = z.object({
  overall_stats: z.object({
    total_requests: z.number().int(),
    total_cost_usd: z.number(),
    avg_cost_per_request: z.number(),
  }),
  cache_stats: z.object({
    total_incidents: z.number().int(),
    incidents_with_hypotheses: z.number().int(),
    cache_hit_rate: z.number(),
    potential_savings: z.number(),
    cache_hits: z.number().int(),
  }),
  most_expensive_incidents: z.array(
    z.object({
      incident_id: z.string(),
      title: z.string(),
      total_cost: z.number(),
      request_count: z.number().int(),
    }),
  ),
  recommendations: z.array(
    z.object({ type: z.string(), message: z.string(), priority: z.enum(["high", "medium", "low"]) }),
  ),
  days: z.number().int(),
});
export type CostSummary = z.infer<typeof CostSummary>;
