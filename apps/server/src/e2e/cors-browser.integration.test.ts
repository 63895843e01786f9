import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEnv, ServerProcess, TEST_KEY } from "../testing/test-server.js";

/** Debian's Chromium, as the cockpit's browser tests use it; no browser is ever downloaded. */
const CHROMIUM = "/usr/bin/chromium";

/** Skips where Chromium is absent, except in CI (`AEGIS_REQUIRE_POSTGRES=1`: every service required), where that fails. */
function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.AEGIS_REQUIRE_POSTGRES === "1") throw new Error(`AEGIS_REQUIRE_POSTGRES=1 but ${CHROMIUM} is absent`);
  return false;
}

/** A page server of its own origin: serves an empty page whose scripts the test drives. */
async function pageServer(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><html><head><title>other origin</title></head><body>page</body></html>");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

type FetchOutcome =
  | { ok: true; status: number; body: unknown; text: string }
  | { ok: false; error: string; message: string };

/**
 * Issue #19: a real browser on another origin calls the real server (the built `aegis start`, a child
 * process). The listed origin reads the JSON (after a preflight, since it sends `X-API-Key`), reads an
 * error answer, and downloads an audit export from a signed link without any key; a page of an origin
 * not listed gets a rejected fetch, because the server gave it no CORS header.
 */
describe.skipIf(!browserAvailable())("CORS from a real Chromium on another origin", () => {
  let proc: ServerProcess;
  let browser: Browser;
  let allowed: { origin: string; server: Server };
  let refused: { origin: string; server: Server };
  let api: string;

  beforeAll(async () => {
    allowed = await pageServer();
    refused = await pageServer();
    proc = new ServerProcess(
      await prepareEnv({ AEGIS_DEMO_APP: "false", AEGIS_CORS_ORIGINS: `${allowed.origin},http://localhost:9` }),
    );
    await proc.start();
    api = proc.client.url;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await proc?.cleanup();
    for (const s of [allowed, refused]) await new Promise((r) => s?.server.close(r));
  });

  /** `fetch(url, init)` run inside a page of `origin`: what the page's script gets to see. */
  async function fetchFrom(origin: string, url: string, init: RequestInit = {}): Promise<FetchOutcome> {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/`);
      return await page.evaluate(
        async ({ url, init }) => {
          try {
            const res = await fetch(url, init);
            const text = await res.text();
            let body: unknown = null;
            try {
              body = JSON.parse(text);
            } catch {
              body = null;
            }
            return { ok: true as const, status: res.status, body, text };
          } catch (err) {
            const e = err as Error;
            return { ok: false as const, error: e.name, message: e.message };
          }
        },
        { url, init },
      );
    } finally {
      await page.close();
    }
  }

  it("the listed origin reads the API's JSON with an API key (preflighted) and its 401 error", async () => {
    const got = await fetchFrom(allowed.origin, `${api}/api/v1/analytics/predictions`, {
      headers: { "X-API-Key": TEST_KEY },
    });
    expect(got).toMatchObject({ ok: true, status: 200, body: { success: true } });
    const denied = await fetchFrom(allowed.origin, `${api}/api/v1/analytics/predictions`, {
      headers: { "X-API-Key": "not-a-key" },
    });
    expect(denied).toMatchObject({ ok: true, status: 401, body: { success: false } });
  }, 30_000);

  it("an origin not listed cannot read the answer: its fetch rejects with a TypeError", async () => {
    const got = await fetchFrom(refused.origin, `${api}/api/v1/analytics/predictions`, {
      headers: { "X-API-Key": TEST_KEY },
    });
    expect(got).toMatchObject({ ok: false, error: "TypeError" });
    // Even a simple request (no preflight) is withheld from the page.
    const simple = await fetchFrom(refused.origin, `${api}/health`);
    expect(simple).toMatchObject({ ok: false, error: "TypeError" });
  }, 30_000);

  it("the listed origin downloads an audit export through its signed link, with no key", async () => {
    const link = await fetchFrom(allowed.origin, `${api}/api/v1/security/audit-logs/export?format=csv&delivery=link`, {
      headers: { "X-API-Key": TEST_KEY },
    });
    expect(link).toMatchObject({ ok: true, status: 200 });
    const data = (link as { body: { data: { download_url: string; expires_at: string } } }).body.data;
    expect(Date.parse(data.expires_at) - Date.now()).toBeGreaterThan(23 * 3600_000);
    const file = await fetchFrom(allowed.origin, `${api}${data.download_url}`);
    expect(file).toMatchObject({ ok: true, status: 200 });
    expect((file as { text: string }).text.split("\n")[0]).toMatch(/^seq,/);
  }, 30_000);
});
