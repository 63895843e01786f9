import {
  CancelTrainingResponse,
  DetailError,
  ModelList,
  ReloadModelResponse,
  TrainingStats,
  TrainingStatus,
  TriggerTrainingResponse,
} from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { type MonitorRateLimits, rateLimitOf } from "../monitor-rate-limits.js";

const errors = { 401: DetailError, 422: DetailError, 429: DetailError };
const queryBool = z
  .enum(["true", "false"], "must be true or false")
  .transform((v) => v === "true")
  .optional();

/**
 * Seed 004 `/admin/*`: the monitor's models (fitted parameter sets, JSON files under the data
 * dir), hot reload, and retraining in a worker thread on the stored history.
 */
export function registerMonitorAdminRoutes(fastify: FastifyInstance, d: AppDeps, limits: MonitorRateLimits): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const m = d.monitor;
  const post = { rateLimit: rateLimitOf(limits.admin) };

  app.get(
    "/admin/models",
    {
      schema: {
        tags: ["monitor"],
        summary: "Registered monitor models, newest first, and the current one",
        response: {
          200: ModelList,
          ...errors,
        },
      },
    },
    () => m.registry.list(),
  );

  app.post(
    "/admin/reload-model",
    {
      config: post,
      schema: {
        tags: ["monitor"],
        summary: "Hot-swap a model into the running engine (the latest without `model_path`)",
        description:
          "The rolling windows are kept; only the fitted parameters change. `model_path` must name a file inside the models directory (as `/admin/models` lists it): anything else is a 400; an unknown model is a 404.",
        body: z.object({ model_path: z.string().min(1).max(500).optional() }).nullish(),
        response: {
          200: ReloadModelResponse,
          400: DetailError,
          404: DetailError,
          ...errors,
        },
      },
    },
    async (req) => {
      const loaded = await m.reload(req.body?.model_path);
      return { success: true as const, model: loaded.name, message: "Model reloaded successfully" };
    },
  );

  app.post(
    "/admin/trigger-training",
    {
      config: post,
      schema: {
        tags: ["monitor"],
        summary: "Retrain the model on the stored metric history, in the background",
        description:
          "One training at a time (409 while one runs). The produced model is saved, made current and hot-loaded.",
        querystring: z.object({
          epochs: z.coerce.number().int().min(1).max(1000).default(10),
          incremental: queryBool,
        }),
        response: {
          200: TriggerTrainingResponse,
          409: DetailError,
          ...errors,
        },
      },
    },
    async (req) => {
      const t = await m.training.trigger({ epochs: req.query.epochs, incremental: req.query.incremental ?? true });
      return { success: true as const, message: "Training started", ...t };
    },
  );

  app.get(
    "/admin/training-status",
    {
      schema: {
        tags: ["monitor"],
        summary: "The running training's progress, or the last one's outcome",
        response: { 200: TrainingStatus, ...errors },
      },
    },
    () => m.training.status(),
  );

  app.get(
    "/admin/training-stats",
    {
      schema: {
        tags: ["monitor"],
        summary: "Training statistics",
        response: {
          200: TrainingStats,
          ...errors,
        },
      },
    },
    () => m.training.stats(),
  );

  app.post(
    "/admin/cancel-training",
    {
      config: post,
      schema: {
        tags: ["monitor"],
        summary: "Cancel the running training (it produces no model)",
        response: { 200: CancelTrainingResponse, ...errors },
      },
    },
    () => m.training.cancel(),
  );
}
