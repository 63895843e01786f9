import { randomBytes, randomUUID } from "node:crypto";
import type { WsFrame } from "@aegis/contracts";
import type { EventBus } from "../ports/event-bus.js";
import { NotFoundError } from "../shared/errors.js";
import type { Logger } from "../shared/logger.js";
import type { Database } from "../store/database.js";
import type { DeliveryRow, WebhookRow, WebhookStore } from "../store/webhook-store.js";
import { type WebhookEvent, webhookEventOf, webhookEventTypeOf } from "./webhook-events.js";
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from "./webhook-signature.js";

export interface WebhookSettings {
  maxAttempts: number;
  /** First retry delay; doubles after each failed attempt. */
  backoffMs: number;
  timeoutMs: number;
}

/** A webhook on the wire; the secret is never shown again after registration. */
export interface Webhook {
  id: string;
  url: string;
  events: string[];
  created_at: string;
}

export interface Delivery {
  id: string;
  webhook_id: string;
  event: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

const HOOKS_TTL_MS = 5_000;

interface HooksEntry {
  rows: Promise<WebhookRow[]>;
  at: number;
  /** The rows once read. */
  loaded?: WebhookRow[];
}

/**
 * Seed 001 outbound webhooks: registration per project, and delivery of incident events from the
 * event bus. Each delivery is logged before its first attempt and updated after every attempt, so the
 * log survives a restart and `start` resumes what was pending. Retries back off exponentially.
 */
export class WebhookService {
  private readonly timers = new Set<NodeJS.Timeout>();
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  /**
   * Registered webhooks per project, read at most once per HOOKS_TTL_MS: every timeline entry is a
   * frame, so reading the table per frame would add a query to each pipeline step even for projects
   * with no webhook. Local changes invalidate at once; another node's show up within the TTL.
   */
  private readonly hooks = new Map<string, HooksEntry>();

  constructor(
    private readonly database: Database,
    private readonly store: WebhookStore,
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
  ) {}

  async register(projectId: string, w: { url: string; events: WebhookEvent[]; secret: string }): Promise<Webhook> {
    const row = await this.store.insert(this.database.db, {
      projectId,
      id: `wh_${randomBytes(8).toString("hex")}`,
      url: w.url,
      events: w.events,
      secret: w.secret,
      createdAt: new Date(),
    });
    this.hooks.delete(projectId);
    return wireWebhook(row);
  }

  async list(projectId: string): Promise<Webhook[]> {
    return (await this.store.list(this.database.db, projectId)).map(wireWebhook);
  }

  async delete(projectId: string, id: string): Promise<void> {
    const deleted = await this.store.delete(this.database.db, projectId, id);
    this.hooks.delete(projectId);
    if (!deleted) throw new NotFoundError(`webhook ${id} not found`);
  }

  async deliveries(projectId: string, id: string, limit: number): Promise<Delivery[]> {
    if (!(await this.store.get(this.database.db, projectId, id))) throw new NotFoundError(`webhook ${id} not found`);
    return (await this.store.deliveries(this.database.db, projectId, id, limit)).map(wireDelivery);
  }

  /** Listen to the bus and resume deliveries left pending by a previous run. */
  async start(bus: EventBus): Promise<void> {
    this.stopped = false;
    this.unsubscribe = bus.subscribe((frame, projectId) => {
      // Most frames go to no webhook: when the project's hooks are known, skip those without a promise.
      const event = webhookEventTypeOf(frame.type);
      if (!event || !frame.incident_id) return;
      const known = this.knownHooks(projectId);
      if (known && !known.some((h) => h.events.includes(event))) return;
      this.onFrame(frame, projectId).catch((err: unknown) => this.logger.warn({ err }, "webhook fan-out failed"));
    });
    for (const d of await this.store.pending(this.database.db)) this.schedule(d, 0);
  }

