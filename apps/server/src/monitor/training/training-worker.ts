import { parentPort, workerData } from "node:worker_threads";
import type { MetricRecord } from "@aegis/contracts";
import type { MonitorModel } from "../monitor-types.js";
import { type SampleChunk, SampleHistory } from "./sample-columns.js";

/** The engine's fit function (`monitor/engine/fit-model.ts`), loaded from `fitModule`. */
export type FitModel = (
  history: Iterable<MetricRecord>,
  base: MonitorModel,
  opts: {
    epochs: number;
    incremental: boolean;
    onProgress?: (p: { epoch: number; totalEpochs: number; loss: number }) => void;
  },
) => MonitorModel;

export interface TrainingWorkerData {
  /** file: URL of a module exporting `fitModel`. */
  fitModule: string;
  base: MonitorModel;
  epochs: number;
  incremental: boolean;
}

export type ToWorker = { type: "samples"; chunk: SampleChunk } | { type: "fit" };
export type FromWorker =
  | { type: "progress"; epoch: number; totalEpochs: number; loss: number }
  | { type: "done"; model: MonitorModel }
  | { type: "error"; name: string; message: string };

/**
 * Runs `fitModel` off the main thread: samples arrive as column chunks, then `fit` runs the
 * (synchronous) fit. Cancelling terminates this thread; a synchronous fit cannot observe a
 * message or an abort signal while it runs.
 */
if (parentPort) {
  const port = parentPort;
  const data = workerData as TrainingWorkerData;
  const history = new SampleHistory();
  const post = (m: FromWorker) => port.postMessage(m);
  port.on("message", async (m: ToWorker) => {
    if (m.type === "samples") {
      history.add(m.chunk);
      return;
    }
    try {
      const { fitModel } = (await import(data.fitModule)) as { fitModel: FitModel };
      const model = fitModel(history, data.base, {
        epochs: data.epochs,
        incremental: data.incremental,
        onProgress: (p) => post({ type: "progress", ...p }),
      });
      post({ type: "done", model });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      post({ type: "error", name: e.name, message: e.message });
    }
  });
}
