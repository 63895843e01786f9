import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../../testing/test-databases.js";
import { accountsApp, bearer, registerUser } from "../test-accounts-app.js";
import { AS_DEFAULT } from "../test-inject-app.js";

/** Seed 002 /auth over real accounts (PGlite, and PostgreSQL when TEST_DATABASE_URL is set). */

/** `name=value` of each Set-Cookie, for sending them back. */
function cookies(res: { headers: Record<string, unknown> }): Record<string, string> {
  const raw = res.headers["set-cookie"];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return Object.fromEntries(list.map((c: string) => (c.split(";")[0] ?? "").split("=") as [string, string]));
}

describe.each(testDatabaseKinds())("auth routes on %s", (kind) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    app = await accountsApp(db.database);
  });
  afterAll(async () => {
    await app?.close();
    await db?.cleanup();
  });

  it("register answers the seed's body, sets both httpOnly cookies, and creates a first owned project", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/auth/register",
      payload: {
        email: "John@Example.com",
        password: "securepassword123",
        full_name: "John Doe",
        tenant_name: "Acme Corporation",
      },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      user: { email: "john@example.com", full_name: "John Doe", tenant_id: body.tenant.id },
      tenant: { name: "Acme Corporation", slug: "acme-corporation" },
      token_type: "bearer",
    });
    expect(body.access_token).toMatch(/^eyJ/);
    const setCookie = String(res.headers["set-cookie"]);
    expect(setCookie).toMatch(/access_token=.*HttpOnly/);
    expect(setCookie).toMatch(/refresh_token=.*HttpOnly/);
    expect(setCookie).toMatch(/Max-Age=900/);
    expect(setCookie).toMatch(/Max-Age=604800/);

    const again = await app.inject({
      method: "POST",
      url: "/api/v1/auth/register",
      payload: { email: "john@example.com", password: "another-password", full_name: "J", tenant_name: "Other" },
    });
    expect(again.statusCode).toBe(409);
  });

  it("login answers the seed's body; the access_token cookie alone authenticates /auth/me", async () => {
    await registerUser(app, "ann@example.com", "Ann Co");
    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "ann@example.com", password: "correct horse battery" },
    });
    expect(login.statusCode).toBe(200);
    const body = login.json();
    expect(body.user).toMatchObject({ email: "ann@example.com", role: "owner" });
    expect(body.projects).toEqual([{ id: body.user.project_id, name: "Production", role: "owner" }]);
    const me = await app.inject({
      url: "/api/v1/auth/me",
      cookies: { access_token: cookies(login).access_token ?? "" },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { email: "ann@example.com" }, tenant: { name: "Ann Co" } });
  });

  it("refresh rotates; reusing a spent refresh token revokes the whole session; logout revokes", async () => {
    const u = await registerUser(app, "rot@example.com");
    const first = await app.inject({
      method: "POST",
      url: "/api/v1/auth/refresh",
      cookies: { refresh_token: u.refreshToken },
    });
    expect(first.statusCode).toBe(200);
    const next = first.json().refresh_token as string;
    expect(next).not.toBe(u.refreshToken);
    expect(cookies(first).refresh_token).toBe(next);

    const reuse = await app.inject({
      method: "POST",
      url: "/api/v1/auth/refresh",
      payload: { refresh_token: u.refreshToken },
    });
    expect(reuse.statusCode).toBe(401);
    // The family is revoked: the newest token and every access token of the session stop working.
    const afterReuse = await app.inject({
      method: "POST",
      url: "/api/v1/auth/refresh",
      payload: { refresh_token: next },
    });
    expect(afterReuse.statusCode).toBe(401);
    expect((await app.inject({ url: "/api/v1/auth/me", headers: bearer(first.json().access_token) })).statusCode).toBe(
      401,
    );

    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "rot@example.com", password: "correct horse battery" },
    });
    const headers = bearer(login.json().access_token);
    const out = await app.inject({ method: "POST", url: "/api/v1/auth/logout", headers });
    expect(out.statusCode).toBe(200);
    expect((await app.inject({ url: "/api/v1/auth/me", headers })).statusCode).toBe(401);
    const refreshAfter = await app.inject({
      method: "POST",
      url: "/api/v1/auth/refresh",
      payload: { refresh_token: login.json().refresh_token },
    });
    expect(refreshAfter.statusCode).toBe(401);
  });

  it("switch-project acts on another of the user's projects; a foreign project is 404", async () => {
    const u = await registerUser(app, "sw@example.com");
    const other = await registerUser(app, "sw-other@example.com");
    const created = await app.inject({
      method: "POST",
      url: "/api/v1/projects",
      headers: u.headers,
      payload: { name: "Staging" },
    });
    expect(created.statusCode).toBe(201);
    const sw = await app.inject({
      method: "POST",
      url: "/api/v1/auth/switch-project",
      headers: u.headers,
      payload: { project_id: created.json().id },
    });
    expect(sw.statusCode).toBe(200);
    expect(sw.json().project).toEqual({ id: created.json().id, name: "Staging", role: "owner" });
    const me = await app.inject({ url: "/api/v1/auth/me", headers: bearer(sw.json().access_token) });
    expect(me.json().user.project_id).toBe(created.json().id);
    // The session's refresh token now lands in the switched-to project.
    const refreshed = await app.inject({
      method: "POST",
      url: "/api/v1/auth/refresh",
      payload: { refresh_token: u.refreshToken },
    });
    const me2 = await app.inject({ url: "/api/v1/auth/me", headers: bearer(refreshed.json().access_token) });
    expect(me2.json().user.project_id).toBe(created.json().id);

    const foreign = await app.inject({
      method: "POST",
      url: "/api/v1/auth/switch-project",
      headers: u.headers,
      payload: { project_id: other.projectId },
    });
    expect(foreign.statusCode).toBe(404);
  });

  it("ws-token gives a short-lived token that authenticates; API keys cannot use user-only endpoints", async () => {
    const u = await registerUser(app, "ws@example.com");
    const ws = await app.inject({ url: "/api/v1/auth/ws-token", headers: u.headers });
    expect(ws.statusCode).toBe(200);
    expect(ws.json().expires_in).toBe(60);
    const viaToken = await app.inject({ url: "/api/v1/projects", headers: bearer(ws.json().token) });
    expect(viaToken.statusCode).toBe(200);
    expect((await app.inject({ url: "/api/v1/auth/me", headers: AS_DEFAULT })).statusCode).toBe(403);
  });

  it("wrong passwords are 401, then 429 with retry_after once the account is throttled", async () => {
    await registerUser(app, "bf@example.com");
    const attempt = (password: string) =>
      app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: "bf@example.com", password } });
    for (let i = 0; i < 5; i++) expect((await attempt("wrong-password")).statusCode).toBe(401);
    const held = await attempt("correct horse battery");
    expect(held.statusCode).toBe(429);
    expect(held.json().retry_after).toBeGreaterThan(0);
    expect(held.headers["retry-after"]).toBe(String(held.json().retry_after));
    const unknown = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "nobody@example.com", password: "x" },
    });
    expect(unknown.statusCode).toBe(401);
  });

  it("an unauthenticated request to a protected account route is 401; register validates its body (422)", async () => {
    expect((await app.inject({ url: "/api/v1/projects" })).statusCode).toBe(401);
    const bad = await app.inject({
      method: "POST",
      url: "/api/v1/auth/register",
      payload: { email: "not-an-email", password: "short" },
    });
    expect(bad.statusCode).toBe(422);
  });
});
