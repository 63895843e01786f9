import type { IncidentResult } from "@aegis/contracts";
import type { HttpCore } from "./http-core.js";
import { seg } from "./query-string.js";

/** Human decisions on incidents awaiting approval (409 `ConflictError` when one is not awaiting). */
export class ApprovalsApi {
  constructor(private readonly http: HttpCore) {}

  approve(incidentId: string, decision: { note?: string; by?: string } = {}): Promise<IncidentResult> {
    return this.http.call("POST", `/api/v1/incidents/${seg(incidentId)}/approve`, decision);
  }

  reject(incidentId: string, decision: { note?: string; by?: string } = {}): Promise<IncidentResult> {
    return this.http.call("POST", `/api/v1/incidents/${seg(incidentId)}/reject`, decision);
  }

  /** Seed 000 incidents currently waiting for a person's decision. */
  pending(limit = 100): Promise<IncidentResult[]> {
    return this.http.call("GET", `/incidents?status=AWAITING_APPROVAL&limit=${limit}`);
  }
}
