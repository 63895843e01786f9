import { AegisClient } from "@aegis/sdk";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEnv, startInProcess, TEST_KEY } from "../../server/src/testing/test-server.js";
import { browserAvailable, launchChromium, screenshot, seriousA11yViolations } from "./browser.js";

/**
 * The cockpit in Chromium against the real server: sign in, watch an incident resolve live, approve a
 * parked action, scale from the UI and see the topology change, and run axe-core on every page.
 */

const run = browserAvailable();
const TARGET = "buggy-app-v2";
const leak = (id: string) => ({
  incident_id: id,
  alert_type: "Memory Leak",
  logs: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\nrss grows 10MB per request, heap used 1900MB of 2048MB; traffic flat",
  container_name: TARGET,
  severity: "CRITICAL",
});

let stop: () => Promise<void>;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let api: AegisClient;
const EMAIL = "oncall@example.com";
const PASSWORD = "correct horse battery";

beforeAll(async () => {
  if (!run) return;
  // One restart per hour: the first leak is restarted by the pipeline, the second waits for a human.
  const te = await prepareEnv({ RESTART_BUDGET_PER_HOUR: "1", HEALTH_TIMEOUT_SECS: "2" });
  const started = await startInProcess(te);
  stop = started.stop;
  url = started.server.url;
  const reg = await fetch(`${url}/api/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD, full_name: "On Call", tenant_name: "Acme" }),
  });
  expect(reg.status).toBe(200);
  const token = ((await reg.json()) as { access_token: string }).access_token;
  api = new AegisClient(url, undefined, { bearer: () => token });
  expect((await api.request("POST", "/api/v1/projects", { name: "Staging" })).status).toBe(201);
  browser = await launchChromium();
  // CSP bypass only so the test can inject axe-core; the page itself runs under the server's policy.
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await stop?.();
});

async function expectAccessible(name: string) {
  const v = await seriousA11yViolations(page);
  expect([name, v]).toEqual([name, []]);
}

async function nav(label: string) {
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: label }).click();
}

describe.skipIf(!run)("cockpit in Chromium", () => {
  it("a new visitor gets the sign-in page at /, and signs in with email and password", async () => {
    const res = await page.goto(`${url}/`);
    expect(res?.status()).toBe(200);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await screenshot(page, "01-sign-in");
    await expectAccessible("sign-in");
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/^401/);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Live incidents" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/ui/live");
    await page.locator('[data-connection="open"]').waitFor({ timeout: 15_000 });
  });

  it("an incident fired through the API appears live and reaches RESOLVED on screen", async () => {
    await api.sendIncident(leak("e2e-leak-1"));
    await page.locator('button[data-incident="e2e-leak-1"]').click({ timeout: 15_000 });
    await page.locator('article[data-incident="e2e-leak-1"][data-status="RESOLVED"]').waitFor({ timeout: 45_000 });
    const view = page.locator('article[data-incident="e2e-leak-1"]');
    await expect
      .poll(() => view.getByRole("list", { name: "Pipeline steps" }).locator("li").count())
      .toBeGreaterThan(3);
    expect(await view.textContent()).toMatch(/Resolved/);
    expect(await view.textContent()).toMatch(/SRE AGENT/);
    await screenshot(page, "02-live-resolved");
    await expectAccessible("live");
  });

  it("a pending action is approved from the UI", async () => {
    await api.sendIncident(leak("e2e-leak-2"));
    await api.waitFor("e2e-leak-2", (i) => i.approval?.state === "pending", 45_000, 200);
    await page.locator('button[data-incident="e2e-leak-2"]').click();
    const view = page.locator('article[data-incident="e2e-leak-2"]');
    await view.getByRole("button", { name: "Approve action" }).waitFor({ timeout: 15_000 });
    await screenshot(page, "03-awaiting-approval");
    await view.getByLabel("Note (optional)").fill("approved from the cockpit");
    await view.getByRole("button", { name: "Approve action" }).click();
    const decided = await api.waitFor(
      "e2e-leak-2",
      (i) => i.status === "RESOLVED" || i.status === "FAILED",
      45_000,
      200,
    );
    const human = decided.timeline.find((t) => t.status === "HUMAN_DECISION");
    expect(human?.message ?? "").toMatch(/approved from the cockpit/);
    await expect.poll(async () => view.getAttribute("data-awaiting"), { timeout: 15_000 }).toBe("false");
    await expect.poll(() => view.getByRole("button", { name: "Approve action" }).count()).toBe(0);
  });

  it("the incidents table filters, sorts and opens a detail where the state changes", async () => {
    await nav("Incidents");
    const table = page.getByRole("region", { name: "Incidents table" });
    await table.locator("tr[data-incident]").first().waitFor();
    expect(await table.locator("tr[data-incident]").count()).toBe(2);
    const failed = (await api.incidentPage({ status: "FAILED" })).total;
    await page.getByLabel("Automation status").selectOption("RESOLVED");
    await expect.poll(() => table.locator("tr[data-incident]").count()).toBe(2 - failed);
    expect(new URL(page.url()).search).toBe("?automation=RESOLVED");
    await page.getByLabel("Automation status").selectOption("");
    await expect.poll(() => table.locator("tr[data-incident]").count()).toBe(2);
    await table.getByRole("button", { name: /^Ref/ }).click();
    await expect
      .poll(() => table.locator("tr[data-incident]").first().getAttribute("data-incident"))
      .toBe("e2e-leak-1");
    await screenshot(page, "04-incidents");
    await expectAccessible("incidents");

    await table.locator('tr[data-incident="e2e-leak-1"]').getByRole("link").click();
    await page.getByRole("heading", { name: "Lifecycle" }).waitFor();
    await page.getByRole("button", { name: "Acknowledge" }).click();
    await expect.poll(async () => (await api.incidentV1("e2e-leak-1")).state).toBe("acknowledged");
    await page.getByRole("button", { name: "Start investigating" }).waitFor();
    await screenshot(page, "05-incident-detail");
    await expectAccessible("incident detail");
  });

  it("scaling from the UI changes the topology graph", async () => {
    await nav("Fleet");
    await page.locator(`[data-node="${TARGET}"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-node$="-replica-1"]').count()).toBe(0);
    await page.getByLabel("Replicas").fill("2");
    await page.getByRole("button", { name: "Scale up" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Yes, scale up" }).click();
    await page.locator(`[data-node="${TARGET}-replica-2"]`).waitFor({ timeout: 20_000 });
    expect((await api.topology()).nodes.filter((n) => n.type === "replica")).toHaveLength(2);
    await screenshot(page, "06-fleet-scaled");
    await expectAccessible("fleet");
    await page.getByRole("button", { name: "Scale down" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Yes, scale down" }).click();
    await expect.poll(() => page.locator('[data-node*="-replica-"]').count(), { timeout: 20_000 }).toBe(0);
  });

  it("knowledge: add a runbook and find it by search with its score", async () => {
    await nav("Knowledge");
    const form = page.getByRole("form", { name: "Add a runbook" });
    await form.getByLabel("Id").fill("payments/heap");
    await form.getByLabel("Title").fill("Node heap exhaustion");
    await form.getByLabel("Service").fill("payments");
    await form
      .getByLabel("Body (Markdown)")
      .fill("When the heap grows until out of memory, restart and capture a heap snapshot.");
    await form.getByRole("button", { name: "Save runbook" }).click();
    await page.getByText("Added runbook payments/heap").waitFor();
    // Import: a Markdown file fills the form (title from its heading, id from its name).
    await form.getByLabel(/Import a Markdown file/).setInputFiles({
      name: "db-disk-full.md",
      mimeType: "text/markdown",
      buffer: Buffer.from("# Database disk full\n\nRotate the WAL archive, then grow the volume."),
    });
    await form.getByLabel("Service").fill("postgres");
    expect(await form.getByLabel("Title").inputValue()).toBe("Database disk full");
    await form.getByRole("button", { name: "Save runbook" }).click();
    await page.getByText("Added runbook db-disk-full").waitFor();
    await page.getByRole("heading", { name: "Runbooks (2)" }).waitFor();
    await page.getByLabel("What is happening?").fill("heap out of memory");
    await page.getByRole("button", { name: "Search" }).click();
    await page
      .getByText(/score \d\.\d\d/)
      .first()
      .waitFor();
    await screenshot(page, "07-knowledge");
    await expectAccessible("knowledge");
  });

  it("predictive monitor: fleet heatmap, a server's forecast and its explanation", async () => {
    const res = await api.request("POST", "/feed/data", { records: monitorRecords() });
    expect(res.status).toBe(200);
    await nav("Predictive monitor");
    await page.getByRole("heading", { name: "Fleet risk" }).waitFor({ timeout: 15_000 });
    expect(await page.locator(".heatmap button").count()).toBe(3);
    await page.getByRole("button", { name: /^db-1: risk/ }).click();
    await page.getByRole("heading", { name: /^db-1/ }).waitFor();
    await page.getByRole("heading", { name: "Why" }).waitFor();
    await page.getByRole("columnheader", { name: "Contribution" }).waitFor();
    await screenshot(page, "08-monitor");
    await expectAccessible("monitor");
  });

  it("on-call, analytics and audit pages render what the server has (or say it has not)", async () => {
    for (const [label, name] of [
      ["On-call", "09-oncall"],
      ["Analytics", "10-analytics"],
      ["Audit", "11-audit"],
    ] as const) {
      await nav(label);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.waitForFunction(() => !document.body.textContent?.includes("Loading…"));
      await screenshot(page, name);
      await expectAccessible(label);
    }
  });

  it("switches project: the live view and the table follow it", async () => {
    await nav("Live");
    const switcher = page.getByLabel("Project");
    expect(await switcher.locator("option").allTextContents()).toEqual(["Production (owner)", "Staging (owner)"]);
    await switcher.selectOption({ label: "Staging (owner)" });
    await page.getByText("No incidents yet.", { exact: false }).waitFor();
    await page.locator('[data-connection="open"]').waitFor({ timeout: 15_000 });
    await nav("Incidents");
    await page.getByText("0 incident(s)", { exact: false }).waitFor();
    await switcher.selectOption({ label: "Production (owner)" });
    await expect
      .poll(() => page.getByRole("region", { name: "Incidents table" }).locator("tr[data-incident]").count())
      .toBe(2);
  });

  it("works at phone width and in the dark theme", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await nav("Live");
    await page.getByRole("heading", { name: "Live incidents" }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "12-phone-live");
    await page.getByRole("button", { name: "Dark theme" }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    await page.setViewportSize({ width: 1280, height: 800 });
    await nav("Incidents");
    await page.getByRole("region", { name: "Incidents table" }).locator("tr[data-incident]").first().waitFor();
    await screenshot(page, "13-dark-incidents");
    await expectAccessible("dark incidents");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
  });

  it("signs in with an API key; the operator's fleet charts fill from metrics frames", async () => {
    await page.getByRole("tab", { name: "API key" }).click();
    await page.getByLabel("API key").fill("not-a-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/^401/);
    await page.getByLabel("API key").fill(TEST_KEY);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await page.getByText("API key", { exact: true }).waitFor();
    await nav("Fleet");
    await page.getByRole("img", { name: /^CPU: CPU \d/ }).waitFor({ timeout: 20_000 });
    await page.getByRole("img", { name: /^Memory: Memory \d/ }).waitFor();
    await screenshot(page, "14-fleet-charts-dark");
    await expectAccessible("fleet charts");
  });

  it("reconnects by itself when the socket drops and catches up on what it missed, without a reload", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await ctx.newPage();
    let down = false;
    let connections = 0;
    let drop: () => void = () => undefined;
    // The page's socket goes through the test, which can cut it and refuse new ones (a server away for a while).
    await p.routeWebSocket(/\/ws(\?|$)/, (ws) => {
      connections++;
      if (down) return void ws.close();
      const server = ws.connectToServer();
      drop = () => {
        ws.close();
        server.close();
      };
    });
    try {
      await p.goto(`${url}/ui/live`);
      await p.getByRole("tab", { name: "API key" }).click();
      await p.getByLabel("API key").fill(TEST_KEY);
      await p.getByRole("button", { name: "Sign in" }).click();
      await p.locator('[data-connection="open"]').waitFor({ timeout: 15_000 });
      down = true;
      drop();
      await p.locator('[data-connection="reconnecting"]').waitFor();
      // While the cockpit is cut off, an incident comes and goes: its frames never reach the page.
      const operator = new AegisClient(url, TEST_KEY);
      await operator.sendIncident({
        ...leak("e2e-missed"),
        container_name: "buggy-app-v2",
        alert_type: "Missed While Away",
      });
      await operator.waitFor(
        "e2e-missed",
        (i) => ["RESOLVED", "FAILED"].includes(i.status) || i.approval?.state === "pending",
        45_000,
        200,
      );
      const settled = (await operator.incident("e2e-missed"))?.status as string;
      expect(await p.locator('button[data-incident="e2e-missed"]').count()).toBe(0);
      // The page tried again by itself while the server was away (and was refused), before it comes back.
      await expect.poll(() => connections, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
      down = false;
      await p.locator('[data-connection="open"]').waitFor({ timeout: 30_000 });
      await p.locator('button[data-incident="e2e-missed"]').click({ timeout: 15_000 });
      await p.locator(`article[data-incident="e2e-missed"][data-status="${settled}"]`).waitFor({ timeout: 15_000 });
      expect(connections).toBeGreaterThanOrEqual(3);
      await screenshot(p, "15-caught-up-after-reconnect");
    } finally {
      await ctx.close();
    }
  });

  it("a viewer sees the incident awaiting approval but no approve, scale, state or test-incident controls", async () => {
    const projectId = (await api.me()).user.project_id;
    const added = await api.request("POST", `/api/v1/projects/${projectId}/members`, {
      email: "viewer@example.com",
      role: "viewer",
      full_name: "Vera Viewer",
      password: "viewer password 1",
    });
    expect(added.status).toBe(201);
    // The hour's restart budget is spent: this one waits for a human.
    await api.sendIncident(leak("e2e-leak-viewer"));
    await api.waitFor("e2e-leak-viewer", (i) => i.approval?.state === "pending", 45_000, 200);

    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const p = await ctx.newPage();
    try {
      await p.goto(`${url}/`);
      await p.getByLabel("Email").fill("viewer@example.com");
      await p.getByLabel("Password").fill("viewer password 1");
      await p.getByRole("button", { name: "Sign in" }).click();
      await p.getByText("viewer@example.com · viewer").waitFor();
      await p.locator('button[data-incident="e2e-leak-viewer"]').click({ timeout: 15_000 });
      const view = p.locator('article[data-incident="e2e-leak-viewer"][data-awaiting="true"]');
      await view.getByText(/waiting for a member/i).waitFor();
      expect(await p.getByRole("button", { name: /approve|reject/i }).count()).toBe(0);
      expect(await p.getByRole("form", { name: "Send a test incident" }).count()).toBe(0);
      await p.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Fleet" }).click();
      await p.getByText("Viewers cannot scale.").waitFor();
      expect(await p.getByRole("button", { name: /scale/i }).count()).toBe(0);
      await p.goto(`${url}/ui/incidents/e2e-leak-viewer`);
      await p.getByText("No state change available to you.").waitFor();
      await screenshot(p, "16-viewer");
    } finally {
      await ctx.close();
    }
  });
});

/** Three servers, an hour of minutes; db-1's memory climbs towards exhaustion. */
function monitorRecords() {
  const start = Date.UTC(2026, 11, 6, 4, 0);
  const records = [];
  for (let m = 0; m < 60; m++) {
    for (const [name, mem] of [
      ["web-1", 40],
      ["web-2", 45],
      ["db-1", 50 + m * 0.75],
    ] as const) {
      records.push({
        timestamp: new Date(start + m * 60_000).toISOString(),
        server_name: name,
        status: "healthy",
        cpu_user_pct: 20 + (m % 5),
        cpu_sys_pct: 5,
        cpu_iowait_pct: 1,
        cpu_idle_pct: 74 - (m % 5),
        java_cpu_pct: 10,
        mem_used_pct: mem,
        swap_used_pct: name === "db-1" ? m / 3 : 0,
        disk_usage_pct: 50,
        net_in_mb_s: 1.5,
        net_out_mb_s: 1.2,
        back_close_wait: 0,
        front_close_wait: 0,
        load_average: 1.2,
        uptime_days: 10,
      });
    }
  }
  return records;
}
