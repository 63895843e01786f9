import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    expect(loadConfig({})).toEqual({
      port: 8000,
      host: "0.0.0.0",
      appName: "buggy-app-v2",
      appVersion: "v2",
      badVersion: null,
      watchdogUrl: null,
      watchdogApiKey: null,
      watchdogMemoryMb: 200,
      watchdogIntervalMs: 500,
      watchdogSustain: 3,
      dbLatencyMs: 5000,
      supervisorPid: null,
    });
  });

  it("reads overrides", () => {
    const config = loadConfig({
      PORT: "9001",
      APP_VERSION: "v1",
      BAD_VERSION: "v2",
      WATCHDOG_URL: "http://127.0.0.1:8001/webhook",
      WATCHDOG_API_KEY: "k",
      WATCHDOG_MEMORY_MB: "64",
      AEGIS_SUPERVISOR_PID: "42",
    });
    expect(config).toMatchObject({
      port: 9001,
      appVersion: "v1",
      badVersion: "v2",
      watchdogUrl: "http://127.0.0.1:8001/webhook",
      watchdogApiKey: "k",
      watchdogMemoryMb: 64,
      supervisorPid: 42,
    });
  });

  it("rejects malformed values with the variable name", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/PORT must be an integer/);
    expect(() => loadConfig({ WATCHDOG_MEMORY_MB: "0" })).toThrow(/WATCHDOG_MEMORY_MB/);
    expect(() => loadConfig({ WATCHDOG_URL: "not a url" })).toThrow(/WATCHDOG_URL/);
    expect(() => loadConfig({ WATCHDOG_URL: "ftp://x/y" })).toThrow(/http\(s\)/);
  });
});
