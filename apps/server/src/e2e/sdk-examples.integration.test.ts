import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { WsFrame } from "@aegis/contracts";
import {
  type AegisApiError,
  InvalidRequestError,
  NotFoundError,
  OpscopilotClient,
  UnauthorizedError,
} from "@aegis/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEnv, ServerProcess } from "../testing/test-server.js";

/**
 * Issue #19: both SDKs' seed 001 examples run against the real built server (`aegis start` as a child
 * process). The Node SDK is called in this process; the Python SDK's example script and unittest suite are
 * run by the machine's `python3`. Without python3 the Python part is skipped locally and fails in CI
 * (`AEGIS_REQUIRE_POSTGRES=1`: everything required).
 */

const ROOT = resolve(fileURLToPath(import.meta.url), "../../../../..");
const PYTHON_SDK = resolve(ROOT, "sdk/python");
const NODE_EXAMPLE = resolve(ROOT, "packages/sdk/examples/seed-001-example.cjs");
const hasPython = spawnSync("python3", ["--version"], { stdio: "ignore" }).status === 0;
if (!hasPython && process.env.AEGIS_REQUIRE_POSTGRES === "1") {
  throw new Error("python3 is required for the Python SDK's tests (AEGIS_REQUIRE_POSTGRES=1)");
}

let srv: ServerProcess;
let baseUrl: string;

beforeAll(async () => {
  srv = new ServerProcess(await prepareEnv());
  await srv.start();
  baseUrl = srv.client.url;
});
afterAll(async () => srv?.cleanup());

/** The seed's Node.js example, with this server's address and key. */
async function seedNodeExample(apiKey: string): Promise<{ hypothesis: string }> {
  const client = new OpscopilotClient({ apiKey, baseUrl });

  // Analyze incident
  const result = await client.analyze({
    incidentDescription: "API returning 500 errors",
    context: { service: "api-gateway", environment: "production" },
  });

  return result;
}

function run(
  args: string[],
  env: Record<string, string>,
  command = "python3",
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: PYTHON_SDK,
      env: { ...process.env, PYTHONPATH: PYTHON_SDK, PYTHONDONTWRITEBYTECODE: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.once("error", fail);
    child.once("exit", (code) => done({ code, out, err }));
  });
}

