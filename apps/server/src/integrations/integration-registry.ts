import { randomBytes, randomUUID } from "node:crypto";
import {
  type AvailableIntegration,
  type ConnectionTest,
  type IntegrationKind,
  type IntegrationLogEntry,
  type IntegrationMetrics,
  type IntegrationView,
  NOTIFICATION_KINDS,
  SECRET_FIELDS,
} from "@aegis/contracts";
import { ConflictError, InputError, NotFoundError, UnavailableError, UpstreamError } from "../shared/errors.js";
import type { Database } from "../store/database.js";
import type { IntegrationEventRow, IntegrationRow, IntegrationStore } from "../store/integration-store.js";
import { AVAILABLE } from "./available-integrations.js";
import { context, elapsed, kindNamed, parseConfig, wireLog, wireTest, withoutNulls } from "./integration-helpers.js";
import { type AnyKindConfig, probeIntegration, type SyncResult, syncIntegration } from "./integration-probes.js";
import { maskSecret, type SecretBox, SecretBoxError } from "./secret-box.js";

/** A registry row with its settings opened (secrets in clear): for channels, never for the wire. */
export type OpenedIntegration = { row: IntegrationRow } & AnyKindConfig;

export interface NewEvent {
  event: string;
  level: "info" | "warning" | "error";
  status: string;
  message: string;
  latencyMs?: number | null;
  attempts?: number;
  incidentId?: string | null;
  detail?: Record<string, unknown> | null;
}

/** Secrets the product itself issues (a rotation without a new value generates one); vendors issue the rest. */
const GENERATED: Partial<Record<IntegrationKind, readonly string[]>> = {
  webhook: ["secret"],
  teams: ["callback_secret"],
};

