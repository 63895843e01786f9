import { existsSync, realpathSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { ModelList } from "@aegis/contracts";
import { and, desc, eq } from "drizzle-orm";
import { ConflictError, InputError, NotFoundError } from "../../shared/errors.js";
import type { Db } from "../../store/database.js";
import { DEFAULT_PROJECT_ID } from "../../store/database.js";
import { monitorModels } from "../../store/schema.js";
import { dataTimeMs } from "../history/time-range.js";
import type { MonitorModel } from "../monitor-types.js";

export interface LoadedModel {
  model: MonitorModel;
  /** Path as listed, relative to the data dir ("models/<name>.json"). */
  path: string;
}

/** Model names become file names: one path segment of safe characters. */
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Fitted monitor models: one JSON file per model in `<dataDir>/models/` and a `monitor_models`
 * row with what `/admin/models` lists and which one is current. Paths coming from clients are
 * confined to the models directory.
 */
export class ModelRegistry {
  readonly modelsDir: string;

  constructor(
    private readonly db: Db,
    private readonly dataDir: string,
    private readonly projectId: string = DEFAULT_PROJECT_ID,
  ) {
    this.modelsDir = resolve(dataDir, "models");
  }

  /** Every registered model, newest first, and the current one's name. */
  async list(): Promise<ModelList> {
    const rows = await this.db
      .select()
      .from(monitorModels)
      .where(eq(monitorModels.projectId, this.projectId))
      .orderBy(desc(monitorModels.created), desc(monitorModels.name));
    return {
      models: rows.map((r) => ({
        name: r.name,
        path: r.path,
        created: r.created.toISOString(),
        size_mb: Math.round((r.sizeBytes / 1_048_576) * 100) / 100,
        is_current: r.isCurrent,
      })),
      current_model: rows.find((r) => r.isCurrent)?.name ?? null,
    };
  }

  /**
   * Write the model's file (whole or not at all: temp file + rename) and register it. Names are
   * never reused: a file a running engine was loaded from must not change under it.
   */
  async save(model: MonitorModel, metrics: Record<string, number> = {}): Promise<LoadedModel> {
    if (!MODEL_NAME.test(model.name)) throw new InputError(`invalid model name: ${model.name}`);
    const path = `models/${model.name}.json`;
    const file = join(this.modelsDir, `${model.name}.json`);
    const [taken] = await this.db
      .select({ name: monitorModels.name })
      .from(monitorModels)
      .where(and(eq(monitorModels.projectId, this.projectId), eq(monitorModels.name, model.name)));
    if (taken || existsSync(file)) throw new ConflictError(`model ${model.name} already exists`);
    await mkdir(this.modelsDir, { recursive: true });
    const text = JSON.stringify(model);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, file);
    await this.db.insert(monitorModels).values({
      projectId: this.projectId,
      name: model.name,
      version: model.version,
      created: new Date(dataTimeMs(model.created)),
      sizeBytes: Buffer.byteLength(text),
      path,
      params: model.params,
      metrics,
    });
    return { model, path };
  }

  /**
   * A model file: the given one (as listed, "models/x.json"; or a bare name) or, without a path,
   * the newest registered model. A path leaving the models directory is an InputError.
   */
  async load(path?: string): Promise<LoadedModel> {
    const file = path === undefined ? await this.latestFile() : this.resolveInside(path);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new NotFoundError(`model not found: ${path}`);
      throw err;
    }
    return { model: parseModel(text, path ?? file), path: relative(this.dataDir, file).split(sep).join("/") };
  }

  /** Make `name` the current model (the one the engine runs), and no other. */
  async markCurrent(name: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const found = await tx
        .select({ name: monitorModels.name })
        .from(monitorModels)
        .where(and(eq(monitorModels.projectId, this.projectId), eq(monitorModels.name, name)));
      if (found.length === 0) throw new NotFoundError(`model not found: ${name}`);
      // Clear the old flag first: the partial unique index allows one current model at any moment.
      await tx
        .update(monitorModels)
        .set({ isCurrent: false })
        .where(and(eq(monitorModels.projectId, this.projectId), eq(monitorModels.isCurrent, true)));
      await tx
        .update(monitorModels)
        .set({ isCurrent: true })
        .where(and(eq(monitorModels.projectId, this.projectId), eq(monitorModels.name, name)));
    });
  }

  private async latestFile(): Promise<string> {
    const [row] = await this.db
      .select({ name: monitorModels.name })
      .from(monitorModels)
      .where(eq(monitorModels.projectId, this.projectId))
      .orderBy(desc(monitorModels.created), desc(monitorModels.name))
      .limit(1);
    if (!row) throw new NotFoundError("no model has been saved yet");
    return join(this.modelsDir, `${row.name}.json`);
  }

  /**
   * The file a client path names, refused unless it lies inside the models directory, also
   * after following symlinks. Accepted: "models/x.json", "models/x", "x.json", "x", or an
   * absolute path inside the directory.
   */
  private resolveInside(path: string): string {
    if (path.length === 0 || path.includes("\0")) throw new InputError("invalid model path", "invalid_model_path");
    const bare = !path.includes("/") && !path.includes("\\");
    let file = isAbsolute(path) ? path : resolve(bare ? this.modelsDir : this.dataDir, path);
    if (!file.endsWith(".json")) file = `${file}.json`;
    const inside = (dir: string, target: string) => {
      const rel = relative(dir, target);
      return rel.length > 0 && !rel.startsWith("..") && !isAbsolute(rel) && !rel.includes(sep);
    };
    if (!inside(this.modelsDir, file)) {
      throw new InputError(`model path must be inside ${this.modelsDir}: ${path}`, "invalid_model_path");
    }
    if (existsSync(file) && existsSync(this.modelsDir) && !inside(realpathSync(this.modelsDir), realpathSync(file))) {
      throw new InputError(`model path leaves ${this.modelsDir}: ${path}`, "invalid_model_path");
    }
    return file;
  }
}

function parseModel(text: string, source: string): MonitorModel {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(`not a model file (invalid JSON): ${source}`, "invalid_model");
  }
  const m = value as Partial<MonitorModel> | null;
  if (
    typeof m !== "object" ||
    m === null ||
    typeof m.name !== "string" ||
    typeof m.version !== "number" ||
    typeof m.created !== "string" ||
    typeof m.params !== "object" ||
    m.params === null
  ) {
    throw new InputError(`not a model file: ${source}`, "invalid_model");
  }
  return m as MonitorModel;
}
