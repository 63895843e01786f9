import { ErrorBody } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { type MonitorRateLimits, rateLimitOf } from "../monitor-rate-limits.js";

const errors = { 401: ErrorBody, 422: ErrorBody, 429: ErrorBody };
const queryBool = z
  .enum(["true", "false"], "must be true or false")
  .transform((v) => v === "true")
  .optional();

const TrainingStatus = z.object({
  training_active: z.boolean(),
  training_id: z.string().nullable(),
  progress: z
    .object({
      epoch: z.number().int(),
      total_epochs: z.number().int(),
      percent: z.number(),
      eta_minutes: z.number().nullable(),
    })
    .nullable(),
  status: z.enum(["running", "succeeded", "failed", "cancelled"]).nullable(),
  loss: z.number().nullable(),
  error: z.string().nullable(),
  model_name: z.string().nullable(),
});

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
          200: z.object({
            models: z.array(
              z.object({
                name: z.string(),
                path: z.string(),
                created: z.string(),
                size_mb: z.number(),
                is_current: z.boolean(),
              }),
            ),
            current_model: z.string().nullable(),
          }),
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
        body: z.object({ model_path: z.string().min(1).max(500).optional() }).optional(),
        response: {
          200: z.object({ success: z.literal(true), model: z.string(), message: z.string() }),
          400: ErrorBody,
          404: ErrorBody,
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
          200: z.object({
            success: z.literal(true),
            training_id: z.string(),
            message: z.string(),
            epochs: z.number().int(),
            incremental: z.boolean(),
          }),
          409: ErrorBody,
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
          200: z.object({
            last_training: z.string().nullable(),
            total_trainings: z.number().int(),
            avg_training_time_minutes: z.number().nullable(),
            models_produced: z.number().int(),
          }),
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
        response: { 200: z.object({ success: z.boolean(), message: z.string() }), ...errors },
      },
    },
    () => m.training.cancel(),
  );
}
