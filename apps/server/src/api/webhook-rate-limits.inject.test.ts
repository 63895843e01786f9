import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.js";
import { AS_DEFAULT, AS_P2, fake, injectApp } from "./test-inject-app.js";

const TOKENS: Record<string, string> = { "tok-aaaaaaaa": "default", "tok-bbbbbbbb": "default" };

let app: FastifyInstance | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

/**
 * Seed 003: "Webhooks: 10000 requests per hour" (here 2), per source: each alert-source intake token has
 * its own hourly budget even when every sender shares one address, and each key posting to
 * `/webhook/pagerduty` has its own. Counted before the body is read (a flood of bad bodies counts too).
 */
describe("webhook budget per source", () => {
  it("limits each intake token on its own, not the address they share; the excess is 429 with Retry-After", async () => {
    app = await injectApp({
      config: loadConfig({ AEGIS_ONCALL_WEBHOOKS_PER_HOUR: "2" }),
      alertIntake: fake("alertIntake", {
        projectOfToken: async (_source: string, token: string) => TOKENS[token] ?? null,
      }),
    });
    const post = (token: string) =>
      app?.inject({ method: "POST", url: `/api/v1/alert-sources/alertmanager/${token}`, payload: {} });
    for (let i = 0; i < 2; i++) expect((await post("tok-aaaaaaaa"))?.statusCode).toBe(422);
    const over = await post("tok-aaaaaaaa");
    expect(over?.statusCode).toBe(429);
    expect(Number(over?.headers["retry-after"])).toBeGreaterThan(3500);
    expect(over?.headers["x-ratelimit-limit"]).toBe("2");
    expect(over?.json()).toMatchObject({ error: expect.stringContaining("Rate limit exceeded") });
    // Same address, another source: its own budget.
    expect((await post("tok-bbbbbbbb"))?.statusCode).toBe(422);
    // The other alert-source routes (the API, not deliveries) are not on the webhook budget.
    const list = await app.inject({
      method: "PUT",
      url: "/api/v1/alert-sources/grafana",
      headers: AS_DEFAULT,
      payload: 1,
    });
    expect(list.statusCode).not.toBe(429);
    expect(list.headers["x-ratelimit-limit"]).toBeUndefined();
  });

  it("limits each key posting to /webhook/pagerduty on its own", async () => {
    app = await injectApp({ config: loadConfig({ AEGIS_ONCALL_WEBHOOKS_PER_HOUR: "2" }) });
    const post = (headers: Record<string, string>) =>
      app?.inject({ method: "POST", url: "/webhook/pagerduty", headers, payload: "not json" });
    for (let i = 0; i < 2; i++) expect((await post(AS_DEFAULT))?.statusCode).not.toBe(429);
    const over = await post(AS_DEFAULT);
    expect(over?.statusCode).toBe(429);
    expect(over?.json()).toMatchObject({ success: false });
    expect((await post(AS_P2))?.statusCode).not.toBe(429);
  });
});
