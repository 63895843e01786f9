import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.js";
import { createLogger } from "../shared/logger.js";
import { DEFAULT_PROJECT_ID as P } from "../store/database.js";
import { TicketStore } from "../store/ticket-store.js";
import { freshDatabase, type TestDatabase } from "../testing/test-databases.js";
import { createPaging } from "./create-paging.js";
import { startVendor } from "./test-vendor-receiver.js";
import { TicketService } from "./ticket-service.js";

/** A project's `jira` integration in the registry files that project's tickets; a project without one keeps them local. */
describe("tickets through the registry's Jira", () => {
  let t: TestDatabase;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
    await t?.cleanup();
  });

  it("files in the project's Jira with its sealed token", async () => {
    t = await freshDatabase("pglite");
    const jira = await startVendor((r, n) =>
      r.method === "POST" && r.url === "/rest/api/3/issue"
        ? { status: 201, json: { id: String(10000 + n), key: `OPS-${n}`, self: `${r.url}/${n}` } }
        : { status: 404, json: { errorMessages: ["not found"] } },
    );
    closers.push(jira.close);
    const paging = createPaging(loadConfig({}), {
      database: t.database,
      logger: createLogger("silent"),
      secretsKey: randomBytes(32),
      publicUrl: "http://aegis.test",
      decider: {
        approve: async () => Promise.reject(new Error("unused")),
        reject: async () => Promise.reject(new Error("unused")),
      },
    });
    await paging.registry.create(P, {
      name: "jira",
      type: "jira",
      config: { base_url: jira.url, email: "bot@acme.test", api_token: "jira-token-0123456789", project_key: "OPS" },
    });
    const tickets = new TicketService(t.database, new TicketStore(), null, "http://aegis.test", paging.ticketSinkOf);
    const filed = await tickets.create(P, { title: "Disk full on db-1", description: "95% used", priority: "high" });
    expect(filed).toMatchObject({ ticket_id: "OPS-1", ticket_url: `${jira.url}/browse/OPS-1`, sink: "jira" });
    expect(jira.received[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("bot@acme.test:jira-token-0123456789").toString("base64")}`,
    );
    expect(JSON.parse(jira.received[0]?.body ?? "{}").fields).toMatchObject({
      project: { key: "OPS" },
      issuetype: { name: "Task" },
    });

    const elsewhere = await tickets.create("other-project", { title: "x", description: "y", priority: "low" });
    expect(elsewhere.sink).toBe("local");
    expect(jira.received).toHaveLength(1);
  });
});
