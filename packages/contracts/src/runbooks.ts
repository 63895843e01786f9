import { z } from "zod";
import { ActionType } from "./enums.js";
import { FixOutcome } from "./knowledge.js";

/** Runbook ids are the client's (e.g. `kubernetes/KubePodCrashLooping`); printable, no control characters. */
export const RunbookId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]+$/u, "must not contain control characters");

/** `POST /api/v1/runbooks` and `PUT /api/v1/runbooks/{id}` body (seed 001 runbook corpus). */
export const RunbookInput = z.object({
  id: RunbookId.optional(),
  title: z.string().trim().min(1).max(500),
  service: z.string().trim().min(1).max(200),
  /** Markdown. */
  body: z.string().min(1).max(1_000_000),
  url: z.url().max(2000).nullish(),
  tags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
});
export type RunbookInput = z.infer<typeof RunbookInput>;

/** A stored runbook. */
export const Runbook = z.object({
  id: z.string(),
  title: z.string(),
  service: z.string(),
  body: z.string(),
  url: z.string().nullable(),
  tags: z.array(z.string()),
  created_at: z.string(),
  last_updated: z.string(),
});
export type Runbook = z.infer<typeof Runbook>;

/** `GET /api/v1/runbooks`: the seed 003 paginated envelope. */
export const RunbookPage = z.object({
  items: z.array(Runbook),
  total: z.number().int(),
  page: z.number().int(),
  page_size: z.number().int(),
  has_next: z.boolean(),
});
export type RunbookPage = z.infer<typeof RunbookPage>;

/** How sure retrieval is of a hit: `low` means "no good match", not an answer. */
export const MatchConfidence = z.enum(["high", "medium", "low"]);
export type MatchConfidence = z.infer<typeof MatchConfidence>;

/** `POST /api/v1/runbooks/search` body (seed 001). */
export const RunbookSearchRequest = z.object({
  query: z.string().trim().min(1).max(20_000),
  service: z.string().trim().min(1).max(200).optional(),
  top_k: z.number().int().min(1).max(20).default(5),
});
export type RunbookSearchRequest = z.infer<typeof RunbookSearchRequest>;

/** One hit (seed 001 fields, plus confidence and the terms that matched). */
export const RunbookSearchResult = z.object({
  id: z.string(),
  title: z.string(),
  /** Calibrated 0..1; 0.5 sits at the "good match" cut. */
  score: z.number(),
  service: z.string(),
  /** Best passage of the body, matches wrapped in `**…**`. */
  excerpt: z.string(),
  url: z.string().nullable(),
  last_updated: z.string(),
  confidence: MatchConfidence,
  tags: z.array(z.string()),
  matched_terms: z.array(z.string()),
  /** Which rankers found it: `lexical`, `vector`. */
  retrieved_by: z.array(z.enum(["lexical", "vector"])),
});
export type RunbookSearchResult = z.infer<typeof RunbookSearchResult>;

export const RetrievalInfo = z.object({
  /** `lexical`, or `hybrid` when vectors were fused in. */
  mode: z.enum(["lexical", "hybrid"]),
  /** Embedding model in use; null without a provider. */
  embedding_model: z.string().nullable(),
  /** Set when vectors are configured but could not be used for this query. */
  vector_error: z.string().nullable(),
});

export const RunbookSearchResponse = z.object({
  results: z.array(RunbookSearchResult),
  total_results: z.number().int(),
  query_time_ms: z.number(),
  /** True when no result is a confident match: show "no good match", not the first hit. */
  no_good_match: z.boolean(),
  retrieval: RetrievalInfo,
});
export type RunbookSearchResponse = z.infer<typeof RunbookSearchResponse>;

/** One entry of `GET /api/v1/agent/knowledge-base` (seed 003): a runbook or a learned incident. */
export const KnowledgeItem = z.object({
  kind: z.enum(["runbook", "incident"]),
  id: z.string(),
  title: z.string(),
  /** Null when browsing (no query). */
  score: z.number().nullable(),
  confidence: MatchConfidence.nullable(),
  service: z.string().nullable(),
  excerpt: z.string(),
  url: z.string().nullable(),
  last_updated: z.string().nullable(),
  /** Learned incidents: the action taken and whether it worked. */
  action: ActionType.nullable(),
  outcome: FixOutcome.nullable(),
});
export type KnowledgeItem = z.infer<typeof KnowledgeItem>;

/** Seed 003's success envelope around the knowledge-base search. */
export const KnowledgeBaseResponse = z.object({
  success: z.literal(true),
  message: z.string(),
  data: z.object({
    query: z.string().nullable(),
    items: z.array(KnowledgeItem),
    total: z.number().int(),
    no_good_match: z.boolean(),
    query_time_ms: z.number(),
  }),
});
export type KnowledgeBaseResponse = z.infer<typeof KnowledgeBaseResponse>;
