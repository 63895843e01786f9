import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { TrainingState, TrainingStats, TrainingStatus, TriggerResult } from "@aegis/contracts";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { ConflictError, InputError } from "../../shared/errors.js";
import type { Logger } from "../../shared/logger.js";
import type { Db } from "../../store/database.js";
import { DEFAULT_PROJECT_ID } from "../../store/database.js";
import { rowsOf } from "../../store/rows-of.js";
import { monitorTrainings } from "../../store/schema.js";
import type { MonitorHistoryStore } from "../history/monitor-history-store.js";
import type { MonitorModel } from "../monitor-types.js";
import type { ModelRegistry } from "./model-registry.js";
import { chunkBuffers, encodeSamples } from "./sample-columns.js";
import type { FromWorker, ToWorker, TrainingWorkerData } from "./training-worker.js";

export interface TrainingOptions {
  db: Db;
  history: MonitorHistoryStore;
  registry: ModelRegistry;
  logger: Logger;
  /** The engine's current model: the starting point of an incremental fit (the engine decides what non-incremental keeps). */
  baseModel: () => MonitorModel;
  /** Called with each produced model, after it is saved (the wiring hot-reloads the engine); it is marked current once this resolves. */
  onModel: (model: MonitorModel) => void | Promise<void>;
  projectId?: string;
  /** True when no other server shares the database (embedded PGlite): every `running` row at start-up is then a crash's. */
  exclusive: boolean;
  /** file: URL of the module exporting `fitModel`; default the engine's `monitor/engine/fit-model.js`. */
  fitModule?: string;
  /** Newest stored samples a training reads (default 500 000). */
  maxSamples?: number;
  /** How often a running training proves it is alive (default 30 s); a row silent for 4× that is taken for dead. */
  heartbeatMs?: number;
  now?: () => Date;
}

const MAX_EPOCHS = 1_000;
const PROGRESS_WRITE_MS = 1_000;

/** One training in this process. */
class Run {
  /** Empty until the row is inserted. */
  id = "";
  worker: Worker | null = null;
  phase: "loading" | "fitting" | "saving" = "loading";
  epoch = 0;
  loss: number | null = null;
  fitStartedMs = 0;
  lastEpochMs = 0;
  cancelled: { status: TrainingState; reason: string } | null = null;
  /** Settles when the run has finished and its row is final. */
  settled: Promise<void> = Promise.resolve();
  constructor(
    readonly epochs: number,
    readonly incremental: boolean,
  ) {}
}

/**
 * Retrains the monitor model in a worker thread, one training at a time per project (across
 * server instances: a partial unique index on running rows). Trainings are rows, so status and
 * statistics survive restarts; a run that a crash interrupted is marked failed by `recover()`.
 */
export class TrainingService {
  private readonly projectId: string;
  private readonly now: () => Date;
  private readonly heartbeatMs: number;
  private run: Run | null = null;

  constructor(private readonly o: TrainingOptions) {
    this.projectId = o.projectId ?? DEFAULT_PROJECT_ID;
    this.now = o.now ?? (() => new Date());
    this.heartbeatMs = o.heartbeatMs ?? 30_000;
  }

  /** Call once at start-up: fail trainings left `running` by a crash. */
  async recover(): Promise<number> {
    return this.failDead(this.o.exclusive);
  }

  /** Start a training; it runs in the background. ConflictError while one is running. */
  async trigger(opts: { epochs?: number; incremental?: boolean } = {}): Promise<TriggerResult> {
    const epochs = opts.epochs ?? 10;
    const incremental = opts.incremental ?? true;
    if (!Number.isInteger(epochs) || epochs < 1 || epochs > MAX_EPOCHS) {
      throw new InputError(`epochs must be an integer from 1 to ${MAX_EPOCHS}`, "invalid_epochs");
    }
    if (this.run) throw new ConflictError(`a training is already running${this.run.id ? ` (${this.run.id})` : ""}`);
    // Claimed before the first await so a concurrent trigger sees it.
    const run = new Run(epochs, incremental);
    this.run = run;
    try {
      await this.failDead(false);
      run.id = await this.insertRow(epochs, incremental);
    } catch (err) {
      this.run = null;
      throw err;
    }
    run.settled = this.execute(run);
    return { training_id: run.id, epochs, incremental };
  }

