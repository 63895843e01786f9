import { afterEach, describe, expect, it } from "vitest";
import { TicketStore } from "../store/ticket-store.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { JiraTicketSink } from "./jira-ticket-sink.js";
import { startReceiver } from "./test-http-receiver.js";
import { TicketService } from "./ticket-service.js";

const draft = {
  title: "Checkout 500s",
  description: "API gateway returning 500 errors since 2pm",
  priority: "critical" as const,
  incidentId: "INC-12345",
};

describe.each(testDatabaseKinds())("tickets on %s", (kind) => {
  let t: TestDatabase;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
    await t?.cleanup();
  });

  /** Jira Cloud REST v3's shapes: basic auth, 201 {id, key, self}; a refusal is {errorMessages, errors}. */
  async function jira(refuse = false) {
    const r = await startReceiver((req, n) => {
      const auth = Buffer.from("ops@example.com:tok-123").toString("base64");
      if (req.headers.authorization !== `Basic ${auth}`)
        return { status: 401, json: { errorMessages: ["unauthorized"], errors: {} } };
      if (refuse)
        return {
          status: 400,
          json: { errorMessages: [], errors: { priority: "Priority name 'Highest' is not valid" } },
        };
      return {
        status: 201,
        json: { id: String(10000 + n), key: `OPS-${n}`, self: `http://jira/rest/api/3/issue/${10000 + n}` },
      };
    });
    closers.push(r.close);
    return r;
  }

  const sink = (baseUrl: string, apiToken = "tok-123") =>
    new JiraTicketSink({
      baseUrl,
      email: "ops@example.com",
      apiToken,
      projectKey: "OPS",
      issueType: "Task",
      timeoutMs: 2000,
    });

  it("files the issue in Jira, then stores it with the Jira key and browse URL", async () => {
    t = await freshDatabase(kind);
    const j = await jira();
    const svc = new TicketService(t.database, new TicketStore(), sink(j.url), "http://aegis.local");
    const created = await svc.create("default", draft);
    expect(created).toMatchObject({ ticket_id: "OPS-1", ticket_url: `${j.url}/browse/OPS-1`, sink: "jira" });

    expect(j.received).toHaveLength(1);
    const sent = j.received[0];
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe("/rest/api/3/issue");
    const fields = JSON.parse(sent?.body ?? "{}").fields;
    expect(fields).toMatchObject({
      project: { key: "OPS" },
      issuetype: { name: "Task" },
      summary: "Checkout 500s",
      priority: { name: "Highest" },
      description: { type: "doc", version: 1 },
    });
    expect(JSON.stringify(fields.description)).toContain("INC-12345");

    expect(await svc.get("default", "OPS-1")).toMatchObject({ incident_id: "INC-12345", priority: "critical" });
    // Scoped: another project does not see it.
    await expect(svc.get("other", "OPS-1")).rejects.toThrow(/not found/);
  });

  it("a Jira refusal (errorMessages/errors) is an upstream error naming the field, and nothing is stored", async () => {
    t = await freshDatabase(kind);
    const j = await jira(true);
    const svc = new TicketService(t.database, new TicketStore(), sink(j.url), "http://aegis.local");
    await expect(svc.create("default", draft)).rejects.toThrow(/HTTP 400.*priority: Priority name/);
    expect((await svc.list("default", 10, 0)).total).toBe(0);

    const bad = new TicketService(t.database, new TicketStore(), sink(j.url, "wrong"), "http://aegis.local");
    await expect(bad.create("default", draft)).rejects.toThrow(/HTTP 401.*unauthorized/);
  });

  it("without a sink the ticket is stored and its URL is the product's own API", async () => {
    t = await freshDatabase(kind);
    const svc = new TicketService(t.database, new TicketStore(), null, "http://aegis.local:8001");
    const a = await svc.create("default", draft);
    expect(a.ticket_id).toMatch(/^TICKET-[0-9A-F]{10}$/);
    expect(a.ticket_url).toBe(`http://aegis.local:8001/api/v1/tickets/${a.ticket_id}`);
    await svc.create("default", { ...draft, title: "second", incidentId: undefined });
    const page = await svc.list("default", 10, 0);
    expect(page.total).toBe(2);
    expect(page.tickets[0]).toMatchObject({ title: "second", incident_id: null, sink: "local" });
    expect((await svc.list("p2", 10, 0)).total).toBe(0);
  });
});