  /** No new attempts; one in flight finishes, and what is still pending resumes at the next start. */
  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Frames carry their project, so an event goes only to that project's webhooks. */
  private async onFrame(frame: WsFrame, projectId: string): Promise<void> {
    const mapped = webhookEventOf(frame);
    if (!mapped || !frame.incident_id) return;
    const hooks = (await this.hooksOf(projectId)).filter((h) => h.events.includes(mapped.event));
    if (hooks.length === 0) return;
    const data =
      mapped.event === "incident.resolved"
        ? { ...mapped.data, duration_seconds: await this.durationSeconds(projectId, frame.incident_id, mapped.data) }
        : mapped.data;
    const body = JSON.stringify({ event: mapped.event, timestamp: frame.timestamp, data });
    for (const hook of hooks) {
      const now = new Date();
      const delivery: DeliveryRow = {
        projectId,
        id: randomUUID(),
        webhookId: hook.id,
        event: mapped.event,
        body,
        status: "pending",
        attempts: 0,
        lastStatusCode: null,
        lastError: null,
        createdAt: now,
        updatedAt: now,
        deliveredAt: null,
      };
      await this.store.insertDelivery(this.database.db, delivery);
      this.schedule(delivery, 0);
    }
  }

  private hooksOf(projectId: string): Promise<WebhookRow[]> {
    const cached = this.hooks.get(projectId);
    if (cached && Date.now() - cached.at < HOOKS_TTL_MS) return cached.rows;
    const entry: HooksEntry = { rows: this.store.list(this.database.db, projectId), at: Date.now() };
    this.hooks.set(projectId, entry);
    entry.rows.then(
      (rows) => {
        entry.loaded = rows;
      },
      () => {
        if (this.hooks.get(projectId) === entry) this.hooks.delete(projectId);
      },
    );
    return entry.rows;
  }

  /** The project's hooks when read and still fresh, else undefined (read them through `hooksOf`). */
  private knownHooks(projectId: string): WebhookRow[] | undefined {
    const cached = this.hooks.get(projectId);
    return cached && Date.now() - cached.at < HOOKS_TTL_MS ? cached.loaded : undefined;
  }

  /** A resolved incident's row is committed before its frame is published, so it is there to read. */
  private async durationSeconds(
    projectId: string,
    incidentId: string,
    data: Record<string, unknown>,
  ): Promise<number | null> {
    const createdAt = await this.store.incidentCreatedAt(this.database.db, projectId, incidentId);
    if (!createdAt) return null;
    return Math.round((Date.parse(String(data.resolved_at)) - createdAt.getTime()) / 1000);
  }

  private schedule(d: DeliveryRow, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.attempt(d).catch((err: unknown) => this.logger.warn({ err, delivery: d.id }, "webhook attempt failed"));
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(d: DeliveryRow): Promise<void> {
    const hook = await this.store.get(this.database.db, d.projectId, d.webhookId);
    if (!hook) return; // deleted meanwhile, with its log
    const attempts = d.attempts + 1;
    const outcome = await this.post(hook, d);
    const now = new Date();
    if (outcome.ok) {
      await this.store.updateDelivery(this.database.db, d.projectId, d.id, {
        status: "delivered",
        attempts,
        lastStatusCode: outcome.status,
        lastError: null,
        updatedAt: now,
        deliveredAt: now,
      });
      return;
    }
    const last = attempts >= this.settings.maxAttempts;
    await this.store.updateDelivery(this.database.db, d.projectId, d.id, {
      status: last ? "failed" : "pending",
      attempts,
      lastStatusCode: outcome.status,
      lastError: outcome.error,
      updatedAt: now,
    });
    if (!last) this.schedule({ ...d, attempts }, this.settings.backoffMs * 2 ** (attempts - 1));
  }

  private async post(
    hook: WebhookRow,
    d: DeliveryRow,
  ): Promise<{ ok: boolean; status: number | null; error: string | null }> {
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(hook.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "AegisOps-Webhooks",
          "x-webhook-id": hook.id,
          "x-delivery-id": d.id,
          "x-event": d.event,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(hook.secret, timestamp, d.body),
        },
        body: d.body,
        redirect: "manual", // a redirect is not a delivery: the signed body must reach the registered URL
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      await res.body?.cancel();
      const ok = res.status >= 200 && res.status < 300;
      return { ok, status: res.status, error: ok ? null : `HTTP ${res.status}` };
    } catch (err) {
      return { ok: false, status: null, error: (err as Error).message };
    }
  }
}

function wireWebhook(r: WebhookRow): Webhook {
  return { id: r.id, url: r.url, events: r.events, created_at: r.createdAt.toISOString() };
}

function wireDelivery(r: DeliveryRow): Delivery {
  return {
    id: r.id,
    webhook_id: r.webhookId,
    event: r.event,
    status: r.status,
    attempts: r.attempts,
    last_status_code: r.lastStatusCode,
    last_error: r.lastError,
    created_at: r.createdAt.toISOString(),
    delivered_at: r.deliveredAt?.toISOString() ?? null,
  };
}
