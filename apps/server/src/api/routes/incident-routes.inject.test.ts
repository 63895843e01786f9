import type { IncidentMetricsV1, IncidentSummaryV1, IncidentV1, StateChangedV1, WorkflowV1 } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import { AS_DEFAULT, AS_P2, fake, injectApp } from "../test-inject-app.js";

/** The /api/v1 incident resource in-process: envelopes per seed, the key's project and principal, errors. */

let app: FastifyInstance;
afterEach(() => app?.close());

const summary: IncidentSummaryV1 = {
  id: "u-1",
  incident_id: "u-1",
  reference: "INC-1",
  title: "High CPU usage on payment-api",
  description: "CPU spiked",
  service_name: "payment-api",
  affected_services: ["payment-api"],
  severity: "high",
  state: "detected",
  status: "detected",
  automation_status: "RECEIVED",
  dry_run: true,
  project_id: "default",
  detected_at: "2026-01-24T12:00:00.000Z",
  acknowledged_at: null,
  investigating_started_at: null,
  mitigated_at: null,
  resolved_at: null,
  created_at: "2026-01-24T12:00:00.000Z",
  updated_at: "2026-01-24T12:00:00.000Z",
};
const detail: IncidentV1 = {
  ...summary,
  duration_seconds: null,
  hypothesis: null,
  resolution: null,
  automation: {
    status: "RECEIVED",
    alert_type: "High CPU usage on payment-api",
    container_name: "payment-api",
    root_cause: null,
    action: null,
    confidence: null,
    final_verdict: null,
    resolved_at: null,
    error: null,
    replicas_spawned: 0,
  },
  transitions: [],
  allowed_transitions: ["acknowledged", "investigating", "mitigated", "resolved", "inconclusive"],
};

type Call = { method: string; project: string; args: unknown[] };

/** A resource that knows only `u-1`/`INC-1` in the default project; every call is recorded. */
function resource(calls: Call[], total = 45): AppDeps["incidentResource"] {
  const known = (project: string, id: string) => {
    if (project !== "default" || (id !== "u-1" && id !== "INC-1")) throw new NotFoundError(`incident ${id} not found`);
  };
  const rec =
    <T>(method: string, answer: (project: string, ...args: never[]) => T) =>
    async (project: string, ...args: unknown[]) => {
      calls.push({ method, project, args });
      return answer(project, ...(args as never[]));
    };
  return fake("incidentResource", {
    list: rec("list", () => ({ items: [summary], total })),
    page: rec("page", () => [summary]),
    create: rec("create", () => detail),
    get: rec("get", (p, id: string) => {
      known(p, id);
      return detail;
    }),
    update: rec("update", (p, _by: unknown, id: string) => {
      known(p, id);
      return detail;
    }),
    changeState: rec("changeState", (p, _by: unknown, id: string, to: string): StateChangedV1 => {
      known(p, id);
      if (to === "learned") {
        const msg = "incident INC-1 is detected; it can move to: acknowledged, investigating";
        throw new ConflictError(msg, [{ loc: ["body", "state"], msg, type: "invalid_transition" }]);
      }
      return {
        id: "u-1",
        reference: "INC-1",
        state: "acknowledged",
        previous_state: "detected",
        changed_at: "2026-01-24T12:02:00.000Z",
        changed_by: { kind: "api_key", id: "admin" },
        acknowledged_at: "2026-01-24T12:02:00.000Z",
        investigating_started_at: null,
        mitigated_at: null,
        resolved_at: null,
        allowed_transitions: ["investigating"],
      };
    }),
    workflow: rec("workflow", (p, id: string): WorkflowV1 => {
      known(p, id);
      return {
        incident_id: "u-1",
        reference: "INC-1",
        automation_status: "RESOLVED",
        finished: true,
        started_at: "2026-01-24T12:00:00.000Z",
        finished_at: "2026-01-24T12:00:05.000Z",
        total_duration_ms: 5000,
        steps: [],
      };
    }),
    metrics: rec("metrics", (p, id: string): IncidentMetricsV1 => {
      known(p, id);
      return {
        incident_id: "u-1",
        reference: "INC-1",
        state: "detected",
        automation_status: "RECEIVED",
        time_to_acknowledge_seconds: null,
        time_to_mitigate_seconds: null,
        time_to_resolve_seconds: null,
        automation_duration_seconds: null,
        model_calls: 0,
        prompt_tokens: 0,
        completion_tokens: 0,
        total_tokens: 0,
        cost_usd: 0,
        cache_hits: 0,
        hypotheses: 0,
        notes: ["nobody has acknowledged the incident"],
      };
    }),
  });
}

