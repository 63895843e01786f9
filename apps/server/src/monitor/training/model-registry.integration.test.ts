import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConflictError, InputError, NotFoundError } from "../../shared/errors.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../../testing/test-databases.js";
import type { MonitorModel } from "../monitor-types.js";
import { ModelRegistry } from "./model-registry.js";

const model = (name: string, created: string): MonitorModel => ({
  name,
  version: 2,
  created,
  params: { thresholds: { cpu: 90 }, note: "x".repeat(30_000) },
});

describe.each(testDatabaseKinds())("model registry on %s", (kind) => {
  let t: TestDatabase;
  let dataDir: string;
  afterEach(async () => {
    await t?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("saves files, lists the seed shape, keeps one current model, loads the latest and confines paths", async () => {
    t = await freshDatabase(kind);
    dataDir = mkdtempSync(join(tmpdir(), "aegis-models-"));
    const r = new ModelRegistry(t.database.db, dataDir);
    await expect(r.load()).rejects.toBeInstanceOf(NotFoundError);
    expect(await r.list()).toEqual({ models: [], current_model: null });

    await r.save(model("argus_model_a", "2025-01-15T08:00:00Z"), { loss: 0.5 });
    await r.save(model("argus_model_b", "2025-01-15T09:00:00"));
    await expect(r.save(model("argus_model_b", "2025-01-15T10:00:00Z"))).rejects.toBeInstanceOf(ConflictError);
    await expect(r.save(model("../escape", "2025-01-15T10:00:00Z"))).rejects.toBeInstanceOf(InputError);

    await r.markCurrent("argus_model_a");
    await r.markCurrent("argus_model_b");
    await expect(r.markCurrent("nope")).rejects.toBeInstanceOf(NotFoundError);
    const list = await r.list();
    expect(list.current_model).toBe("argus_model_b");
    expect(list.models).toEqual([
      {
        name: "argus_model_b",
        path: "models/argus_model_b.json",
        created: "2025-01-15T09:00:00.000Z",
        size_mb: 0.03,
        is_current: true,
      },
      {
        name: "argus_model_a",
        path: "models/argus_model_a.json",
        created: "2025-01-15T08:00:00.000Z",
        size_mb: 0.03,
        is_current: false,
      },
    ]);

    expect((await r.load()).model.name).toBe("argus_model_b");
    expect(await r.load("models/argus_model_a.json")).toEqual({
      model: model("argus_model_a", "2025-01-15T08:00:00Z"),
      path: "models/argus_model_a.json",
    });
    expect((await r.load("models/argus_model_a")).model.name).toBe("argus_model_a");
    expect((await r.load("argus_model_a")).model.name).toBe("argus_model_a");
    expect((await r.load(join(dataDir, "models", "argus_model_a.json"))).model.name).toBe("argus_model_a");
    await expect(r.load("models/unknown.json")).rejects.toBeInstanceOf(NotFoundError);

    writeFileSync(join(dataDir, "secret.json"), JSON.stringify(model("secret", "2025-01-01T00:00:00Z")));
    mkdirSync(join(dataDir, "models", "sub"));
    for (const bad of [
      "../secret.json",
      "models/../secret.json",
      "models/../../etc/passwd",
      "/etc/passwd",
      join(dataDir, "secret.json"),
      "models/sub/x.json",
      "..",
      "",
    ]) {
      await expect(r.load(bad), bad).rejects.toBeInstanceOf(InputError);
    }
    // A link inside the directory that points out of it.
    symlinkSync(join(dataDir, "secret.json"), join(dataDir, "models", "link.json"));
    await expect(r.load("models/link.json")).rejects.toBeInstanceOf(InputError);
    writeFileSync(join(dataDir, "models", "junk.json"), "{not json");
    await expect(r.load("models/junk.json")).rejects.toBeInstanceOf(InputError);
  });
});
