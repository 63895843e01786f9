import type {
  EscalationPolicy,
  EscalationPolicyInput,
  EscalationStatus,
  OnCallAt,
  Schedule,
  ScheduleInput,
  ScheduleOverride,
  ShiftTimeline,
} from "@aegis/contracts";
import type { HttpCore } from "./http-core.js";
import { queryString, seg } from "./query-string.js";

type Defaulted<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
export type ScheduleInputArg = Defaulted<ScheduleInput, "overrides">;
export type EscalationPolicyInputArg = Defaulted<EscalationPolicyInput, "service" | "trigger" | "repeat">;

/** On-call schedules, escalation policies and incidents' escalations (`/api/v1/oncall`). Writes need admin. */
export class OnCallApi {
  constructor(private readonly http: HttpCore) {}

  /** Who is on call on every schedule now, or at `at` (ISO 8601 with offset). */
  now(at?: string): Promise<{ at: string; on_call: OnCallAt[] }> {
    return this.http.call("GET", `/api/v1/oncall/now${queryString({ at })}`);
  }

  schedules(): Promise<{ items: Schedule[]; total: number }> {
    return this.http.call("GET", "/api/v1/oncall/schedules");
  }

  schedule(id: string): Promise<Schedule> {
    return this.http.call("GET", `/api/v1/oncall/schedules/${seg(id)}`);
  }

  createSchedule(input: ScheduleInputArg): Promise<Schedule> {
    return this.http.call("POST", "/api/v1/oncall/schedules", input);
  }

  replaceSchedule(id: string, input: ScheduleInputArg): Promise<Schedule> {
    return this.http.call("PUT", `/api/v1/oncall/schedules/${seg(id)}`, input);
  }

  async deleteSchedule(id: string): Promise<void> {
    await this.http.call("DELETE", `/api/v1/oncall/schedules/${seg(id)}`);
  }

  addOverride(scheduleId: string, override: ScheduleOverride): Promise<Schedule> {
    return this.http.call("POST", `/api/v1/oncall/schedules/${seg(scheduleId)}/overrides`, override);
  }

  async removeOverride(scheduleId: string, overrideId: string): Promise<void> {
    await this.http.call("DELETE", `/api/v1/oncall/schedules/${seg(scheduleId)}/overrides/${seg(overrideId)}`);
  }

  /** Who is on call on one schedule now, or at `at`. */
  onCall(scheduleId: string, at?: string): Promise<OnCallAt> {
    return this.http.call("GET", `/api/v1/oncall/schedules/${seg(scheduleId)}/on-call${queryString({ at })}`);
  }

  /** The rendered shifts over [from, to) (default: the next 14 days). */
  shifts(scheduleId: string, range: { from?: string; to?: string } = {}): Promise<ShiftTimeline> {
    return this.http.call("GET", `/api/v1/oncall/schedules/${seg(scheduleId)}/shifts${queryString(range)}`);
  }

  escalationPolicies(): Promise<{ items: EscalationPolicy[]; total: number }> {
    return this.http.call("GET", "/api/v1/oncall/escalation-policies");
  }

  escalationPolicy(id: string): Promise<EscalationPolicy> {
    return this.http.call("GET", `/api/v1/oncall/escalation-policies/${seg(id)}`);
  }

  createEscalationPolicy(input: EscalationPolicyInputArg): Promise<EscalationPolicy> {
    return this.http.call("POST", "/api/v1/oncall/escalation-policies", input);
  }

  replaceEscalationPolicy(id: string, input: EscalationPolicyInputArg): Promise<EscalationPolicy> {
    return this.http.call("PUT", `/api/v1/oncall/escalation-policies/${seg(id)}`, input);
  }

  async deleteEscalationPolicy(id: string): Promise<void> {
    await this.http.call("DELETE", `/api/v1/oncall/escalation-policies/${seg(id)}`);
  }

  /** An incident's escalation (by id or `INC-<n>`); 404 `NotFoundError` when it has none. */
  escalation(incidentId: string): Promise<EscalationStatus> {
    return this.http.call("GET", `/api/v1/oncall/escalations/${seg(incidentId)}`);
  }
}
