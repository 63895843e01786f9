import { randomUUID } from "node:crypto";
import type { CreateMaintenanceWindow, CreateSilence, SilenceView, UpdateSilence } from "@aegis/contracts";
import { invalidRegex } from "../ingest/silence-matcher.js";
import type { Principal } from "../ports/identity.js";
import type { SilenceChecker, SilenceQuery, Suppression } from "../ports/silences.js";
import { NotFoundError, ValidationError } from "../shared/errors.js";
import type { AlertStore, SilenceRow } from "../store/alert-store.js";
import type { Database } from "../store/database.js";
import { suppressing } from "./alert-grouping.js";

type Kind = "silence" | "maintenance";

const invalid = (field: string, msg: string) =>
  new ValidationError(`${field}: ${msg}`, [{ loc: ["body", field], msg, type: "value_error" }]);

/**
 * Silences and maintenance windows: Alertmanager-style matchers over a time window, attributed to
 * who created them. They keep every alert and incident; they only stop paging (`SilenceChecker`).
 */
export class SilenceService implements SilenceChecker {
  constructor(
    private readonly database: Database,
    private readonly store: AlertStore,
  ) {}

  async create(projectId: string, by: Principal, kind: Kind, body: CreateSilence | CreateMaintenanceWindow) {
    const { startsAt, endsAt } = window(body.startsAt, body.endsAt);
    const bad = invalidRegex(body.matchers);
    if (bad) throw invalid("matchers", bad);
    const now = new Date();
    const row = await this.store.createSilence(this.database.db, {
      projectId,
      id: randomUUID(),
      kind,
      name: "name" in body ? body.name : null,
      matchers: body.matchers,
      startsAt,
      endsAt,
      comment: body.comment,
      createdBy: `${by.displayName} (${by.kind} ${by.id})`,
      createdAt: now,
      updatedAt: now,
    });
    return viewOf(row, now);
  }

  async list(projectId: string, kind: Kind, state?: string): Promise<SilenceView[]> {
    const now = new Date();
    const views = (await this.store.silences(this.database.db, projectId, kind)).map((r) => viewOf(r, now));
    return state ? views.filter((v) => v.status.state === state) : views;
  }

  async get(projectId: string, kind: Kind, id: string): Promise<SilenceView> {
    return viewOf(await this.mustGet(projectId, kind, id), new Date());
  }

  async update(projectId: string, kind: Kind, id: string, patch: UpdateSilence): Promise<SilenceView> {
    const row = await this.mustGet(projectId, kind, id);
    const { startsAt, endsAt } = window(
      patch.startsAt ?? row.startsAt.toISOString(),
      patch.endsAt ?? row.endsAt.toISOString(),
    );
    if (patch.matchers) {
      const bad = invalidRegex(patch.matchers);
      if (bad) throw invalid("matchers", bad);
    }
    const updated = await this.store.updateSilence(this.database.db, projectId, id, {
      ...(patch.matchers ? { matchers: patch.matchers } : {}),
      ...(patch.comment !== undefined ? { comment: patch.comment } : {}),
      ...(patch.name !== undefined && kind === "maintenance" ? { name: patch.name } : {}),
      startsAt,
      endsAt,
    });
    if (!updated) throw new NotFoundError(`${kind} ${id} not found`);
    return viewOf(updated, new Date());
  }

  /** Expire now (Alertmanager's DELETE): the record stays, with its count of suppressed alerts. */
  async expire(projectId: string, kind: Kind, id: string): Promise<SilenceView> {
    const row = await this.mustGet(projectId, kind, id);
    const now = new Date();
    if (row.endsAt <= now) return viewOf(row, now);
    const startsAt = row.startsAt > now ? now : row.startsAt;
    const updated = await this.store.updateSilence(this.database.db, projectId, id, { startsAt, endsAt: now });
    return viewOf(updated ?? row, now);
  }

  async suppression(projectId: string, query: SilenceQuery): Promise<Suppression | null> {
    const active = await this.store.activeSilences(this.database.db, [projectId], query.at);
    const labels = { ...query.labels, ...(query.service && !query.labels.service ? { service: query.service } : {}) };
    const s = suppressing(active, projectId, labels);
    if (!s) return null;
    const what = s.kind === "maintenance" ? `maintenance window ${s.name ?? s.id}` : `silence ${s.id}`;
    return {
      kind: s.kind,
      id: s.id,
      reason: `${what} by ${s.createdBy}${s.comment ? `: ${s.comment}` : ""}`,
      endsAt: s.endsAt.toISOString(),
    };
  }

  private async mustGet(projectId: string, kind: Kind, id: string): Promise<SilenceRow> {
    const row = await this.store.silence(this.database.db, projectId, kind, id);
    if (!row) throw new NotFoundError(`${kind === "maintenance" ? "maintenance window" : "silence"} ${id} not found`);
    return row;
  }
}

function window(starts: string, ends: string): { startsAt: Date; endsAt: Date } {
  const startsAt = new Date(starts);
  const endsAt = new Date(ends);
  if (endsAt <= startsAt) throw invalid("endsAt", "must be after startsAt");
  if (endsAt <= new Date()) throw invalid("endsAt", "must be in the future");
  return { startsAt, endsAt };
}

function viewOf(r: SilenceRow, now: Date): SilenceView {
  const state = r.endsAt <= now ? "expired" : r.startsAt > now ? "pending" : "active";
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    matchers: r.matchers,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    comment: r.comment,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    status: { state },
    suppressed: r.suppressed,
  };
}
