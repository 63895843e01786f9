import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../../testing/test-databases.js";
import { accountsApp, memberWithRole, registerUser } from "../test-accounts-app.js";
import { AS_DEFAULT } from "../test-inject-app.js";

/**
 * Tenant isolation over REST: an owner of tenant A (user, project API key, and the bootstrap key) cannot
 * read, list or change anything of tenant B. Everything answers 404, so B's ids reveal nothing.
 */
describe.each(testDatabaseKinds())("tenant isolation on %s", (kind) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let b: { projectId: string; memberId: string; keyId: string; headers: Record<string, string> };
  const callers: Record<string, Record<string, string>> = {};
  beforeAll(async () => {
    db = await freshDatabase(kind);
    app = await accountsApp(db.database);
    const a = await registerUser(app, "a@tenant-a.test", "Tenant A");
    const owner = await registerUser(app, "b@tenant-b.test", "Tenant B");
    const memberId = (await memberWithRole(app, owner.headers, owner.projectId, "b2@tenant-b.test", "viewer")).userId;
    const keyB = await app.inject({
      method: "POST",
      url: `/api/v1/projects/${owner.projectId}/api-keys`,
      headers: owner.headers,
      payload: { name: "b-key", role: "owner" },
    });
    b = { projectId: owner.projectId, memberId, keyId: keyB.json().id, headers: owner.headers };
    const keyA = await app.inject({
      method: "POST",
      url: `/api/v1/projects/${a.projectId}/api-keys`,
      headers: a.headers,
      payload: { name: "a-key", role: "owner" },
    });
    callers["tenant A owner (user)"] = a.headers;
    callers["tenant A owner key"] = { "x-api-key": keyA.json().key };
    callers["bootstrap admin key"] = AS_DEFAULT;
  });
  afterAll(async () => {
    await app?.close();
    await db?.cleanup();
  });

  const requests = () => {
    const p = `/api/v1/projects/${b.projectId}`;
    return [
      { method: "GET", url: p },
      { method: "PATCH", url: p, payload: { name: "pwned" } },
      { method: "DELETE", url: p },
      { method: "GET", url: `${p}/members` },
      {
        method: "POST",
        url: `${p}/members`,
        payload: { email: "x@tenant-a.test", role: "viewer", password: "12345678" },
      },
      { method: "PATCH", url: `${p}/members/${b.memberId}`, payload: { role: "owner" } },
      { method: "DELETE", url: `${p}/members/${b.memberId}` },
      { method: "GET", url: `${p}/api-keys` },
      { method: "POST", url: `${p}/api-keys`, payload: { name: "x", role: "owner" } },
      { method: "DELETE", url: `${p}/api-keys/${b.keyId}` },
    ];
  };

  for (const who of ["tenant A owner (user)", "tenant A owner key", "bootstrap admin key"]) {
    it(`${who}: every project, member and API-key endpoint of tenant B is 404`, async () => {
      for (const r of requests()) {
        const res = await app.inject({ ...r, headers: callers[who] } as Parameters<FastifyInstance["inject"]>[0]);
        expect(res.statusCode, `${r.method} ${r.url} → ${res.body}`).toBe(404);
      }
      const listed = await app.inject({ url: "/api/v1/projects", headers: callers[who] });
      expect(listed.json().map((p: { id: string }) => p.id)).not.toContain(b.projectId);
      const sw = await app.inject({
        method: "POST",
        url: "/api/v1/auth/switch-project",
        headers: callers[who],
        payload: { project_id: b.projectId },
      });
      expect([403, 404]).toContain(sw.statusCode);
    });
  }

  it("tenant B is untouched and its own owner still sees everything", async () => {
    const p = await app.inject({ url: `/api/v1/projects/${b.projectId}`, headers: b.headers });
    expect(p.json().name).toBe("Production");
    const members = await app.inject({ url: `/api/v1/projects/${b.projectId}/members`, headers: b.headers });
    expect(
      members
        .json()
        .map((m: { email: string }) => m.email)
        .sort(),
    ).toEqual(["b2@tenant-b.test", "b@tenant-b.test"]);
    const keys = await app.inject({ url: `/api/v1/projects/${b.projectId}/api-keys`, headers: b.headers });
    expect(keys.json()).toMatchObject([{ name: "b-key", revoked_at: null }]);
  });

  it("a tenant A admin cannot pull a tenant B user into A's project (404, as if unknown)", async () => {
    const a = callers["tenant A owner (user)"] as Record<string, string>;
    const me = await app.inject({ url: "/api/v1/auth/me", headers: a });
    const res = await app.inject({
      method: "POST",
      url: `/api/v1/projects/${me.json().user.project_id}/members`,
      headers: a,
      payload: { email: "b2@tenant-b.test", role: "viewer" },
    });
    expect(res.statusCode).toBe(404);
  });
});
