import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../../testing/test-databases.js";
import type { AppDeps } from "../app-deps.js";
import { accountsApp, memberWithRole, registerUser } from "../test-accounts-app.js";
import { AS_DEFAULT, fake, incident } from "../test-inject-app.js";

/** Role gates of the project, member, API-key and approve endpoints: owner, admin, member, viewer. */

const ROLES = ["owner", "admin", "member", "viewer"] as const;
type Role = (typeof ROLES)[number];

const decided: AppDeps["incidents"] = fake("incidents", {
  approve: async (_p, id) => incident(id, { status: "AWAITING_APPROVAL" }),
  reject: async (_p, id) => incident(id, { status: "REJECTED" }),
});

describe.each(testDatabaseKinds())("role matrix on %s", (kind) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let projectId: string;
  let target: string;
  const as: Partial<Record<Role, Record<string, string>>> = {};
  beforeAll(async () => {
    db = await freshDatabase(kind);
    app = await accountsApp(db.database, { incidents: decided });
    const owner = await registerUser(app, "owner@matrix.test", "Matrix");
    projectId = owner.projectId;
    as.owner = owner.headers;
    for (const role of ["admin", "member", "viewer"] as const) {
      as[role] = (await memberWithRole(app, owner.headers, projectId, `${role}@matrix.test`, role)).headers;
    }
    target = (await memberWithRole(app, owner.headers, projectId, "target@matrix.test", "viewer")).userId;
  });
  afterAll(async () => {
    await app?.close();
    await db?.cleanup();
  });

  const cases: { name: string; ok: Role; call: () => { method: string; url: string; payload?: object } }[] = [
    { name: "GET project", ok: "viewer", call: () => ({ method: "GET", url: `/api/v1/projects/${projectId}` }) },
    {
      name: "PATCH project",
      ok: "owner",
      call: () => ({ method: "PATCH", url: `/api/v1/projects/${projectId}`, payload: { name: "Renamed" } }),
    },
    {
      name: "GET members",
      ok: "viewer",
      call: () => ({ method: "GET", url: `/api/v1/projects/${projectId}/members` }),
    },
    {
      name: "PATCH member",
      ok: "admin",
      call: () => ({
        method: "PATCH",
        url: `/api/v1/projects/${projectId}/members/${target}`,
        payload: { role: "viewer" },
      }),
    },
    {
      name: "GET api-keys",
      ok: "admin",
      call: () => ({ method: "GET", url: `/api/v1/projects/${projectId}/api-keys` }),
    },
    {
      name: "POST api-keys",
      ok: "admin",
      call: () => ({
        method: "POST",
        url: `/api/v1/projects/${projectId}/api-keys`,
        payload: { name: "ci", role: "viewer" },
      }),
    },
    { name: "approve", ok: "member", call: () => ({ method: "POST", url: "/api/v1/incidents/INC-1/approve" }) },
    { name: "reject", ok: "member", call: () => ({ method: "POST", url: "/api/v1/incidents/INC-1/reject" }) },
  ];
  const rank = (r: Role) => ROLES.length - ROLES.indexOf(r);

  for (const c of cases) {
    it(`${c.name}: ${c.ok} and above succeed, below is 403`, async () => {
      for (const role of ROLES) {
        const res = await app.inject({ ...c.call(), headers: as[role] } as Parameters<FastifyInstance["inject"]>[0]);
        const expected = rank(role) >= rank(c.ok) ? [200, 201] : [403];
        expect(expected, `${role} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
      }
    });
  }

  it("POST and DELETE members: admin and above; only an owner grants or removes owner; the last owner stays", async () => {
    const add = (role: Role, as_: Role, email: string) =>
      app.inject({
        method: "POST",
        url: `/api/v1/projects/${projectId}/members`,
        headers: as[as_],
        payload: { email, role, password: "correct horse battery" },
      });
    expect((await add("viewer", "member", "m1@matrix.test")).statusCode).toBe(403);
    expect((await add("viewer", "viewer", "m2@matrix.test")).statusCode).toBe(403);
    expect((await add("owner", "admin", "m3@matrix.test")).statusCode).toBe(403);
    const added = await add("viewer", "admin", "m4@matrix.test");
    expect(added.statusCode).toBe(201);
    const id = added.json().user_id;
    const del = (as_: Role, userId: string) =>
      app.inject({ method: "DELETE", url: `/api/v1/projects/${projectId}/members/${userId}`, headers: as[as_] });
    expect((await del("member", id)).statusCode).toBe(403);
    expect((await del("admin", id)).statusCode).toBe(204);
    const members = await app.inject({ url: `/api/v1/projects/${projectId}/members`, headers: as.owner });
    const ownerId = members.json().find((m: { role: string }) => m.role === "owner").user_id;
    expect((await del("admin", ownerId)).statusCode).toBe(403);
    expect((await del("owner", ownerId)).statusCode).toBe(409);
  });

  it("DELETE project: only the owner; a project API key acts with its role on its project only", async () => {
    const created = await app.inject({
      method: "POST",
      url: `/api/v1/projects/${projectId}/api-keys`,
      headers: as.owner,
      payload: { name: "deployer", role: "member" },
    });
    expect(created.statusCode).toBe(201);
    const key = created.json().key as string;
    expect(key).toMatch(/^aegis_pk_/);
    const listed = await app.inject({ url: `/api/v1/projects/${projectId}/api-keys`, headers: as.owner });
    expect(JSON.stringify(listed.json())).not.toContain(key);
    const asKey = { "x-api-key": key };
    expect((await app.inject({ url: "/api/v1/projects", headers: asKey })).json()).toHaveLength(1);
    expect((await app.inject({ method: "POST", url: "/api/v1/incidents/I/approve", headers: asKey })).statusCode).toBe(
      200,
    );
    expect(
      (await app.inject({ method: "DELETE", url: `/api/v1/projects/${projectId}`, headers: asKey })).statusCode,
    ).toBe(403);
    for (const role of ["admin", "member", "viewer"] as const) {
      const res = await app.inject({ method: "DELETE", url: `/api/v1/projects/${projectId}`, headers: as[role] });
      expect(res.statusCode, role).toBe(403);
    }
    const revoke = await app.inject({
      method: "DELETE",
      url: `/api/v1/projects/${projectId}/api-keys/${created.json().id}`,
      headers: as.admin,
    });
    expect(revoke.statusCode).toBe(204);
    expect((await app.inject({ url: "/api/v1/projects", headers: asKey })).statusCode).toBe(401);

    const spare = await app.inject({
      method: "POST",
      url: "/api/v1/projects",
      headers: as.owner,
      payload: { name: "Spare" },
    });
    const gone = await app.inject({ method: "DELETE", url: `/api/v1/projects/${spare.json().id}`, headers: as.owner });
    expect(gone.statusCode).toBe(204);
    expect((await app.inject({ url: `/api/v1/projects/${spare.json().id}`, headers: as.owner })).statusCode).toBe(404);
  });

  it("the bootstrap admin key still owns the default project", async () => {
    const res = await app.inject({ url: "/api/v1/projects", headers: AS_DEFAULT });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject([{ id: "default", role: "owner", tenant_id: null }]);
    const key = await app.inject({
      method: "POST",
      url: "/api/v1/projects/default/api-keys",
      headers: AS_DEFAULT,
      payload: { name: "default-ci", role: "viewer", expires_at: "2000-01-01T00:00:00Z" },
    });
    expect(key.statusCode).toBe(201);
    // Already expired: refused.
    expect((await app.inject({ url: "/api/v1/projects", headers: { "x-api-key": key.json().key } })).statusCode).toBe(
      401,
    );
  });
});
