// The cockpit's budget (a benchmark, not a test): gzipped JavaScript of the first screen, and a minute of a
// 10,000-incident table with 20 `metrics` frames a second — long tasks over 50 ms and heap growth, as JSON.
//
//   npm run bench:cockpit            (builds the server's tools, then runs this)
//   BENCH_SECONDS=20 npm run bench:cockpit
//
// The page talks to the real server (sign-in, containers, topology); the incident list and the WebSocket are
// served by the browser harness so the figures are the cockpit's own, at a load the demo fleet cannot make.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, "../dist");
const results = resolve(here, "../test-results");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const FRAMES_PER_SECOND = 20;
const INCIDENTS = 10_000;
const CONTAINERS = 8;

const { prepareEnv, startInProcess, TEST_KEY } = await import("../../server/dist-tools/testing/test-server.js");

/** The entry script and the chunks it preloads: what the first screen downloads before it can run. */
function initialBundle() {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const sizes = files.map((f) => {
    const body = readFileSync(join(dist, f));
    return { file: f, bytes: body.length, gzip_bytes: gzipSync(body, { level: 9 }).length };
  });
  return { files: sizes, gzip_bytes: sizes.reduce((a, s) => a + s.gzip_bytes, 0) };
}

function incidents() {
  const severities = ["critical", "high", "medium", "low"];
  const states = ["detected", "acknowledged", "investigating", "mitigated", "resolved"];
  const t0 = Date.UTC(2026, 11, 1);
  return Array.from({ length: INCIDENTS }, (_, n) => {
    const at = new Date(t0 + n * 60_000).toISOString();
    const state = states[n % states.length];
    return {
      id: `bench-${n}`,
      incident_id: `bench-${n}`,
      reference: `INC-${n + 1}`,
      title: `Synthetic incident ${n + 1}`,
      description: "",
      service_name: `svc-${n % 37}`,
      affected_services: [],
      severity: severities[n % severities.length],
      state,
      status: state,
      automation_status: n % 3 ? "RESOLVED" : "FAILED",
      dry_run: false,
      project_id: "default",
      detected_at: at,
      acknowledged_at: null,
      investigating_started_at: null,
      mitigated_at: null,
      resolved_at: null,
      created_at: at,
      updated_at: at,
    };
  });
}

function metricsFrame(tick) {
  const data = Array.from({ length: CONTAINERS }, (_, c) => ({
    name: `bench-app-${c}`,
    cpu_percent: 20 + 15 * Math.sin((tick + c * 7) / 25),
    memory_mb: 200 + c * 10 + (tick % 100),
    memory_limit_mb: 1024,
    memory_percent: 30,
    net_rx_bytes: tick * 40_000 + c,
    net_tx_bytes: tick * 25_000 + c,
    status: "running",
    uptime_seconds: tick / FRAMES_PER_SECOND,
    image: "bench:latest",
  }));
  return JSON.stringify({ type: "metrics", incident_id: null, data, timestamp: new Date().toISOString() });
}

