import type { IncidentContext, RetrievedIncident } from "@aegis/contracts";
import type { AnalysisInput, AnalysisSink } from "../../ports/analyst.js";

/** A minimal incident for tests; override what the test is about. */
export function incident(logs: string, over: Partial<AnalysisInput> = {}): AnalysisInput {
  return {
    incidentId: "t-1",
    alertType: "Alert",
    logs,
    containerName: "widget-api",
    severity: "CRITICAL",
    context: null,
    similar: [],
    maxReplicas: 5,
    alertTimestamp: null,
    ...over,
  };
}

export function context(over: Partial<IncidentContext> = {}): IncidentContext {
  return { service: "widget-api", environment: "production", replicas: 3, ...over };
}

export function recordingSink(): AnalysisSink & { thoughts: string[]; tokens: string[]; order: string[] } {
  const thoughts: string[] = [];
  const tokens: string[] = [];
  const order: string[] = [];
  return {
    thoughts,
    tokens,
    order,
    thinking(m) {
      thoughts.push(m);
      order.push("thinking");
    },
    token(c) {
      tokens.push(c);
      order.push("token");
    },
  };
}

export function past(
  action: RetrievedIncident["action"],
  outcome: RetrievedIncident["outcome"],
  similarity = 0.95,
): RetrievedIncident {
  return {
    incident_id: `past-${action}-${outcome ?? "none"}`,
    alert_type: "Alert",
    root_cause: "earlier occurrence",
    action,
    justification: "",
    logs: "",
    similarity_score: similarity,
    container_name: "widget-api",
    severity: "CRITICAL",
    replicas_used: 0,
    ...(outcome ? { outcome } : {}),
  };
}
