import type { ProjectSettings } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import type { Database } from "../store/database.js";
import type { SettingsStore } from "../store/settings-store.js";
import { SettingsService } from "./settings-service.js";

/** The service over an in-memory store: the merge rules and what the pipeline and escalation read from it. */
function service() {
  const saved = new Map<string, ProjectSettings>();
  const store = {
    get: async (_db: unknown, projectId: string) => saved.get(projectId),
    put: async (_db: unknown, projectId: string, s: ProjectSettings) => {
      saved.set(projectId, structuredClone(s));
    },
  } as unknown as SettingsStore;
  const database = { db: { transaction: (f: (tx: unknown) => unknown) => f({}) } } as unknown as Database;
  return new SettingsService(database, store);
}

describe("SettingsService", () => {
  it("resolves the automation mode per action over the project's mode", async () => {
    const s = service();
    expect(await s.modeFor("p", "RESTART")).toBe("auto");
    await s.update("p", "u", { automation: { mode: "suggest", per_action: { RESTART: "approve" } } });
    expect(await s.modeFor("p", "RESTART")).toBe("approve");
    expect(await s.modeFor("p", "ROLLBACK")).toBe("suggest");
    expect(await s.modeFor("other", "ROLLBACK")).toBe("auto");
  });

  it("merges a section's fields over the current ones and leaves other sections alone", async () => {
    const s = service();
    await s.update("p", "u", { automation: { mode: "approve" }, general: { organization_name: "Acme" } });
    const next = await s.update("p", "u", { general: { public_url: "https://ops.example.com" } });
    expect(next.general).toEqual({
      organization_name: "Acme",
      time_zone: "UTC",
      public_url: "https://ops.example.com",
    });
    expect(next.automation).toEqual({ mode: "approve", per_action: {} });
    expect(await s.publicUrl("p")).toBe("https://ops.example.com");
  });

  it("routes an event to its own channels, else the default ones, and to none when notifications are off", async () => {
    const s = service();
    await s.update("p", "u", {
      notifications: { default_channels: ["slack-ops"], routes: { approval_requested: ["teams-leads"] } },
    });
    expect(await s.channelsFor("p", "approval_requested")).toEqual(["teams-leads"]);
    expect(await s.channelsFor("p", "escalation_page")).toEqual(["slack-ops"]);
    await s.update("p", "u", { notifications: { enabled: false } });
    expect(await s.channelsFor("p", "escalation_page")).toEqual([]);
  });
});