  /** Stop the running training; it produces no model. */
  async cancel(): Promise<{ success: boolean; message: string }> {
    const run = this.run;
    if (!run?.id) return { success: false, message: "No training is running" };
    if (run.phase === "saving")
      return { success: false, message: `Training ${run.id} has finished; its model is being saved` };
    this.abort(run, "cancelled", "cancelled by request");
    await run.settled;
    return { success: true, message: "Training cancelled" };
  }

  /** This process's training, or else the latest row (which may be running on another server instance). */
  async status(): Promise<TrainingStatus> {
    const run = this.run;
    if (run?.id) {
      const elapsed = run.lastEpochMs - run.fitStartedMs;
      const eta = run.epoch > 0 ? (elapsed / run.epoch) * (run.epochs - run.epoch) : null;
      return {
        training_active: true,
        training_id: run.id,
        progress: progress(run.epoch, run.epochs, eta),
        status: "running",
        loss: run.loss,
        error: null,
        model_name: null,
      };
    }
    const t = monitorTrainings;
    const [row] = await this.o.db
      .select()
      .from(t)
      .where(eq(t.projectId, this.projectId))
      .orderBy(desc(t.startedAt), desc(t.trainingId))
      .limit(1);
    if (!row) {
      return {
        training_active: false,
        training_id: null,
        progress: null,
        status: null,
        loss: null,
        error: null,
        model_name: null,
      };
    }
    return {
      training_active: row.status === "running",
      training_id: row.trainingId,
      progress: progress(row.epoch, row.epochs, null),
      status: row.status as TrainingState,
      loss: row.loss,
      error: row.error,
      model_name: row.modelName,
    };
  }

  async stats(): Promise<TrainingStats> {
    const t = monitorTrainings;
    const [r] = rowsOf(
      await this.o.db.execute(sql`
        select count(*) as total, (extract(epoch from max(${t.startedAt})) * 1000)::float8 as last_ms,
               avg(extract(epoch from (${t.finishedAt} - ${t.startedAt})) / 60) filter (where ${t.status} = 'succeeded') as avg_minutes,
               count(*) filter (where ${t.modelName} is not null) as produced
        from ${t} where ${t.projectId} = ${this.projectId}`),
    );
    return {
      last_training: r?.last_ms == null ? null : new Date(Number(r.last_ms)).toISOString(),
      total_trainings: Number(r?.total ?? 0),
      avg_training_time_minutes: r?.avg_minutes == null ? null : Math.round(Number(r.avg_minutes) * 10) / 10,
      models_produced: Number(r?.produced ?? 0),
    };
  }

  /** Shutdown: stop a running training (recorded as failed, not cancelled: nobody asked for it). */
  async close(): Promise<void> {
    const run = this.run;
    if (!run?.id) return;
    this.abort(run, "failed", "the server shut down during training");
    await run.settled;
  }

  private abort(run: Run, status: TrainingState, reason: string): void {
    run.cancelled = { status, reason };
    void run.worker?.terminate();
  }