async function main() {
  const bundle = initialBundle();
  const te = await prepareEnv();
  const { server, stop } = await startInProcess(te);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
    ].concat(["--disable-component-update", "--disable-sync"]),
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: "longtask", buffered: true });
    });

    // Runtime figure: every script the first screen actually fetched (gzip measured on the same bytes).
    const loaded = new Map();
    page.on("response", async (r) => {
      if (r.request().resourceType() === "script" && r.url().startsWith(server.url)) {
        const body = await r.body().catch(() => null);
        if (body) loaded.set(new URL(r.url()).pathname, gzipSync(body, { level: 9 }).length);
      }
    });

    const list = JSON.stringify({
      success: true,
      message: `${INCIDENTS} incidents`,
      data: { items: incidents(), total: INCIDENTS, page: 1, page_size: INCIDENTS, has_next: false },
    });
    await page.route(/\/api\/v1\/incidents\?/, (route) =>
      route.fulfill({ status: 200, contentType: "application/json", body: list }),
    );
    let timer = null;
    let sent = 0;
    await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
      ws.send(
        JSON.stringify({
          type: "heartbeat",
          incident_id: null,
          data: { status: "connected" },
          timestamp: new Date().toISOString(),
        }),
      );
      // Paced by the clock, not by the timer's ticks (which slip under load): every frame due is sent.
      const t0 = Date.now();
      timer = setInterval(() => {
        const due = Math.floor(((Date.now() - t0) / 1000) * FRAMES_PER_SECOND);
        while (sent < due) ws.send(metricsFrame(sent++));
      }, 1000 / FRAMES_PER_SECOND);
    });

    await page.goto(`${server.url}/`);
    await page.getByRole("tab", { name: "API key" }).click();
    await page.getByLabel("API key").fill(TEST_KEY);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Live incidents" }).waitFor();
    await page.waitForLoadState("networkidle");
    const firstScreen = [...loaded.entries()].map(([file, gzip_bytes]) => ({ file, gzip_bytes }));

    await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Incidents" }).click();
    const renderStart = Date.now();
    await page.locator(`tr[data-incident="bench-${INCIDENTS - 1}"]`).waitFor({ timeout: 30_000 });
    const tableRenderMs = Date.now() - renderStart;

    const cdp = await context.newCDPSession(page);
    // A forced collection is itself a long task: the windows around them are left out of the count.
    const gcWindows = [];
    const heap = async () => {
      const from = await page.evaluate(() => performance.now());
      await cdp.send("HeapProfiler.collectGarbage");
      const used = (await cdp.send("Runtime.getHeapUsage")).usedSize;
      gcWindows.push([from, await page.evaluate(() => performance.now())]);
      return used;
    };
    /** `seconds` of frames while `step` runs every 250 ms: long tasks (forced GCs excluded) and heap after GC. */
    const measure = async (step) => {
      await page.waitForTimeout(2000);
      const longTasksBefore = await page.evaluate(() => window.__longTasks.length);
      const windowsBefore = gcWindows.length;
      const heapSeries = [{ t_s: 0, used_bytes: await heap() }];
      const framesAtStart = sent;
      const start = Date.now();
      while (Date.now() - start < SECONDS * 1000) {
        await step();
        await page.waitForTimeout(250);
        const t = Math.round((Date.now() - start) / 1000);
        if (t > 0 && t % 10 === 0 && heapSeries.at(-1).t_s !== t) heapSeries.push({ t_s: t, used_bytes: await heap() });
      }
      const framesSent = sent - framesAtStart;
      const seconds = (Date.now() - start) / 1000;
      const endHeap = await heap();
      if (heapSeries.at(-1).t_s !== SECONDS) heapSeries.push({ t_s: SECONDS, used_bytes: endHeap });
      const windows = gcWindows.slice(windowsBefore);
      const tasks = (await page.evaluate((skip) => window.__longTasks.slice(skip), longTasksBefore)).filter(
        (t) => !windows.some(([a, b]) => t.start + t.duration >= a && t.start <= b),
      );
      return {
        seconds: SECONDS,
        metrics_frames_sent: framesSent,
        frames_per_second: Number((framesSent / seconds).toFixed(1)),
        containers_per_frame: CONTAINERS,
        long_tasks_over_50ms: tasks.length,
        forced_gc_windows_excluded: windows.length,
        longest_task_ms: Math.round(tasks.reduce((a, t) => Math.max(a, t.duration), 0)),
        long_tasks: tasks
          .slice(0, 20)
          .map((t) => ({ at_ms: Math.round(t.start), duration_ms: Math.round(t.duration) })),
        heap_after_gc: heapSeries,
        heap_growth_bytes: endHeap - heapSeries[0].used_bytes,
      };
    };

    // Phase 1: the 10,000-incident table, scrolled through as a person reading it would.
    let scroll = 0;
    const table = await measure(async () => {
      scroll = (scroll + 41 * 37) % (41 * INCIDENTS);
      await page.getByRole("region", { name: "Incidents table" }).evaluate((el, top) => {
        el.scrollTop = top;
      }, scroll);
    });
    const rows = await page.locator("tr[data-incident]").count();

    // Phase 2: the fleet page, whose three charts redraw on every frame.
    await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Fleet" }).click();
    await page.getByRole("img", { name: /^CPU: CPU \d/ }).waitFor({ timeout: 30_000 });
    const charts = await measure(async () => undefined);
    clearInterval(timer);

    const report = {
      when: new Date().toISOString(),
      initial_route: {
        budget_gzip_bytes: 300 * 1024,
        static_entry: bundle,
        fetched_by_first_screen: { files: firstScreen, gzip_bytes: firstScreen.reduce((a, f) => a + f.gzip_bytes, 0) },
      },
      table_under_load: { incidents: INCIDENTS, rows_in_dom: rows, first_render_ms: tableRenderMs, ...table },
      fleet_charts_under_load: charts,
    };
    mkdirSync(results, { recursive: true });
    writeFileSync(join(results, "budget.json"), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await browser.close();
    await stop();
  }
}

await main();
