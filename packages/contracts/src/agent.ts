import { z } from "zod";

/** Seed 003 `POST /agent/feedback`: in the query (as documented) or the JSON body. */
export const AgentFeedbackInput = z.object({
  incident_id: z.string().min(1).max(200),
  helpful: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]),
  accuracy: z.coerce.number().int().min(1).max(5).optional(),
  comment: z.string().max(4000).optional(),
});
export type AgentFeedbackInput = z.infer<typeof AgentFeedbackInput>;

export interface AgentFeedbackView {
  id: number;
  incident_id: string;
  helpful: boolean;
  accuracy: number | null;
  comment: string | null;
  by: { kind: string; id: string };
  created_at: string;
}

/** Seed 003 `POST /agent/analyze`: an incident to (re)analyse, or an alert given inline. */
export const AgentAnalyzeInput = z
  .object({
    incident_id: z.string().min(1).max(200).optional(),
    alert_type: z.string().min(1).max(500).optional(),
    logs: z.string().min(1).max(100_000).optional(),
    service: z.string().min(1).max(253).optional(),
    severity: z.string().min(1).max(40).optional(),
  })
  .refine((b) => b.incident_id !== undefined || (b.alert_type !== undefined && b.logs !== undefined), {
    message: "give incident_id, or alert_type and logs",
    path: ["incident_id"],
  });
export type AgentAnalyzeInput = z.infer<typeof AgentAnalyzeInput>;

export const KnowledgeBaseQuery = z.object({
  query: z.string().min(1).max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export interface PromptTemplate {
  name: string;
  used_by: string;
  description: string;
  version: string;
  template: string;
}
