import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareEnv, startInProcess, TEST_KEY } from "../testing/test-server.js";

/** Seed 002 accounts over real HTTP against the whole server (cookies as a browser sends them). */

let url: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  const te = await prepareEnv();
  const started = await startInProcess(te);
  url = started.server.url;
  stop = started.stop;
});
afterAll(async () => stop?.());

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
const cookieHeader = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

describe("accounts over HTTP", () => {
  it("register → login → me → refresh rotation → reuse revokes the family → logout", async () => {
    const register = await fetch(
      `${url}/api/v1/auth/register`,
      json({ email: "it@example.com", password: "integration-pass", full_name: "Int Test", tenant_name: "Int Co" }),
    );
    expect(register.status).toBe(200);

    const login = await fetch(
      `${url}/api/v1/auth/login`,
      json({ email: "it@example.com", password: "integration-pass" }),
    );
    expect(login.status).toBe(200);
    const session = cookieHeader(login);
    expect(session).toMatch(/access_token=.+; refresh_token=.+/);

    const me = await fetch(`${url}/api/v1/auth/me`, { headers: { cookie: session } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      user: { email: "it@example.com", role: "owner" },
      tenant: { name: "Int Co" },
    });

    const first = await fetch(`${url}/api/v1/auth/refresh`, { method: "POST", headers: { cookie: session } });
    expect(first.status).toBe(200);
    const rotated = cookieHeader(first);
    const { access_token } = (await first.json()) as { access_token: string };

    const reuse = await fetch(`${url}/api/v1/auth/refresh`, { method: "POST", headers: { cookie: session } });
    expect(reuse.status).toBe(401);
    const afterReuse = await fetch(`${url}/api/v1/auth/refresh`, { method: "POST", headers: { cookie: rotated } });
    expect(afterReuse.status).toBe(401);
    const meAfter = await fetch(`${url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(meAfter.status).toBe(401);

    const again = await fetch(
      `${url}/api/v1/auth/login`,
      json({ email: "it@example.com", password: "integration-pass" }),
    );
    const fresh = cookieHeader(again);
    const out = await fetch(`${url}/api/v1/auth/logout`, { method: "POST", headers: { cookie: fresh } });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().join()).toMatch(/access_token=;/);
    expect((await fetch(`${url}/api/v1/auth/me`, { headers: { cookie: fresh } })).status).toBe(401);
  });

  it("the bootstrap key keeps working and a project key acts on its project only", async () => {
    const seed000 = await fetch(`${url}/incidents`, { headers: { "x-api-key": TEST_KEY } });
    expect(seed000.status).toBe(200);
    const key = await fetch(
      `${url}/api/v1/projects/default/api-keys`,
      json({ name: "it-viewer", role: "viewer" }, { "x-api-key": TEST_KEY }),
    );
    expect(key.status).toBe(201);
    const { key: secret } = (await key.json()) as { key: string };
    const projects = await fetch(`${url}/api/v1/projects`, { headers: { authorization: `Bearer ${secret}` } });
    expect(await projects.json()).toMatchObject([{ id: "default", role: "viewer" }]);
    const approve = await fetch(`${url}/api/v1/incidents/none/approve`, {
      method: "POST",
      headers: { "x-api-key": secret },
    });
    expect(approve.status).toBe(403);
  });
});
