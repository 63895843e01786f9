import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { AS_DEFAULT, injectApp, KEY, KEY_P2 } from "../test-inject-app.js";

/** `/openapi.json` and `/redoc` in-process: keyed, and a browser may carry the key as `?token=`. */

let app: FastifyInstance;
afterEach(() => app?.close());

describe("docs routes (inject)", () => {
  it("serves the OpenAPI document with a header key or a ?token=", async () => {
    app = await injectApp();
    const header = await app.inject({ url: "/openapi.json", headers: AS_DEFAULT });
    expect(header.statusCode).toBe(200);
    expect(header.json().paths["/webhook"]).toBeDefined();
    const token = await app.inject({ url: `/openapi.json?token=${KEY_P2}` });
    expect(token.statusCode).toBe(200);
  });

  it("ReDoc carries the token on to the spec and the script", async () => {
    app = await injectApp();
    const res = await app.inject({ url: `/redoc?token=${KEY}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`/openapi.json?token=${KEY}`);
    expect(res.body).toContain(`/redoc/redoc.standalone.js?token=${KEY}`);
  });

  it("refuses without a key, with a wrong token, and a token on a non-GET (401)", async () => {
    app = await injectApp();
    expect((await app.inject({ url: "/openapi.json" })).statusCode).toBe(401);
    const wrong = await app.inject({ url: "/redoc?token=nope" });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toBe("invalid API key");
    expect((await app.inject({ method: "POST", url: `/openapi.json?token=${KEY}` })).statusCode).toBe(401);
  });
});
