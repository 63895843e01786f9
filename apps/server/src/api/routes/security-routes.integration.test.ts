import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createAccounts } from "../../accounts/create-accounts.js";
import { createSecurityCenter, type SecurityCenter } from "../../audit/security-center.js";
import { createLogger } from "../../shared/logger.js";
import { AccountStore } from "../../store/account-store.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../../testing/test-databases.js";
import { adminKeyAuthenticator } from "../admin-key-authenticator.js";
import { bearer, memberWithRole, registerUser } from "../test-accounts-app.js";
import { AS_DEFAULT, injectApp, KEY } from "../test-inject-app.js";

/**
 * Seed 003 /api/v1/security on a real database: the generic audit hook, the chain's verification after a
 * row is edited in the database, the streamed export, security events from where they happen, the
 * access log, permissions, the computed compliance report and threat detection.
 */
describe.each(testDatabaseKinds())("security routes on %s", (kind) => {
  let t: TestDatabase;
  let center: SecurityCenter;
  afterEach(async () => {
    await center?.stop();
    await t?.cleanup();
  });

  async function securedApp() {
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
    const { authenticator, ...accounts } = createAccounts(
      t.database,
      "test-jwt-secret-0123456789abcdef-0123456789",
      adminKeyAuthenticator(KEY, "default"),
      center.events,
    );
    const a = await injectApp({ authenticator, accounts, security: { ...center, operatorProjectId: "default" } });
    /** Let the hooks' writes land (they run after the response). */
    const settle = async () => {
      await new Promise((r) => setTimeout(r, 20));
      await Promise.all([center.audit.flush(), center.events.flush(), center.access.flush()]);
    };
    return { app: a, settle };
  }

  it("audits every mutation with its actor and redacted body, verifies the chain, finds an edited row, exports", async () => {
    const { app, settle } = await securedApp();
    const owner = await registerUser(app, "olga@example.com");
    const created = await app.inject({
      method: "POST",
      url: "/api/v1/projects",
      headers: owner.headers,
      payload: { name: "Payments" },
    });
    expect(created.statusCode).toBe(201);
    const refused = await app.inject({ method: "POST", url: "/api/v1/projects", headers: owner.headers, payload: {} });
    expect(refused.statusCode).toBe(422);
    await app.inject({
      method: "POST",
      url: `/api/v1/projects/${owner.projectId}/members`,
      headers: owner.headers,
      payload: { email: "vic@example.com", role: "viewer", password: "correct horse battery" },
    });
    await settle();

    // Registration is public: the operator's project records it, with the password redacted.
    const operator = (
      await app.inject({ url: "/api/v1/security/audit-logs?action=http.create", headers: AS_DEFAULT })
    ).json();
    const register = operator.data.items.find(
      (i: { resource_type: string }) => i.resource_type === "/api/v1/auth/register",
    );
    expect(register).toMatchObject({ actor: { kind: "anonymous" }, outcome: "success", status_code: 200 });
    expect(register.after).toMatchObject({ email: "olga@example.com", password: "[REDACTED]" });

    const page = (
      await app.inject({ url: "/api/v1/security/audit-logs?page=1&page_size=2&user=olga", headers: owner.headers })
    ).json();
    expect(page).toMatchObject({ success: true, data: { total: 3, page: 1, page_size: 2, has_next: true } });
    const [member, failed] = page.data.items;
    expect(member).toMatchObject({
      action: "http.create",
      resource_type: "/api/v1/projects/:id/members",
      resource_id: owner.projectId,
      actor: { kind: "user", id: owner.userId, role: "owner" },
      after: { email: "vic@example.com", role: "viewer", password: "[REDACTED]" },
      ip_address: "127.0.0.1",
    });
    expect(failed).toMatchObject({ outcome: "failure", status_code: 422, after: {} });
    expect(failed.hash).toBe(member.prev_hash);

    const ok = (await app.inject({ url: "/api/v1/security/audit-logs/verify", headers: owner.headers })).json();
    expect(ok.data).toMatchObject({ valid: true, rows_checked: 3, first_broken: null });

    // Tamper through the raw database, past the append-only trigger.
    await t.database.db.execute(sql`alter table audit_log disable trigger audit_log_no_change`);
    await t.database.db.execute(
      sql`update audit_log set actor_name = 'somebody else' where project_id = ${owner.projectId} and seq = 2`,
    );
    const broken = (await app.inject({ url: "/api/v1/security/audit-logs/verify", headers: owner.headers })).json();
    expect(broken.data).toMatchObject({
      valid: false,
      rows_checked: 1,
      first_broken: { seq: 2, reason: "hash_mismatch" },
    });
    expect(broken.message).toContain("#2");
    const compliance = (await app.inject({ url: "/api/v1/security/compliance-report", headers: owner.headers })).json();
    const controls = Object.fromEntries(
      compliance.data.controls.map((c: { id: string; status: string }) => [c.id, c.status]),
    );
    expect(controls).toMatchObject({
      audit_chain_intact: "fail",
      audit_append_only: "fail",
      password_hashing: "pass",
      mfa: "not_available",
      tls: "not_configured",
    });

    const csv = await app.inject({
      url: "/api/v1/security/audit-logs/export?format=csv&delivery=file",
      headers: owner.headers,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.headers["content-disposition"]).toMatch(/attachment; filename="audit-.*\.csv"/);
    const lines = csv.body.trimEnd().split("\n");
    expect(lines[0]?.startsWith("seq,timestamp,actor_kind")).toBe(true);
    // A header and the three mutations (the GETs in between are not audited).
    expect(lines).toHaveLength(1 + 3);
    const ndjson = await app.inject({
      url: "/api/v1/security/audit-logs/export?format=json&action=http.create&delivery=file",
      headers: owner.headers,
    });
    expect(ndjson.headers["content-type"]).toContain("application/x-ndjson");
    expect(
      ndjson.body
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).seq),
    ).toEqual([1, 2, 3]);

    const bad = await app.inject({ url: "/api/v1/security/audit-logs?from=yesterday", headers: owner.headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ success: false, error: expect.stringContaining("from") });
  });

  it("records security events where they happen and serves access logs, permissions and threat state", async () => {
    const { app, settle } = await securedApp();
    const owner = await registerUser(app, "ana@example.com");
    const viewer = await memberWithRole(app, owner.headers, owner.projectId, "val@example.com", "viewer");
    // A project key (no expiry), later used from a second address.
    const key = (
      await app.inject({
        method: "POST",
        url: `/api/v1/projects/${owner.projectId}/api-keys`,
        headers: owner.headers,
        payload: { name: "ci" },
      })
    ).json().key as string;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: i < 3 ? "ana@example.com" : "val@example.com", password: "wrong password" },
        remoteAddress: "203.0.113.9",
      });
      statuses.push(res.statusCode);
    }
    // Val's account is held after five failures… of which only three were hers: hold it with two more.
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: "val@example.com", password: "wrong password" },
        remoteAddress: "203.0.113.10",
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429]);
    await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "nobody@example.com", password: "wrong password" },
    });
    const refresh = {
      method: "POST" as const,
      url: "/api/v1/auth/refresh",
      payload: { refresh_token: owner.refreshToken },
    };
    expect((await app.inject(refresh)).statusCode).toBe(200);
    expect((await app.inject(refresh)).statusCode).toBe(401);
    const denied = await app.inject({ url: "/api/v1/security/audit-logs", headers: viewer.headers });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ success: false, request_id: expect.any(String) });
    await app.inject({ url: "/api/v1/projects", headers: { "x-api-key": key }, remoteAddress: "198.51.100.1" });
    await settle();
    await app.inject({ url: "/api/v1/projects", headers: { "x-api-key": key }, remoteAddress: "198.51.100.2" });
    await settle();

    // The owner signs in again (the refresh reuse revoked the first session).
    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "ana@example.com", password: "correct horse battery" },
    });
    const headers = bearer(login.json().access_token);
    await settle();
    const events = (await app.inject({ url: "/api/v1/security/security-events?days=1", headers })).json();
    const types = events.data.items.map((e: { type: string }) => e.type);
    expect(types.filter((x: string) => x === "login_failed")).toHaveLength(8);
    expect(types).toContain("login_throttled");
    expect(types).toEqual(expect.arrayContaining(["refresh_token_reuse", "authz_denied", "api_key_new_address"]));
    // The unknown email names no project: only the operator sees it.
    expect(events.data.items.some((e: { message: string }) => e.message.includes("nobody@"))).toBe(false);
    const op = (await app.inject({ url: "/api/v1/security/security-events", headers: AS_DEFAULT })).json();
    expect(op.data.items.some((e: { message: string }) => e.message.includes("nobody@"))).toBe(true);
    const high = (await app.inject({ url: "/api/v1/security/security-events?severity=high", headers })).json();
    expect(high.data.items.map((e: { type: string }) => e.type)).toEqual(["refresh_token_reuse"]);
    const badSeverity = await app.inject({ url: "/api/v1/security/security-events?severity=urgent", headers });
    expect(badSeverity.statusCode).toBe(400);
    expect(badSeverity.json().error).toContain("severity");

    const access = (await app.inject({ url: "/api/v1/security/access-logs?limit=500", headers })).json();
    const keyUse = access.data.items.find((i: { ip_address: string }) => i.ip_address === "198.51.100.2");
    expect(keyUse).toMatchObject({
      method: "GET",
      route: "/api/v1/projects",
      status_code: 200,
      principal: { kind: "api_key", name: "ci" },
    });
    expect(keyUse.latency_ms).toBeGreaterThan(0);
    expect(access.data.items.some((i: { status_code: number }) => i.status_code === 403)).toBe(true);

    const perms = (
      await app.inject({ url: "/api/v1/security/permissions?user_email=val@example.com", headers })
    ).json();
    expect(perms.data.user.projects).toEqual([
      expect.objectContaining({
        project_id: owner.projectId,
        role: "viewer",
        permissions: ["incidents.read", "monitoring.read"],
      }),
    ]);
    expect(perms.data.roles.find((r: { role: string }) => r.role === "admin").permissions).toContain("audit.read");
    const stranger = await app.inject({ url: "/api/v1/security/permissions?user_email=nobody@example.com", headers });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json()).toMatchObject({ success: false });

    const threats = (await app.inject({ url: "/api/v1/security/threat-detection", headers })).json();
    const failedLogins = threats.data.detectors.find((x: { type: string }) => x.type === "login_failed");
    expect(failedLogins).toMatchObject({ last_hour: 8, last_24h: 8 });
    expect(threats.data.top_ips[0]).toEqual({ key: "203.0.113.9", events: 6 });
    expect(threats.data.status).toBe("elevated");

    const compliance = (await app.inject({ url: "/api/v1/security/compliance-report", headers })).json();
    const expiry = compliance.data.controls.find((c: { id: string }) => c.id === "api_key_expiry");
    expect(expiry).toMatchObject({ status: "fail", evidence: expect.stringContaining("ci") });
    expect(compliance.data.controls.find((c: { id: string }) => c.id === "audit_chain_intact").status).toBe("pass");
  });
});
