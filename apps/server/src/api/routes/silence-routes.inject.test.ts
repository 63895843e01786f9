import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Authenticator, Identity } from "../../ports/identity.js";
import { fake, injectApp } from "../test-inject-app.js";

const as = (role: Identity["principal"]["role"]): Identity => ({
  principal: { kind: "user", id: `u-${role}`, displayName: role, role },
  projectId: "p1",
});
const auth: Authenticator = { authenticate: async (k) => (k.startsWith("role-") ? as(k.slice(5) as "viewer") : null) };
const body = {
  matchers: [{ name: "service", value: "checkout" }],
  startsAt: "2026-12-06T00:00:00Z",
  endsAt: "2099-01-01T00:00:00Z",
};

describe("silence and maintenance-window routes", () => {
  const created: unknown[] = [];
  let app: Awaited<ReturnType<typeof injectApp>>;
  beforeAll(async () => {
    app = await injectApp({
      authenticator: auth,
      silences: fake("silences", {
        create: async (projectId, by, kind, b) => {
          created.push({ projectId, by: by.id, kind, b });
          return {
            id: "s1",
            kind,
            name: null,
            matchers: b.matchers,
            startsAt: b.startsAt,
            endsAt: b.endsAt,
            comment: b.comment,
            createdBy: by.displayName,
            createdAt: b.startsAt,
            updatedAt: b.startsAt,
            status: { state: "active" as const },
            suppressed: 0,
          };
        },
        list: async () => [],
      }),
    });
  });
  afterAll(async () => app.close());

  it("a viewer reads but cannot create; a member creates, attributed, in the caller's project", async () => {
    const viewer = { "x-api-key": "role-viewer" };
    expect((await app.inject({ method: "GET", url: "/api/v1/silences", headers: viewer })).statusCode).toBe(200);
    const refused = await app.inject({ method: "POST", url: "/api/v1/silences", headers: viewer, payload: body });
    expect(refused.statusCode).toBe(403);
    const ok = await app.inject({
      method: "POST",
      url: "/api/v1/silences",
      headers: { "x-api-key": "role-member" },
      payload: body,
    });
    expect(ok.statusCode).toBe(201);
    expect(created).toEqual([
      {
        projectId: "p1",
        by: "u-member",
        kind: "silence",
        b: { ...body, matchers: [{ ...body.matchers[0], isRegex: false, isEqual: true }], comment: "" },
      },
    ]);
  });

  it("bad input is a 422 naming the field; a maintenance window needs a name", async () => {
    const h = { "x-api-key": "role-admin" };
    const noMatchers = await app.inject({
      method: "POST",
      url: "/api/v1/silences",
      headers: h,
      payload: { ...body, matchers: [] },
    });
    expect(noMatchers.statusCode).toBe(422);
    expect(noMatchers.body).toContain("matchers");
    const noName = await app.inject({ method: "POST", url: "/api/v1/maintenance-windows", headers: h, payload: body });
    expect(noName.statusCode).toBe(422);
    expect(noName.body).toContain("name");
    const badDate = await app.inject({
      method: "POST",
      url: "/api/v1/silences",
      headers: h,
      payload: { ...body, endsAt: "tomorrow" },
    });
    expect(badDate.statusCode).toBe(422);
    expect(badDate.body).toContain("endsAt");
  });
});
