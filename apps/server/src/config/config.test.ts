import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, configTableMarkdown, loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("applies the seed's defaults", () => {
    const c = loadConfig({});
    expect(c.AEGIS_HOST).toBe("127.0.0.1");
    expect(c.AEGIS_PORT).toBe(8001);
    expect(c.DEMO_APP_PORT).toBe(8000);
    expect(c.AEGIS_LB_PORT).toBe(8080);
    expect(c.LOG_TRUNCATE_CHARS).toBe(8000);
    expect(c.HEALTH_TIMEOUT_SECS).toBe(5);
    expect(c.METRICS_INTERVAL_SECS).toBe(3);
    expect(c.MAX_REPLICAS).toBe(5);
    expect(c.AEGIS_EXECUTOR).toBe("local");
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it("names every bad variable", () => {
    try {
      loadConfig({ AEGIS_PORT: "http", MAX_REPLICAS: "-1", DATABASE_URL: "mysql://x" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const vars = (e as ConfigError).problems.map((p) => p.variable).sort();
      expect(vars).toEqual(["AEGIS_PORT", "DATABASE_URL", "MAX_REPLICAS"]);
      expect((e as Error).message).toContain("AEGIS_PORT");
    }
  });

  it("coerces numbers and treats empty as unset", () => {
    const c = loadConfig({ AEGIS_PORT: "9001", AEGIS_API_KEY: "" });
    expect(c.AEGIS_PORT).toBe(9001);
    expect(c.AEGIS_API_KEY).toBeUndefined();
  });

  it("is documented in the README table", () => {
    const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");
    expect(readme).toContain(configTableMarkdown());
  });
});
