import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { DeployHistory } from "./deploy-history.js";

it("records deploys per target, survives a reopen, and a rollback's target becomes current", () => {
  const dir = mkdtempSync(join(tmpdir(), "aegis-deploys-"));
  try {
    const file = join(dir, "docker", "deploys.json");
    const h = new DeployHistory(file);
    h.seed("app", ["app:v1", "app:v2"]);
    h.seed("app", ["ignored"]);
    h.record("app", "app:v2");
    expect(h.of("app")).toEqual(["app:v1", "app:v2"]);
    expect(h.previous("app")).toBe("app:v1");
    // Rolling back to v1 records it as current: the next rollback returns to v2.
    h.record("app", "app:v1");
    const reopened = new DeployHistory(file);
    expect(reopened.of("app")).toEqual(["app:v2", "app:v1"]);
    expect(reopened.previous("app")).toBe("app:v2");
    expect(reopened.previous("other")).toBeUndefined();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