describe("incident routes (inject)", () => {
  it("lists in the envelope of the seed whose parameters were used, scoped to the key's project", async () => {
    const calls: Call[] = [];
    app = await injectApp({ incidentResource: resource(calls) });
    const s001 = await app.inject({ url: "/api/v1/incidents?service=api&status=resolved&limit=10", headers: AS_P2 });
    expect(s001.statusCode).toBe(200);
    // Seed 001 names incidents by their INC-<n> reference.
    expect(s001.json()).toEqual({
      incidents: [{ ...summary, incident_id: summary.reference }],
      total: 45,
      limit: 10,
      offset: 0,
    });
    const s002 = await app.inject({ url: "/api/v1/incidents?skip=20&limit=10&state=investigating", headers: AS_P2 });
    expect(s002.json()).toEqual([summary]);
    const s003 = await app.inject({ url: "/api/v1/incidents?page=2&page_size=20&severity=high", headers: AS_P2 });
    // Seed 003's Paginated Response, at the top and as the success envelope's `data`.
    const page = { items: [summary], total: 45, page: 2, page_size: 20, has_next: true };
    expect(s003.json()).toEqual({ success: true, message: "1 of 45 incidents", data: page, ...page });
    const last = await app.inject({ url: "/api/v1/incidents?page=3&page_size=20", headers: AS_P2 });
    expect(last.json().data.has_next).toBe(false);
    const plain = await app.inject({ url: "/api/v1/incidents", headers: AS_P2 });
    expect(plain.json()).toMatchObject({ limit: 20, offset: 0 });
    expect(calls.map((c) => [c.project, ...c.args])).toEqual([
      ["p2", { service: "api", severity: undefined, lifecycle: ["resolved"] }, 10, 0],
      ["p2", { service: undefined, severity: undefined, lifecycle: ["investigating"] }, 10, 20],
      ["p2", { service: undefined, severity: "high" }, 20, 20],
      ["p2", { service: undefined, severity: undefined }, 20, 40],
      ["p2", { service: undefined, severity: undefined }, 20, 0],
    ]);
  });

  it("maps seed 001 `open`, seed 003 `triggered` and seed 000's capitals in `status`", async () => {
    const calls: Call[] = [];
    app = await injectApp({ incidentResource: resource(calls) });
    for (const status of ["open", "triggered", "AWAITING_APPROVAL"]) {
      expect((await app.inject({ url: `/api/v1/incidents?status=${status}`, headers: AS_DEFAULT })).statusCode).toBe(
        200,
      );
    }
    expect(calls.map((c) => c.args[0])).toEqual([
      {
        service: undefined,
        severity: undefined,
        lifecycle: ["detected", "acknowledged", "investigating", "mitigated"],
      },
      { service: undefined, severity: undefined, lifecycle: ["detected"] },
      { service: undefined, severity: undefined, automationStatus: "AWAITING_APPROVAL" },
    ]);
  });

  it("bad list parameters are refused naming the field, in the envelope of the seed whose parameters were used", async () => {
    app = await injectApp({ incidentResource: resource([]) });
    // Seed 001 (an API key with limit/offset/status, or nothing): 400 INVALID_REQUEST with details.field.
    for (const [query, field] of [
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["status=bogus", "status"],
    ] as const) {
      const res = await app.inject({ url: `/api/v1/incidents?${query}`, headers: AS_DEFAULT });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error, query).toMatchObject({ code: "INVALID_REQUEST", details: { field } });
    }
    // Seed 002 (skip/state): FastAPI's 422 with the issues.
    for (const [query, field] of [
      ["skip=-1", "skip"],
      ["state=closed", "state"],
    ] as const) {
      const res = await app.inject({ url: `/api/v1/incidents?${query}`, headers: AS_DEFAULT });
      expect(res.statusCode, query).toBe(422);
      expect(res.json().detail[0].loc, query).toEqual(["query", field]);
    }
    // Seed 003 (page/page_size): 400 {success: false, ...}.
    for (const [query, field] of [
      ["page=0", "page"],
      ["page_size=500", "page_size"],
    ] as const) {
      const res = await app.inject({ url: `/api/v1/incidents?${query}`, headers: AS_DEFAULT });
      expect(res.statusCode, query).toBe(400);
      expect(res.json(), query).toMatchObject({ success: false });
      expect(res.json().details.issues[0].loc, query).toEqual(["query", field]);
    }
  });

  it("a bad key on the shared incident routes answers in the asking client's envelope", async () => {
    app = await injectApp({ incidentResource: resource([]) });
    const bad = { "x-api-key": "not-a-key-0000000000" };
    const list = await app.inject({ url: "/api/v1/incidents", headers: bad });
    expect(list.statusCode).toBe(401);
    expect(list.json()).toEqual({ error: { code: "UNAUTHORIZED", message: "Invalid or missing API key" } });
    const one = await app.inject({ url: "/api/v1/incidents/INC-1", headers: bad });
    expect(one.json().error.code).toBe("UNAUTHORIZED");
    const paged = await app.inject({ url: "/api/v1/incidents?page=1", headers: bad });
    expect(paged.json()).toMatchObject({ success: false });
    const user = await app.inject({ url: "/api/v1/incidents", headers: { authorization: "Bearer not-a-token" } });
    expect(user.statusCode).toBe(401);
    expect(typeof user.json().detail).toBe("string");
  });

  it("creates from seed 002's body with dry_run on by default", async () => {
    const calls: Call[] = [];
    app = await injectApp({ incidentResource: resource(calls) });
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: AS_DEFAULT,
      payload: {
        title: "High CPU usage on payment-api",
        description: "CPU spiked",
        service_name: "payment-api",
        severity: "high",
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ reference: "INC-1", state: "detected" });
    expect(calls[0]).toMatchObject({
      method: "create",
      project: "default",
      args: [{ dry_run: true, severity: "high" }],
    });
    const bad = await app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: AS_DEFAULT,
      payload: { severity: "meh" },
    });
    // An API key creating is seed 003's client: 400 {success: false} with the issues.
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .details.issues.map((d: { loc: string[] }) => d.loc[1])
        .sort(),
    ).toEqual(["severity", "title"]);
  });

  it("reads one incident, its workflow and metrics by id or INC-n; unknown or foreign ids are 404", async () => {
    const calls: Call[] = [];
    app = await injectApp({ incidentResource: resource(calls) });
    for (const path of ["", "/workflow", "/metrics"]) {
      expect((await app.inject({ url: `/api/v1/incidents/INC-1${path}`, headers: AS_DEFAULT })).statusCode).toBe(200);
      expect((await app.inject({ url: `/api/v1/incidents/nope${path}`, headers: AS_DEFAULT })).statusCode).toBe(404);
      // The same id from another project's key is not found, never another tenant's incident.
      expect((await app.inject({ url: `/api/v1/incidents/u-1${path}`, headers: AS_P2 })).statusCode).toBe(404);
    }
    const analytics = await app.inject({ url: "/api/v1/analytics/incident-metrics/u-1", headers: AS_DEFAULT });
    expect(analytics.statusCode).toBe(200);
    expect(analytics.json()).toMatchObject({ time_to_acknowledge_seconds: null, total_tokens: 0 });
    expect((await app.inject({ url: "/api/v1/analytics/incident-metrics/x", headers: AS_P2 })).statusCode).toBe(404);
    expect((await app.inject({ url: "/api/v1/incidents/INC-1" })).statusCode).toBe(401);
  });

  it("changes the state as the key's principal; a move the lifecycle refuses is a 409 naming the allowed ones", async () => {
    const calls: Call[] = [];
    app = await injectApp({ incidentResource: resource(calls) });
    const ok = await app.inject({
      method: "PATCH",
      url: "/api/v1/incidents/INC-1/state",
      headers: AS_DEFAULT,
      payload: { state: "acknowledged", note: "on it" },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ state: "acknowledged", acknowledged_at: "2026-01-24T12:02:00.000Z" });
    expect(calls[0]?.args).toEqual([
      { kind: "api_key", id: "admin", displayName: "admin", role: "owner" },
      "INC-1",
      "acknowledged",
      "on it",
    ]);
    const refused = await app.inject({
      method: "PATCH",
      url: "/api/v1/incidents/INC-1/state",
      headers: AS_DEFAULT,
      payload: { state: "learned" },
    });
    expect(refused.statusCode).toBe(409);
    // Seed 002's route: its FastAPI `{detail}` envelope.
    expect(refused.json()).toMatchObject({ detail: [{ loc: ["body", "state"], type: "invalid_transition" }] });
    expect(JSON.stringify(refused.json())).toContain("acknowledged, investigating");
    const bad = await app.inject({
      method: "PATCH",
      url: "/api/v1/incidents/INC-1/state",
      headers: AS_DEFAULT,
      payload: { state: "closed" },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail[0].loc).toEqual(["body", "state"]);
    const foreign = await app.inject({
      method: "PATCH",
      url: "/api/v1/incidents/INC-1/state",
      headers: AS_P2,
      payload: { state: "acknowledged" },
    });
    expect(foreign.statusCode).toBe(404);
  });

  it("PATCH (seed 003) updates fields as the key's principal in the success envelope; an empty or invalid body is a 400 naming the field", async () => {
    const calls: Call[] = [];
    app = await injectApp({ incidentResource: resource(calls) });
    const ok = await app.inject({
      method: "PATCH",
      url: "/api/v1/incidents/u-1",
      headers: AS_DEFAULT,
      payload: { title: "Payment API CPU", severity: "critical" },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ success: true, message: expect.any(String), data: { id: ok.json().id } });
    expect(calls[0]).toMatchObject({
      method: "update",
      project: "default",
      args: [{ id: "admin" }, "u-1", { title: "Payment API CPU", severity: "critical" }],
    });
    const empty = await app.inject({ method: "PATCH", url: "/api/v1/incidents/u-1", headers: AS_DEFAULT, payload: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ success: false, request_id: expect.any(String) });
    const bad = await app.inject({
      method: "PATCH",
      url: "/api/v1/incidents/u-1",
      headers: AS_DEFAULT,
      payload: { severity: "huge" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ success: false, error: expect.stringMatching(/severity/) });
    expect(bad.json().details.issues[0].loc).toEqual(["body", "severity"]);
    const foreign = await app.inject({
      method: "PATCH",
      url: "/api/v1/incidents/u-1",
      headers: AS_P2,
      payload: { title: "x" },
    });
    expect(foreign.statusCode).toBe(404);
  });
});