  private async execute(run: Run): Promise<void> {
    const heartbeat = setInterval(() => {
      void this.updateRow(run.id, { heartbeatAt: this.now() }).catch(() => undefined);
    }, this.heartbeatMs);
    heartbeat.unref();
    const writer = new ProgressWriter((epoch, loss) =>
      this.updateRow(run.id, { epoch, loss, heartbeatAt: this.now() }),
    );
    try {
      const data: TrainingWorkerData = {
        fitModule: this.o.fitModule ?? defaultFitModule(),
        base: this.o.baseModel(),
        epochs: run.epochs,
        incremental: run.incremental,
      };
      const { script, execArgv } = workerLaunch();
      const worker = new Worker(script, { workerData: data, ...(execArgv ? { execArgv } : {}) });
      run.worker = worker;
      const fitted = new Promise<MonitorModel>((resolve, reject) => {
        worker.on("message", (m: FromWorker) => {
          if (m.type === "progress") {
            run.epoch = m.epoch;
            run.loss = m.loss;
            run.lastEpochMs = Date.now();
            writer.offer(m.epoch, m.loss);
          } else if (m.type === "done") resolve(m.model);
          else reject(Object.assign(new Error(m.message), { name: m.name }));
        });
        worker.on("error", reject);
        worker.on("exit", (code) => reject(new Error(`training worker stopped (exit ${code})`)));
      });
      // Keep the rejection observed while samples are still loading (a cancel terminates the worker early).
      fitted.catch(() => undefined);
      let samples = 0;
      for await (const page of this.o.history.loadSamples({ limit: this.o.maxSamples ?? 500_000 })) {
        if (run.cancelled) break;
        const chunk = encodeSamples(page);
        worker.postMessage({ type: "samples", chunk } satisfies ToWorker, chunkBuffers(chunk));
        samples += page.length;
      }
      if (run.cancelled) throw new Error(run.cancelled.reason);
      if (samples === 0) throw new Error("no stored metric samples to train on");
      await this.updateRow(run.id, { samples });
      run.phase = "fitting";
      run.fitStartedMs = Date.now();
      run.lastEpochMs = run.fitStartedMs;
      worker.postMessage({ type: "fit" } satisfies ToWorker);
      const model = await fitted;
      run.phase = "saving";
      await worker.terminate();
      await writer.flush();
      await this.finishWithModel(run, model);
    } catch (err) {
      await writer.flush();
      const stop = run.cancelled;
      const status: TrainingState = stop ? stop.status : "failed";
      const error = stop ? stop.reason : err instanceof Error ? err.message : String(err);
      if (!stop) this.o.logger.warn({ err, trainingId: run.id }, "monitor training failed");
      await this.updateRow(run.id, { status, error, finishedAt: this.now() }).catch((e) =>
        this.o.logger.error({ err: e, trainingId: run.id }, "training outcome not recorded"),
      );
    } finally {
      clearInterval(heartbeat);
      void run.worker?.terminate();
      this.run = null;
    }
  }

  /** Save the model under a name derived from the training id, hand it to the engine, then mark it current. */
  private async finishWithModel(run: Run, fitted: MonitorModel): Promise<void> {
    const model: MonitorModel = {
      ...fitted,
      name: run.id.replace(/^train_/, "argus_model_"),
      created: this.now().toISOString(),
    };
    await this.o.registry.save(model, run.loss === null ? {} : { loss: run.loss });
    let error: string | null = null;
    try {
      await this.o.onModel(model);
      await this.o.registry.markCurrent(model.name);
    } catch (err) {
      error = `model saved but not loaded: ${err instanceof Error ? err.message : String(err)}`;
      this.o.logger.error({ err, model: model.name }, "trained model not loaded");
    }
    await this.updateRow(run.id, { status: "succeeded", modelName: model.name, error, finishedAt: this.now() });
    this.o.logger.info({ trainingId: run.id, model: model.name, loss: run.loss }, "monitor model trained");
  }