const MASK = "••••";
const PERIOD = /^(\d{1,4})(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * The integrations registry of every project: one row per name, viewed by seed 003 (`/integrations/{name}`)
 * and seed 002 (`/projects/{id}/monitoring/integrations/{integration_id}`). Settings are validated by
 * the kind's schema; secret fields are sealed with AES-256-GCM and only ever returned masked. Every
 * test, delivery, sync and rotation is logged per integration, and metrics are counted from that log.
 */
export class IntegrationRegistry {
  constructor(
    private readonly database: Database,
    private readonly store: IntegrationStore,
    private readonly box: SecretBox,
    private readonly timeoutMs: number,
  ) {}

  async list(projectId: string): Promise<IntegrationView[]> {
    return (await this.store.list(this.database.db, projectId)).map((r) => this.view(r));
  }

  async available(projectId: string): Promise<AvailableIntegration[]> {
    const kinds = new Set((await this.store.list(this.database.db, projectId)).map((r) => r.kind));
    return AVAILABLE.map((a) => ({ ...a, configured: kinds.has(a.type) }));
  }

  async get(projectId: string, name: string): Promise<IntegrationView> {
    return this.view(await this.rowByName(projectId, name));
  }

  async getById(projectId: string, id: string): Promise<IntegrationView> {
    return this.view(await this.rowById(projectId, id));
  }

  /** Seed 002 POST: a new integration; a taken name is a conflict. */
  async create(
    projectId: string,
    input: { name: string; type: IntegrationKind; config: Record<string, unknown>; enabled?: boolean | undefined },
  ): Promise<IntegrationView> {
    if (await this.store.byName(this.database.db, projectId, input.name)) {
      throw new ConflictError(`integration ${input.name} already exists`);
    }
    const config = parseConfig(input.type, withoutNulls(input.config));
    const now = new Date();
    const id = `int_${randomBytes(8).toString("hex")}`;
    const row = await this.store.insert(this.database.db, {
      projectId,
      id,
      name: input.name,
      kind: input.type,
      enabled: input.enabled ?? true,
      ...this.split(projectId, id, input.type, config),
      lastTestOk: null,
      lastTestLatencyMs: null,
      lastTestError: null,
      lastTestAt: null,
      secretsRotatedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    if (!row) throw new ConflictError(`integration ${input.name} already exists`);
    await this.log(row, { event: "config", level: "info", status: "created", message: `created (${input.type})` });
    return this.view(row);
  }

  /** Registers an integration configured elsewhere (Jira from the environment) unless the name is taken. */
  async ensure(
    projectId: string,
    name: string,
    type: IntegrationKind,
    config: Record<string, unknown>,
  ): Promise<boolean> {
    if (await this.store.byName(this.database.db, projectId, name)) return false;
    await this.create(projectId, { name, type, config });
    return true;
  }

  /**
   * Seed 003 PUT `/{name}/config`: creates the integration when absent (its type from `type`, or the
   * name when the name is a kind), else merges the given fields over the stored ones (null removes a
   * field; a masked value keeps the stored secret) and validates the whole again.
   */
  async configure(
    projectId: string,
    name: string,
    input: { type?: IntegrationKind | undefined; config: Record<string, unknown>; enabled?: boolean | undefined },
  ): Promise<IntegrationView> {
    const row = await this.store.byName(this.database.db, projectId, name);
    if (!row) {
      const type = input.type ?? kindNamed(name);
      if (!type)
        throw new InputError(`integration ${name} does not exist: give its type`, "bad_request", { field: "type" });
      return this.create(projectId, { name, type, config: input.config, enabled: input.enabled });
    }
    if (input.type && input.type !== row.kind) {
      throw new ConflictError(`integration ${name} is a ${row.kind} integration, not ${input.type}`);
    }
    return this.update(projectId, row, input);
  }

  /** Seed 002 PATCH. */
  async patch(
    projectId: string,
    id: string,
    input: { name?: string | undefined; config?: Record<string, unknown> | undefined; enabled?: boolean | undefined },
  ): Promise<IntegrationView> {
    const row = await this.rowById(projectId, id);
    if (input.name && input.name !== row.name && (await this.store.byName(this.database.db, projectId, input.name))) {
      throw new ConflictError(`integration ${input.name} already exists`);
    }
    return this.update(projectId, row, { config: input.config ?? {}, enabled: input.enabled, name: input.name });
  }

  async delete(projectId: string, id: string): Promise<void> {
    if (!(await this.store.delete(this.database.db, projectId, id))) {
      throw new NotFoundError(`integration ${id} not found`);
    }
  }

  /** Really connects to the integration's system; the outcome is logged and kept as its last test. */
  async test(projectId: string, name: string): Promise<ConnectionTest> {
    return this.testRow(await this.rowByName(projectId, name));
  }

  async testById(projectId: string, id: string): Promise<ConnectionTest> {
    return this.testRow(await this.rowById(projectId, id));
  }

  /** Seed 002 test-connection: settings not saved yet, tested as they would be used. */
  async testConnection(type: IntegrationKind, config: Record<string, unknown>): Promise<ConnectionTest> {
    const parsed = parseConfig(type, withoutNulls(config));
    return wireTest(type, await probeIntegration({ kind: type, config: parsed } as AnyKindConfig, this.timeoutMs));
  }

  async sync(projectId: string, name: string): Promise<SyncResult & { name: string; type: IntegrationKind }> {
    const opened = this.open(await this.rowByName(projectId, name));
    const started = performance.now();
    try {
      const result = await syncIntegration(opened, this.timeoutMs);
      await this.log(opened.row, {
        event: "sync",
        level: "info",
        status: result.synced ? "ok" : "skipped",
        message: result.detail,
        latencyMs: elapsed(started),
      });
      return { name, type: opened.kind, ...result };
    } catch (err) {
      const message = (err as Error).message;
      await this.log(opened.row, {
        event: "sync",
        level: "error",
        status: "failed",
        message,
        latencyMs: elapsed(started),
      });
      throw new UpstreamError(`sync of ${name} failed: ${message}`, "sync_failed");
    }
  }

  async logs(
    projectId: string,
    name: string,
    opts: { limit: number; level?: "info" | "warning" | "error" | undefined },
  ): Promise<IntegrationLogEntry[]> {
    const row = await this.rowByName(projectId, name);
    return (await this.store.events(this.database.db, projectId, row.id, opts)).map(wireLog);
  }

  async metrics(projectId: string, name: string, period: string, now = new Date()): Promise<IntegrationMetrics> {
    const m = PERIOD.exec(period);
    if (!m) throw new InputError("period must look like 15m, 1h, 24h or 7d", "bad_request", { field: "period" });
    const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
    if (ms <= 0 || ms > 90 * UNIT_MS.d)
      throw new InputError("period must be between 1m and 90d", "bad_request", { field: "period" });
    const row = await this.rowByName(projectId, name);
    const since = new Date(now.getTime() - ms);
    const s = await this.store.stats(this.database.db, projectId, row.id, since);
    const decided = s.sent + s.failed;
    return {
      name,
      period,
      since: since.toISOString(),
      deliveries: { sent: s.sent, failed: s.failed, total: s.total },
      success_rate: decided > 0 ? Math.round((s.sent / decided) * 1000) / 1000 : null,
      latency_ms: { avg: s.avgMs, p95: s.p95Ms, max: s.maxMs },
      tests: { ok: s.testsOk, failed: s.testsFailed },
    };
  }

  /**
   * Seed 003 rotate-api-key: new values replace the named secret fields; a secret the product issues
   * (a webhook's signing secret, a Teams callback key) is generated when none is given and shown once;
   * every secret is re-sealed under the current key.
   */
  async rotate(
    projectId: string,
    name: string,
    replacement: Record<string, string>,
  ): Promise<{
    service: string;
    integration_id: string;
    type: IntegrationKind;
    rotated: string[];
    re_encrypted: string[];
    generated: Record<string, string>;
    key_id: string;
    rotated_at: string;
  }> {
    const row = await this.rowByName(projectId, name);
    // Tolerant: a secret sealed with a key no longer configured can still be replaced here.
    const opened = { row, kind: row.kind as IntegrationKind, config: { ...row.config, ...this.secretsOf(row, true) } };
    const secretFields = SECRET_FIELDS[opened.kind];
    const unknown = Object.keys(replacement).filter((k) => !secretFields.includes(k));
    if (unknown.length > 0) {
      throw new InputError(
        `${unknown.join(", ")}: not a secret of ${opened.kind} (${secretFields.join(", ")})`,
        "bad_request",
        {
          field: unknown[0],
        },
      );
    }
    const generated: Record<string, string> = {};
    for (const field of GENERATED[opened.kind] ?? []) {
      if (replacement[field] === undefined) generated[field] = randomBytes(32).toString("base64");
    }
    const next = parseConfig(opened.kind, { ...opened.config, ...replacement, ...generated });
    const now = new Date();
    const split = this.split(projectId, opened.row.id, opened.kind, next);
    const updated = await this.store.update(this.database.db, projectId, opened.row.id, {
      ...split,
      secretsRotatedAt: now,
      updatedAt: now,
    });
    const rotated = [...Object.keys(replacement), ...Object.keys(generated)];
    await this.log(updated ?? opened.row, {
      event: "rotate",
      level: "info",
      status: "ok",
      message: rotated.length > 0 ? `rotated ${rotated.join(", ")}` : "re-sealed secrets under the current key",
    });
    return {
      service: name,
      integration_id: opened.row.id,
      type: opened.kind,
      rotated,
      re_encrypted: Object.keys(split.secrets),
      generated,
      key_id: this.box.keyId,
      rotated_at: now.toISOString(),
    };
  }

  /** Enabled integrations of the given kinds with their settings opened (the notifier's channels). */
  async openAll(
    projectId: string,
    kinds: readonly IntegrationKind[] = NOTIFICATION_KINDS,
  ): Promise<OpenedIntegration[]> {
    const rows = await this.store.list(this.database.db, projectId, kinds);
    const opened: OpenedIntegration[] = [];
    for (const r of rows.filter((row) => row.enabled)) {
      try {
        opened.push(this.open(r));
      } catch (err) {
        // One integration whose secret no key opens must not stop pages through the others; its log says why.
        if (!(err instanceof UnavailableError)) throw err;
        await this.log(r, { event: "delivery", level: "error", status: "skipped", message: err.message });
      }
    }
    return opened;
  }

  /** One integration by name or id, opened. */
  async openOne(projectId: string, nameOrId: string): Promise<OpenedIntegration | null> {
    const db = this.database.db;
    const row = (await this.store.byName(db, projectId, nameOrId)) ?? (await this.store.byId(db, projectId, nameOrId));
    return row ? this.open(row) : null;
  }

  /** By its globally unique id (chat callbacks): the project comes with it. */
  async openGlobal(id: string): Promise<OpenedIntegration | null> {
    const row = await this.store.byGlobalId(this.database.db, id);
    return row ? this.open(row) : null;
  }

  async log(row: Pick<IntegrationRow, "projectId" | "id">, e: NewEvent): Promise<string> {
    const id = randomUUID();
    await this.store.insertEvent(this.database.db, eventRow(row, id, e, new Date()));
    return id;
  }

  /** Logs `e` under `key` unless already logged: true for the one caller (of any server) that claims it. */
  async logOnce(row: Pick<IntegrationRow, "projectId" | "id">, key: string, e: NewEvent): Promise<boolean> {
    return this.store.insertOnce(this.database.db, eventRow(row, key, e, new Date()));
  }

  async updateLog(
    projectId: string,
    id: string,
    patch: Partial<Pick<IntegrationEventRow, "level" | "status" | "message" | "latencyMs" | "attempts">>,
  ): Promise<void> {
    await this.store.updateEvent(this.database.db, projectId, id, { ...patch, updatedAt: new Date() });
  }

  private async update(
    projectId: string,
    row: IntegrationRow,
    input: { config: Record<string, unknown>; enabled?: boolean | undefined; name?: string | undefined },
  ): Promise<IntegrationView> {
    // A secret no configured key opens is left out: a new value replaces it, else validation names it.
    const current = { kind: row.kind as IntegrationKind, config: { ...row.config, ...this.secretsOf(row, true) } };
    const merged: Record<string, unknown> = { ...current.config };
    for (const [k, v] of Object.entries(input.config)) {
      if (v === null) delete merged[k];
      else if (!(typeof v === "string" && v.startsWith(MASK))) merged[k] = v;
    }
    const config = parseConfig(current.kind, merged);
    const updated = await this.store.update(this.database.db, projectId, row.id, {
      ...this.split(projectId, row.id, current.kind, config),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      ...(input.name ? { name: input.name } : {}),
      updatedAt: new Date(),
    });
    if (!updated) throw new NotFoundError(`integration ${row.name} not found`);
    const fields = Object.keys(input.config).join(", ");
    await this.log(updated, {
      event: "config",
      level: "info",
      status: "updated",
      message: `updated ${fields || "settings"}`,
    });
    return this.view(updated);
  }

  private async testRow(row: IntegrationRow): Promise<ConnectionTest> {
    const opened = this.open(row);
    const r = await probeIntegration(opened, this.timeoutMs);
    const now = new Date();
    await this.store.update(this.database.db, row.projectId, row.id, {
      lastTestOk: r.ok,
      lastTestLatencyMs: r.latencyMs,
      lastTestError: r.error,
      lastTestAt: now,
    });
    await this.log(row, {
      event: "test",
      level: r.ok ? "info" : "error",
      status: r.ok ? "ok" : "failed",
      message: r.ok ? r.detail : `${r.detail}: ${r.error}`,
      latencyMs: r.latencyMs,
      attempts: 1,
    });
    return wireTest(opened.kind, r, now);
  }

  private async rowByName(projectId: string, name: string): Promise<IntegrationRow> {
    const row = await this.store.byName(this.database.db, projectId, name);
    if (!row) throw new NotFoundError(`integration ${name} not found`);
    return row;
  }

  private async rowById(projectId: string, id: string): Promise<IntegrationRow> {
    const row = await this.store.byId(this.database.db, projectId, id);
    if (!row) throw new NotFoundError(`integration ${id} not found`);
    return row;
  }

  /** Plain settings and sealed secrets of a validated config. */
  private split(
    projectId: string,
    id: string,
    kind: IntegrationKind,
    config: Record<string, unknown>,
  ): { config: Record<string, unknown>; secrets: Record<string, string> } {
    const plain: Record<string, unknown> = {};
    const secrets: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) {
      if (v === undefined) continue;
      if (SECRET_FIELDS[kind].includes(k)) secrets[k] = this.box.seal(String(v), context(projectId, id, k));
      else plain[k] = v;
    }
    return { config: plain, secrets };
  }

  private open(row: IntegrationRow): OpenedIntegration {
    const kind = row.kind as IntegrationKind;
    return {
      row,
      kind,
      config: parseConfig(kind, { ...row.config, ...this.secretsOf(row, false) }),
    } as OpenedIntegration;
  }

  /** The row's secrets in clear; one sealed with a key not configured fails (503), or is left out when `tolerant`. */
  private secretsOf(row: IntegrationRow, tolerant: boolean): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(row.secrets)) {
      try {
        out[k] = this.box.open(v, context(row.projectId, row.id, k));
      } catch (err) {
        if (!(err instanceof SecretBoxError)) throw err;
        if (tolerant) continue;
        throw new UnavailableError(
          `${k} of integration ${row.name} cannot be opened (${err.message}): configure the key it was sealed with (AEGIS_SECRETS_PREVIOUS_KEYS) or give it a new value`,
        );
      }
    }
    return out;
  }

  private view(row: IntegrationRow): IntegrationView {
    const kind = row.kind as IntegrationKind;
    const masked = Object.fromEntries(
      Object.keys(row.secrets).map((k) => {
        try {
          return [k, maskSecret(this.box.open(row.secrets[k] as string, context(row.projectId, row.id, k)))];
        } catch (err) {
          if (!(err instanceof SecretBoxError)) throw err;
          // Still listed: the admin sees which secret needs its key (or a new value).
          return [k, `${MASK} (unreadable: ${err.message})`];
        }
      }),
    );
    const status = !row.enabled
      ? "disabled"
      : row.lastTestOk === null
        ? "configured"
        : row.lastTestOk
          ? "connected"
          : "error";
    return {
      id: row.id,
      name: row.name,
      type: kind,
      enabled: row.enabled,
      status,
      config: { ...row.config, ...masked },
      last_test: row.lastTestAt
        ? {
            ok: row.lastTestOk ?? false,
            latency_ms: row.lastTestLatencyMs,
            error: row.lastTestError,
            at: row.lastTestAt.toISOString(),
          }
        : null,
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
    };
  }
}

/** The stored form of one event of an integration's log. */
function eventRow(row: Pick<IntegrationRow, "projectId" | "id">, id: string, e: NewEvent, now: Date) {
  return {
    projectId: row.projectId,
    id,
    integrationId: row.id,
    event: e.event,
    level: e.level,
    status: e.status,
    message: e.message,
    latencyMs: e.latencyMs ?? null,
    attempts: e.attempts ?? 0,
    incidentId: e.incidentId ?? null,
    detail: e.detail ?? null,
    createdAt: now,
    updatedAt: now,
  };
}
