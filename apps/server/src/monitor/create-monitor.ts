import type { Config } from "../config/config.js";
import { ConflictError } from "../shared/errors.js";
import type { Logger } from "../shared/logger.js";
import { type Database, DEFAULT_PROJECT_ID } from "../store/database.js";
import { ArgusFleetMonitor } from "./engine/argus-fleet-monitor.js";
import { DEFAULT_MODEL } from "./engine/model-params.js";
import { MonitorHistoryStore } from "./history/monitor-history-store.js";
import { MonitorService } from "./monitor-service.js";
import type { AlertEvent } from "./monitor-types.js";
import { type IncidentSink, ProactiveIncidents } from "./proactive-incidents.js";
import { SampleRecorder } from "./sample-recorder.js";
import { ModelRegistry } from "./training/model-registry.js";
import { TrainingService } from "./training/training-service.js";

/** The predictive monitor's parts, as the HTTP layer sees them. */
export interface Monitor {
  service: MonitorService;
  history: MonitorHistoryStore;
  registry: ModelRegistry;
  training: TrainingService;
  /** Path of the model the engine runs, as `/admin/models` lists it ("built-in" before any training). */
  currentModelPath(): string;
  /** Load a registered model (latest without a path), make it current and hot-swap it into the engine. */
  reload(path?: string): Promise<{ name: string; path: string }>;
  close(): Promise<void>;
}

const BUILT_IN = "built-in";

/** Wire the monitor: engine with the current model, history, training, and the bridge to the loop. */
export async function createMonitor(
  config: Config,
  deps: {
    database: Database;
    dataDir: string;
    logger: Logger;
    incidents: IncidentSink;
    manages: (s: string) => boolean;
    onAlerts?: (events: readonly AlertEvent[]) => void;
  },
): Promise<Monitor> {
  const logger = deps.logger.child({ component: "monitor" });
  const db = deps.database.db;
  const history = new MonitorHistoryStore(db, DEFAULT_PROJECT_ID, deps.database.copyFrom);
  const registry = new ModelRegistry(db, deps.dataDir);
  const engine = new ArgusFleetMonitor();
  let modelPath = BUILT_IN;

  let current = (await registry.list()).current_model;
  if (current === null && (await registry.list()).models.length === 0) {
    // A fresh install has trained nothing yet: the built-in parameters are saved as its baseline model,
    // so `/admin/models` lists what is running and `/admin/reload-model` always has a latest to load.
    current = await saveBaseline(registry, logger);
  }
  if (current) {
    try {
      const loaded = await registry.load(`models/${current}.json`);
      engine.setModel(loaded.model);
      modelPath = loaded.path;
    } catch (err) {
      logger.warn({ err, model: current }, "current monitor model not loadable; running the built-in parameters");
    }
  }

  const samples = new SampleRecorder(history, logger, {
    everyMinutes: config.AEGIS_MONITOR_SAMPLE_MINUTES,
    // The 10,000-server bench at 44,000 records/s dropped 1,550 samples at 100,000 (ADR 0023, fifth round).
    maxPending: 200_000,
    batchSize: 500,
  });
  const proactive = new ProactiveIncidents(deps.incidents, logger, {
    enabled: config.AEGIS_MONITOR_PROACTIVE,
    manages: deps.manages,
  });
  const service = new MonitorService(engine, history, samples, proactive, logger, () => modelPath, deps.onAlerts);

  if (config.AEGIS_MONITOR_RESTORE_SAMPLES > 0) {
    const t0 = Date.now();
    try {
      const replayed = await service.restore(history.loadSamples({ limit: config.AEGIS_MONITOR_RESTORE_SAMPLES }));
      if (replayed > 0) {
        logger.info(
          { replayed, servers: engine.serversTracked, ms: Date.now() - t0 },
          "monitor windows restored from stored samples",
        );
      }
    } catch (err) {
      logger.warn({ err }, "monitor windows not restored; starting empty");
    }
  }

  const training = new TrainingService({
    db,
    history,
    registry,
    logger,
    baseModel: () => engine.model,
    onModel: (model) => {
      service.setModel(model);
      modelPath = `models/${model.name}.json`;
    },
    exclusive: deps.database.kind === "pglite",
  });
  await training.recover();
  service.start(config.AEGIS_MONITOR_SNAPSHOT_SECS * 1000, config.AEGIS_MONITOR_RETENTION_DAYS);

  return {
    service,
    history,
    registry,
    training,
    currentModelPath: () => modelPath,
    reload: async (path) => {
      const loaded = await registry.load(path);
      await registry.markCurrent(loaded.model.name);
      service.setModel(loaded.model);
      modelPath = loaded.path;
      return { name: loaded.model.name, path: loaded.path };
    },
    close: async () => {
      await training.close();
      await service.stop();
    },
  };
}

/** Registers the built-in parameters as `argus_model_baseline` (another server may have done it first). */
async function saveBaseline(registry: ModelRegistry, logger: Logger): Promise<string | null> {
  const name = "argus_model_baseline";
  try {
    await registry.save({ ...DEFAULT_MODEL, name, created: new Date().toISOString() });
  } catch (err) {
    if (!(err instanceof ConflictError)) {
      logger.warn({ err }, "could not save the baseline monitor model; running the built-in parameters");
      return null;
    }
  }
  await registry.markCurrent(name);
  return name;
}
