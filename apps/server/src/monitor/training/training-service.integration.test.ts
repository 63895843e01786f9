import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MetricRecord } from "@aegis/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { ConflictError } from "../../shared/errors.js";
import type { Logger } from "../../shared/logger.js";
import { monitorTrainings } from "../../store/schema.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../../testing/test-databases.js";
import { DEFAULT_MODEL } from "../engine/model-params.js";
import { healthyValues, rng, syntheticRecord } from "../engine/synthetic-fleet.js";
import { MonitorHistoryStore } from "../history/monitor-history-store.js";
import type { MonitorModel } from "../monitor-types.js";
import { ModelRegistry } from "./model-registry.js";
import { type TrainingOptions, TrainingService } from "./training-service.js";

// The compiled training worker imports this plain-JS stand-in for the engine's fitModel.
const STAND_IN = new URL("./test-fixtures/stand-in-fit-model.mjs", import.meta.url).href;

const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {}, child: () => quiet };

const base = (params: Record<string, unknown>): MonitorModel => ({
  name: "default",
  version: 1,
  created: "2025-01-01T00:00:00Z",
  params,
});

function samples(n: number): MetricRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    timestamp: new Date(Date.UTC(2025, 0, 15, 8, i)).toISOString(),
    server_name: `srv${i % 3}`,
    status: "healthy",
    cpu_user_pct: 25.3,
    cpu_sys_pct: 8.2,
    cpu_iowait_pct: 2.1,
    cpu_idle_pct: 64.4,
    java_cpu_pct: 15.5,
    mem_used_pct: 72.1,
    swap_used_pct: 5.2,
    disk_usage_pct: 45.8,
    net_in_mb_s: 12.5,
    net_out_mb_s: 8.3,
    back_close_wait: 2,
    front_close_wait: 1,
    load_average: 2.5,
    uptime_days: 25,
  }));
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(testDatabaseKinds())("training service on %s", (kind) => {
  let t: TestDatabase;
  let dataDir: string;
  const services: TrainingService[] = [];
  afterEach(async () => {
    for (const s of services.splice(0)) await s.close();
    await t?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function setup(params: Record<string, unknown>, extra: Partial<TrainingOptions> = {}) {
    t = await freshDatabase(kind);
    dataDir = mkdtempSync(join(tmpdir(), "aegis-training-"));
    const history = new MonitorHistoryStore(t.database.db);
    await history.appendSamples(samples(30));
    const registry = new ModelRegistry(t.database.db, dataDir);
    const loaded: MonitorModel[] = [];
    const make = (more: Partial<TrainingOptions> = {}) => {
      const s = new TrainingService({
        db: t.database.db,
        history,
        registry,
        logger: quiet,
        baseModel: () => base(params),
        onModel: (m) => {
          loaded.push(m);
        },
        exclusive: t.database.exclusive,
        fitModule: STAND_IN,
        now: () => new Date("2025-01-15T10:30:00Z"),
        ...extra,
        ...more,
      });
      services.push(s);
      return s;
    };
    return { history, registry, loaded, make, service: make() };
  }

  it("trains in a worker: progress, a saved current model, the callback, one at a time, stats", async () => {
    const { registry, loaded, make, service } = await setup({ epochMs: 120 });
    expect(await service.trigger({ epochs: 4, incremental: false })).toEqual({
      training_id: "train_20250115_103000",
      epochs: 4,
      incremental: false,
    });
    await expect(service.trigger()).rejects.toBeInstanceOf(ConflictError);
    // Another server instance on the same database.
    await expect(make().trigger()).rejects.toBeInstanceOf(ConflictError);

    const mid = await until(
      () => service.status(),
      (s) => (s.progress?.epoch ?? 0) >= 1,
    );
    expect(mid).toMatchObject({ training_active: true, training_id: "train_20250115_103000", status: "running" });
    expect(mid.progress?.total_epochs).toBe(4);
    expect(mid.progress?.eta_minutes).toBeTypeOf("number");

    const done = await until(
      () => service.status(),
      (s) => !s.training_active,
    );
    expect(done).toMatchObject({
      status: "succeeded",
      progress: { epoch: 4, total_epochs: 4, percent: 100, eta_minutes: null },
      loss: 0.25,
      error: null,
      model_name: "argus_model_20250115_103000",
    });
    expect(loaded).toHaveLength(1);
    expect(loaded[0]).toMatchObject({ name: "argus_model_20250115_103000", version: 2 });
    expect(loaded[0]?.params).toMatchObject({ samples: 30, incremental: false, first: samples(1)[0] });
    expect((await registry.list()).current_model).toBe("argus_model_20250115_103000");
    expect((await registry.load()).model).toEqual(loaded[0]);

    // Same second: a distinct id.
    expect((await service.trigger({ epochs: 1 })).training_id).toBe("train_20250115_103000_2");
    await until(
      () => service.status(),
      (s) => !s.training_active,
    );
    expect(await service.stats()).toEqual({
      last_training: "2025-01-15T10:30:00.000Z",
      total_trainings: 2,
      avg_training_time_minutes: 0,
      models_produced: 2,
    });
  });

  it("cancels a running training without producing a model", async () => {
    const { registry, loaded, service } = await setup({ epochMs: 50 });
    expect(await service.cancel()).toEqual({ success: false, message: "No training is running" });
    await service.trigger({ epochs: 1000 });
    await until(
      () => service.status(),
      (s) => (s.progress?.epoch ?? 0) >= 2,
    );
    expect(await service.cancel()).toEqual({ success: true, message: "Training cancelled" });
    expect(await service.status()).toMatchObject({ training_active: false, status: "cancelled", model_name: null });
    expect(loaded).toEqual([]);
    expect((await registry.list()).models).toEqual([]);
    expect(await service.stats()).toMatchObject({ total_trainings: 1, models_produced: 0 });
  });

  it("records a failing fit and a training without samples as failed", async () => {
    const { history, service } = await setup({ fail: "diverged" });
    await service.trigger({ epochs: 3 });
    expect(
      await until(
        () => service.status(),
        (s) => !s.training_active,
      ),
    ).toMatchObject({ status: "failed", error: "diverged", progress: { epoch: 1 } });
    await history.prune(new Date("2100-01-01T00:00:00Z"));
    await service.trigger({ epochs: 3 });
    expect(
      await until(
        () => service.status(),
        (s) => !s.training_active,
      ),
    ).toMatchObject({ status: "failed", error: "no stored metric samples to train on" });
  });

  it("marks trainings left running by a crash as failed at start-up, and reaps dead ones of other instances", async () => {
    const { make } = await setup({});
    const row = (id: string, heartbeatAt: Date) => ({
      projectId: "default",
      trainingId: id,
      startedAt: heartbeatAt,
      heartbeatAt,
      status: "running",
      epochs: 10,
      incremental: true,
    });
    const now = new Date("2025-01-15T10:30:00Z");
    await t.database.db.insert(monitorTrainings).values(row("train_crashed", now));
    // Shared database: a fresh heartbeat may be another live instance's.
    expect(await make({ exclusive: false }).recover()).toBe(0);
    expect(await make({ exclusive: true }).recover()).toBe(1);
    const restarted = make();
    expect(await restarted.status()).toMatchObject({
      training_active: false,
      training_id: "train_crashed",
      status: "failed",
      error: "interrupted: the server stopped during training",
    });
    // A silent row of another instance does not block a new training forever.
    await t.database.db.insert(monitorTrainings).values(row("train_silent", new Date(now.getTime() - 3_600_000)));
    const shared = make({ exclusive: false });
    expect((await shared.trigger({ epochs: 1 })).training_id).toBe("train_20250115_103000");
    await until(
      () => shared.status(),
      (s) => !s.training_active,
    );
    expect(await shared.stats()).toMatchObject({ total_trainings: 3, models_produced: 1 });
  });

  it("trains with the engine's fitModel by default", async () => {
    const { history, registry, loaded, make } = await setup({});
    const rand = rng(7);
    const start = Date.UTC(2025, 0, 14, 0, 0);
    const records: MetricRecord[] = [];
    for (let i = 0; i < 288; i++) {
      const ms = start + i * 5 * 60_000;
      for (const name of ["web01", "web02", "ppdb001"])
        records.push(syntheticRecord(name, ms, healthyValues(ms, rand)));
    }
    await history.appendSamples(records);
    const engine = make({ fitModule: undefined, baseModel: () => DEFAULT_MODEL });
    await engine.trigger({ epochs: 2 });
    const done = await until(
      () => engine.status(),
      (s) => !s.training_active,
    );
    expect(done).toMatchObject({ status: "succeeded", progress: { epoch: 2, total_epochs: 2 }, error: null });
    expect(done.loss).toBeGreaterThan(0);
    expect(loaded[0]).toMatchObject({ name: done.model_name, version: DEFAULT_MODEL.version + 1 });
    expect((await registry.load()).model.params).toEqual(loaded[0]?.params);
  });
});
