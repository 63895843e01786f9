import type { ReportView } from "@aegis/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { createAccounts } from "../accounts/create-accounts.js";
import { createSecurityCenter, type SecurityCenter } from "../audit/security-center.js";
import { createLogger } from "../shared/logger.js";
import { AccountStore } from "../store/account-store.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { adminKeyAuthenticator } from "./admin-key-authenticator.js";
import { DownloadSigner, deriveDownloadKey } from "./download-signer.js";
import { registerUser } from "./test-accounts-app.js";
import { AS_DEFAULT, fake, injectApp, KEY } from "./test-inject-app.js";

const DAY_MS = 24 * 3600_000;
const RID = "3f1c2b7e-5a6d-4e8f-9a0b-1c2d3e4f5a6b";

/**
 * Issue #19: exports and reports hand out links signed for 24 hours that download without any other
 * credential, as the principal they were signed for (its project only, its current key and session),
 * and stop working when altered, expired or when that principal's key or session ends.
 */
describe.each(testDatabaseKinds())("signed download links on %s", (kind) => {
  let t: TestDatabase;
  let center: SecurityCenter;
  afterEach(async () => {
    await center?.stop();
    await t?.cleanup();
  });

  async function linkedApp(reports?: unknown) {
    t = await freshDatabase(kind);
    const logger = createLogger("silent");
    center = createSecurityCenter(
      t.database,
      logger,
      {
        passwordKdf: { algorithm: "argon2id", memoryKiB: 19 * 1024, timeCost: 2, parallelism: 1 },
        apiKeysOf: async (projectId) =>
          (await new AccountStore().apiKeys(t.database.db, projectId)).filter((k) => !k.revokedAt),
        secretFiles: [],
        tls: { enabled: false, evidence: "plain HTTP in this test" },
        loginThrottle: { perAccount: 5, perIp: 20, windowMs: 900_000 },
        accessLogRetentionDays: 30,
      },
      { securityEventRetentionDays: 30 },
    );
    const secret = "test-jwt-secret-0123456789abcdef-0123456789";
    const { authenticator, ...accounts } = createAccounts(
      t.database,
      secret,
      adminKeyAuthenticator(KEY, "default"),
      center.events,
    );
    let now = Date.parse("2026-12-06T08:00:00Z");
    const clock = { now: () => new Date(now), advance: (ms: number) => (now += ms) };
    const app = await injectApp({
      authenticator,
      accounts,
      security: { ...center, operatorProjectId: "default" },
      downloadLinks: new DownloadSigner(deriveDownloadKey(secret), DAY_MS, clock.now),
      ...(reports ? { insights: fake("insights", { reports: reports as never }) } : {}),
    });
    const settle = async () => {
      await new Promise((r) => setTimeout(r, 20));
      await Promise.all([center.audit.flush(), center.events.flush(), center.access.flush()]);
    };
    return { app, clock, settle };
  }

  it("an audit export link downloads the signer's project only, without a key, until it expires", async () => {
    const { app, clock, settle } = await linkedApp();
    const alice = await registerUser(app, "alice@example.com", "Alice Ltd");
    const bob = await registerUser(app, "bob@example.com", "Bob GmbH");
    for (const [who, name] of [
      [alice, "alpha-payments"],
      [bob, "bravo-secret-project"],
    ] as const) {
      const r = await app.inject({ method: "POST", url: "/api/v1/projects", headers: who.headers, payload: { name } });
      expect(r.statusCode).toBe(201);
    }
    const created = await app.inject({
      method: "POST",
      url: `/api/v1/projects/${alice.projectId}/api-keys`,
      headers: alice.headers,
      payload: { name: "exporter", role: "admin" },
    });
    expect(created.statusCode).toBe(201);
    const aliceKey = { "x-api-key": created.json().key as string };
    await settle();

    const asked = await app.inject({
      url: "/api/v1/security/audit-logs/export?format=csv&action=http.*",
      headers: aliceKey,
    });
    expect(asked.statusCode).toBe(200);
    const link = asked.json();
    expect(link).toMatchObject({ success: true, data: { format: "csv", expires_at: "2026-12-07T08:00:00.000Z" } });
    const url: string = link.data.download_url;
    expect(url).toMatch(/^\/api\/v1\/security\/audit-logs\/export\?/);
    expect(url).toContain("delivery=file");

    const direct = await app.inject({
      url: "/api/v1/security/audit-logs/export?format=csv&action=http.*&delivery=file",
      headers: aliceKey,
    });
    const viaLink = await app.inject({ url });
    expect(viaLink.statusCode).toBe(200);
    expect(viaLink.headers["content-type"]).toContain("text/csv");
    expect(viaLink.headers["content-disposition"]).toContain(`audit-${alice.projectId}-`);
    expect(viaLink.body).toBe(direct.body);
    expect(viaLink.body).toContain("alpha-payments");
    expect(viaLink.body).not.toContain("bravo-secret-project");

    // Altered: another project, another filter, the signature onto another path.
    const tampered = [
      url.replace(`dl_project=${alice.projectId}`, `dl_project=${bob.projectId}`),
      url.replace("action=http.*", "action=*"),
      url.replace("/audit-logs/export?", "/audit-logs?"),
    ];
    for (const u of tampered) {
      const r = await app.inject({ url: u });
      expect(r.statusCode, u).toBe(403);
      expect(r.json()).toMatchObject({ success: false });
    }

    clock.advance(DAY_MS - 1000);
    expect((await app.inject({ url })).statusCode).toBe(200);
    clock.advance(1000);
    const expired = await app.inject({ url });
    expect(expired.statusCode).toBe(403);
    expect(expired.json()).toMatchObject({ success: false, details: { reason: "link_expired" } });
    expect(expired.json().error).toContain("expired");

    // A fresh link dies with its key.
    const fresh = (
      await app.inject({ url: "/api/v1/security/audit-logs/export?format=json&delivery=link", headers: aliceKey })
    ).json().data.download_url as string;
    expect((await app.inject({ url: fresh })).statusCode).toBe(200);
    const keyId = created.json().id as string;
    const revoked = await app.inject({
      method: "DELETE",
      url: `/api/v1/projects/${alice.projectId}/api-keys/${keyId}`,
      headers: alice.headers,
    });
    expect(revoked.statusCode).toBeLessThan(300);
    const dead = await app.inject({ url: fresh });
    expect(dead.statusCode).toBe(403);
    expect(dead.json()).toMatchObject({ details: { reason: "principal_revoked" } });
  });

  it("a user's link acts with the user's current session: signing out ends it", async () => {
    const { app } = await linkedApp();
    const olga = await registerUser(app, "olga@example.com");
    const url = (
      await app.inject({ url: "/api/v1/security/audit-logs/export?format=csv&delivery=link", headers: olga.headers })
    ).json().data.download_url as string;
    expect(url).toContain("dl_session=");
    expect((await app.inject({ url })).statusCode).toBe(200);
    const out = await app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: olga.headers,
      payload: { refresh_token: olga.refreshToken },
    });
    expect(out.statusCode).toBeLessThan(300);
    expect((await app.inject({ url })).statusCode).toBe(403);
  });

  it("a generated report's links are signed, work alone, and end with the report's 24 hours", async () => {
    const view = (createdAt: string): ReportView => ({
      id: RID,
      report_type: "executive",
      title: "Executive report",
      period_from: "2026-11-06T08:00:00.000Z",
      period_to: createdAt,
      created_at: createdAt,
      html_url: `/api/v1/analytics/reports/${RID}/html`,
      pdf_url: null,
      pdf_error: "no chromium",
      expires_at: new Date(Date.parse(createdAt) + DAY_MS).toISOString(),
    });
    const asked: string[] = [];
    const reports = {
      generate: async (projectId: string) => {
        asked.push(projectId);
        return view("2026-12-06T08:00:00.000Z");
      },
      // Fetched an hour later: the link ends with the report, not 24 hours after this call.
      get: async (projectId: string) => {
        asked.push(projectId);
        return view("2026-12-06T07:00:00.000Z");
      },
      html: async (projectId: string, id: string) => {
        asked.push(projectId);
        return `<h1>${id} of ${projectId}</h1>`;
      },
      pdfOf: async () => Buffer.alloc(0),
    };
    const { app, clock } = await linkedApp(reports);
    const gen = await app.inject({
      method: "POST",
      url: "/api/v1/analytics/reports/generate?report_type=executive",
      headers: AS_DEFAULT,
    });
    expect(gen.statusCode).toBe(201);
    const data = gen.json().data as ReportView;
    expect(data.html_url).toMatch(new RegExp(`^/api/v1/analytics/reports/${RID}/html\\?dl_expires=`));
    expect(data.pdf_url).toBeNull();
    expect(data.expires_at).toBe("2026-12-07T08:00:00.000Z");
    const html = await app.inject({ url: data.html_url });
    expect(html.statusCode, html.body).toBe(200);
    expect(html.body).toBe(`<h1>${RID} of default</h1>`);

    const got = (await app.inject({ url: `/api/v1/analytics/reports/${RID}`, headers: AS_DEFAULT })).json()
      .data as ReportView;
    expect(got.expires_at).toBe("2026-12-07T07:00:00.000Z");
    clock.advance(DAY_MS - 3600_000);
    expect((await app.inject({ url: got.html_url })).statusCode).toBe(403);
    expect((await app.inject({ url: data.html_url })).statusCode).toBe(200);
    expect(asked.every((p) => p === "default")).toBe(true);
  });
});
