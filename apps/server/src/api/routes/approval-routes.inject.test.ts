import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { AppDeps } from "../app-deps.js";
import { AS_DEFAULT, AS_P2, fake, incident, injectApp } from "../test-inject-app.js";

/** Human approval routes in-process: the decision lands in the key's project, attributed to its principal. */

let app: FastifyInstance;
afterEach(() => app?.close());

type Call = { verb: string; project: string; id: string; by: string; note: string | undefined };

function incidents(calls: Call[]): AppDeps["incidents"] {
  const decide = (verb: string) => async (project: string, id: string, by: string, note?: string) => {
    calls.push({ verb, project, id, by, note });
    return incident(id, { status: verb === "approve" ? "AWAITING_APPROVAL" : "REJECTED" });
  };
  return fake("incidents", { approve: decide("approve"), reject: decide("reject") });
}

describe("approval routes (inject)", () => {
  it("approves as the key's principal in the key's project", async () => {
    const calls: Call[] = [];
    app = await injectApp({ incidents: incidents(calls) });
    const res = await app.inject({ method: "POST", url: "/api/v1/incidents/INC-1/approve", headers: AS_DEFAULT });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ incident_id: "INC-1" });
    expect(calls).toEqual([{ verb: "approve", project: "default", id: "INC-1", by: "admin", note: undefined }]);
  });

  it("rejects in the second key's project; a named decider and note pass through", async () => {
    const calls: Call[] = [];
    app = await injectApp({ incidents: incidents(calls) });
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/incidents/INC-2/reject",
      headers: AS_P2,
      payload: { note: "too risky" },
    });
    expect(res.statusCode).toBe(200);
    const named = await app.inject({
      method: "POST",
      url: "/api/v1/incidents/INC-2/reject",
      headers: AS_P2,
      payload: { by: "alice" },
    });
    expect(named.statusCode).toBe(200);
    expect(calls).toEqual([
      { verb: "reject", project: "p2", id: "INC-2", by: "ci-bot", note: "too risky" },
      { verb: "reject", project: "p2", id: "INC-2", by: "alice", note: undefined },
    ]);
  });

  it("refuses a request without a key (401)", async () => {
    app = await injectApp();
    const res = await app.inject({ method: "POST", url: "/api/v1/incidents/INC-1/approve" });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe("unauthorized");
  });

  it("answers a bad decision body with a 422 naming the field", async () => {
    app = await injectApp();
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/incidents/INC-1/approve",
      headers: AS_DEFAULT,
      payload: { by: "" },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail[0].loc).toEqual(["body", "by"]);
    const note = await app.inject({
      method: "POST",
      url: "/api/v1/incidents/INC-1/reject",
      headers: AS_DEFAULT,
      payload: { note: "x".repeat(2001) },
    });
    expect(note.statusCode).toBe(422);
    expect(note.json().detail[0].loc).toEqual(["body", "note"]);
  });
});