  /**
   * Insert the running row as `train_YYYYMMDD_HHMMSS` (UTC), suffixed `_2`, `_3`… when that id
   * exists. A running row elsewhere violates the partial unique index: ConflictError.
   */
  private async insertRow(epochs: number, incremental: boolean): Promise<string> {
    const now = this.now();
    const base = `train_${now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "_")}`;
    for (let n = 1; ; n++) {
      const id = n === 1 ? base : `${base}_${n}`;
      try {
        const rows = await this.o.db
          .insert(monitorTrainings)
          .values({
            projectId: this.projectId,
            trainingId: id,
            startedAt: now,
            heartbeatAt: now,
            status: "running",
            epochs,
            incremental,
          })
          .onConflictDoNothing({ target: [monitorTrainings.projectId, monitorTrainings.trainingId] })
          .returning({ id: monitorTrainings.trainingId });
        if (rows.length > 0) return id;
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError("a training is already running on another server instance");
        throw err;
      }
    }
  }

  private async updateRow(id: string, set: Partial<typeof monitorTrainings.$inferInsert>): Promise<void> {
    await this.o.db
      .update(monitorTrainings)
      .set(set)
      .where(and(eq(monitorTrainings.projectId, this.projectId), eq(monitorTrainings.trainingId, id)));
  }

  /** Mark `running` rows failed: all of them (`all`), or those whose heartbeat stopped. */
  private async failDead(all: boolean): Promise<number> {
    const t = monitorTrainings;
    const now = this.now();
    const stale = new Date(now.getTime() - 4 * this.heartbeatMs);
    const rows = await this.o.db
      .update(t)
      .set({ status: "failed", error: "interrupted: the server stopped during training", finishedAt: now })
      .where(and(eq(t.projectId, this.projectId), eq(t.status, "running"), all ? undefined : lt(t.heartbeatAt, stale)))
      .returning({ id: t.trainingId });
    return rows.length;
  }
}

function progress(epoch: number, total: number, etaMs: number | null): TrainingStatus["progress"] {
  return {
    epoch,
    total_epochs: total,
    percent: Math.round((epoch / total) * 100),
    eta_minutes: etaMs === null ? null : Math.round((etaMs / 60_000) * 10) / 10,
  };
}

/**
 * Writes progress at most once a second and never two writes at once: a fast fit posts many
 * epochs a second, and only the latest matters.
 */
class ProgressWriter {
  private latest: { epoch: number; loss: number } | null = null;
  private writing: Promise<void> | null = null;
  private lastWrite = 0;

  constructor(private readonly write: (epoch: number, loss: number) => Promise<void>) {}

  offer(epoch: number, loss: number): void {
    this.latest = { epoch, loss };
    if (!this.writing && Date.now() - this.lastWrite >= PROGRESS_WRITE_MS) this.writing = this.drain();
  }

  async flush(): Promise<void> {
    if (this.writing) await this.writing;
    if (this.latest) await this.drain();
  }

  private async drain(): Promise<void> {
    const p = this.latest;
    this.latest = null;
    this.lastWrite = Date.now();
    try {
      if (p) await this.write(p.epoch, p.loss).catch(() => undefined);
    } finally {
      this.writing = null;
    }
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  return e?.code === "23505" || e?.cause?.code === "23505";
}

/**
 * The compiled worker next to this module. Under the test runner (sources) it is the build output
 * of it, which must resolve workspace packages to their build output too: the runner's
 * `--conditions source` (TypeScript entry points) is left out of the worker's flags.
 */
function workerLaunch(): { script: string; execArgv?: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return { script: here.replace(/training-service\.js$/, "training-worker.js") };
  const built = here.replace(
    /\/src\/monitor\/training\/training-service\.ts$/,
    "/dist/monitor/training/training-worker.js",
  );
  if (!existsSync(built)) throw new Error(`training worker not built: ${built} (run npm run build)`);
  const execArgv: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const arg = process.execArgv[i] as string;
    if ((arg === "--conditions" || arg === "-C") && process.execArgv[i + 1] === "source") i++;
    else if (arg !== "--conditions=source") execArgv.push(arg);
  }
  return { script: built, execArgv };
}

/** The engine's compiled fit module, beside the compiled worker. */
function defaultFitModule(): string {
  return pathToFileURL(join(dirname(workerLaunch().script), "../engine/fit-model.js")).href;
}