describe("Node SDK against the real server", () => {
  it("runs seed 001's Node.js example: result.hypothesis is the server's analysis", async () => {
    const result = await seedNodeExample(srv.apiKey);
    expect(typeof result.hypothesis).toBe("string");
    expect(result.hypothesis.length).toBeGreaterThan(0);
    // The same answer the wire carries.
    const raw = await srv.client.request("POST", "/api/v1/analyze", {
      incident_description: "API returning 500 errors",
      context: { service: "api-gateway", environment: "production" },
    });
    expect(raw.status).toBe(200);
    expect((raw.body.result as { hypothesis: string }).hypothesis).toBe(result.hypothesis);
  });

  it("runs the seed's example file as written, CommonJS require included, in a separate node process", async () => {
    const r = await run(
      [NODE_EXAMPLE],
      { OPSCOPILOT_BASE_URL: baseUrl, OPSCOPILOT_API_KEY: srv.apiKey },
      process.execPath,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out.trimEnd()).toBe((await seedNodeExample(srv.apiKey)).hypothesis);
  });

  it("covers the seed 001 surface: analyze with options, incidents, runbooks, tickets, webhooks, health", async () => {
    const client = new OpscopilotClient({ apiKey: srv.apiKey, baseUrl });
    const opened = await client.incidents.create({
      title: "Checkout 500s after deploy",
      description: "api-gateway answers 500",
      service_name: "api-gateway",
      severity: "critical",
    });
    const ref = opened.reference;
    expect(ref).toMatch(/^INC-\d+$/);

    const result = await client.analyze({
      incidentDescription: "API gateway returning 500 errors since 2pm, affecting checkout flow",
      incidentId: ref,
      context: { service: "api-gateway", environment: "production", severity: "critical" },
      options: { includeCommands: true, maxCitations: 5 },
    });
    expect(result.confidence).toBeGreaterThanOrEqual(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
    expect(result.citations.length).toBeLessThanOrEqual(5);
    expect(result.request_id).toBe(result.response.request_id);
    for (const a of result.next_actions) expect(["high", "medium", "low"]).toContain(a.priority);
    for (const c of result.commands) expect(typeof c.safe_to_run).toBe("boolean");

    const incident = await client.getIncident(ref);
    expect(incident).toMatchObject({ incident_id: ref, severity: "critical", affected_services: ["api-gateway"] });
    const listed = await client.listIncidents({ service: "api-gateway", limit: 10 });
    expect(listed.limit).toBe(10);
    expect(listed.incidents.map((i) => i.incident_id)).toContain(ref);

    const put = await srv.client.putRunbook("db-timeouts", {
      title: "Debugging Database Connection Timeouts",
      service: "api-gateway",
      body: "When experiencing database connection timeouts, check the pool size and the database's max_connections.",
    });
    expect(put.created).toBe(true);
    const found = await client.searchRunbooks({
      query: "database connection timeout",
      service: "api-gateway",
      topK: 3,
    });
    expect(found.results[0]?.id).toBe("db-timeouts");
    expect(found.total_results).toBe(found.results.length);

    const ticket = await client.createTicket({
      incidentId: ref,
      title: "Checkout 500s",
      description: "Rolled back to v2.3.4",
      priority: "high",
    });
    expect(ticket.ticket_url).toMatch(/^http/);
    expect(await client.getTicket(ticket.ticket_id)).toMatchObject({ incident_id: ref, priority: "high" });
    expect((await client.listTickets({ limit: 5 })).tickets.map((t) => t.ticket_id)).toContain(ticket.ticket_id);

    const hook = await client.registerWebhook({
      url: "http://127.0.0.1:9/hook",
      events: ["incident.created", "incident.resolved"],
      secret: "a-webhook-secret-of-24ch",
    });
    expect(hook).not.toHaveProperty("secret");
    expect((await client.listWebhooks()).map((w) => w.id)).toContain(hook.id);
    await client.deleteWebhook(hook.id);
    expect((await client.listWebhooks()).map((w) => w.id)).not.toContain(hook.id);

    const health = await client.health();
    expect(health.dependencies.database).toBe("healthy");
  });

  it("throws typed errors from the seed's envelope", async () => {
    const client = new OpscopilotClient({ apiKey: srv.apiKey, baseUrl });
    const invalid = await client.analyze({ incidentDescription: "short" }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidRequestError);
    expect(invalid).toMatchObject({ status: 400, code: "INVALID_REQUEST" });
    expect((invalid as AegisApiError).body).toMatchObject({
      error: { details: { field: "incident_description", provided_length: 5 } },
    });
    const stranger = new OpscopilotClient({ apiKey: "not-a-key-at-all-0000", baseUrl, retry: { maxAttempts: 1 } });
    const refused = await stranger
      .analyze({ incidentDescription: "API returning 500 errors" })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnauthorizedError);
    expect(refused).toMatchObject({ status: 401, code: "UNAUTHORIZED", serverMessage: "Invalid or missing API key" });
    await expect(client.getIncident("INC-99999999")).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.approvals.approve("INC-99999999")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("reaches the rest of /api/v1: lifecycle, approvals, on-call, monitor", async () => {
    const client = new OpscopilotClient({ apiKey: srv.apiKey, baseUrl });
    const opened = await client.incidents.create({ title: "Disk filling on db-1", severity: "high" });
    const moved = await client.incidents.changeState(opened.id, "acknowledged", "looking");
    expect(moved).toMatchObject({ state: "acknowledged", previous_state: "detected" });
    const timeline = await client.incidents.timeline(opened.reference);
    expect(timeline.length).toBeGreaterThan(0);
    const page = await client.incidents.page({ page: 1, page_size: 5 });
    expect(page.items.map((i) => i.id)).toContain(opened.id);
    expect(Array.isArray(await client.approvals.pending())).toBe(true);

    const schedule = await client.oncall.createSchedule({
      name: "Primary",
      time_zone: "UTC",
      layers: [
        { name: "L1", users: ["ana", "bo"], rotation_type: "daily", handoff_time: "09:00", start_date: "2025-01-01" },
      ],
    });
    const now = await client.oncall.now();
    const mine = now.on_call.find((o) => o.schedule_id === schedule.id);
    expect(["ana", "bo"]).toContain(mine?.user);
    expect((await client.oncall.onCall(schedule.id)).user).toBe(mine?.user);

    const status = await client.monitor.status();
    expect(status).toBeTypeOf("object");
    const predictions = await client.monitor.predictions();
    expect(predictions).toBeTypeOf("object");
  });

  it("iterates live incident frames and closes the socket when the loop ends", async () => {
    const client = new OpscopilotClient({ apiKey: srv.apiKey, baseUrl });
    const id = `sdk-live-${Date.now()}`;
    const live = await client.incidents.live(id);
    expect((await srv.client.health()).ws_clients).toBe(1);
    await client.request("POST", "/webhook", {
      incident_id: id,
      alert_type: "Memory Leak",
      logs: "RSS 900 MB",
      dry_run: true,
    });
    const seen: WsFrame[] = [];
    for await (const frame of live) {
      seen.push(frame);
      if (frame.type === "status.update") break;
    }
    expect(seen[0]?.type).toBe("incident.new");
    expect(seen.every((f) => f.incident_id === id)).toBe(true);
    const end = Date.now() + 5000;
    while ((await srv.client.health()).ws_clients !== 0 && Date.now() < end)
      await new Promise((r) => setTimeout(r, 50));
    expect((await srv.client.health()).ws_clients).toBe(0);
  });
});

describe.skipIf(!hasPython)("Python SDK against the real server (python3)", () => {
  const env = () => ({ OPSCOPILOT_BASE_URL: baseUrl, OPSCOPILOT_API_KEY: srv.apiKey });

  it("runs seed 001's Python example: prints the hypothesis and the next actions", async () => {
    const r = await run(["examples/seed_001_example.py"], env());
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const [hypothesis, actions] = r.out.trimEnd().split("\n");
    // The same description and context as the Node example: the server's answer is the same.
    expect(hypothesis).toBe((await seedNodeExample(srv.apiKey)).hypothesis);
    expect(actions).toMatch(/^\[(NextAction\(action='.+', priority='(high|medium|low)'.*\))?\]$/);
  });

  it("passes the Python SDK's unittest suite, live tests included", async () => {
    const r = await run(["-m", "unittest", "discover", "-v", "tests"], { ...env(), OPSCOPILOT_LIVE_REQUIRED: "1" });
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/Ran \d+ tests/);
    expect(r.err).toMatch(/\nOK\n?$/);
    expect(r.err).not.toMatch(/skipped/);
    expect(r.err).toMatch(/test_analyze_as_the_seed_shows .* ok/);
  });
});
