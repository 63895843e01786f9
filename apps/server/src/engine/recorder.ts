import type { FramePayload, IncidentStatus, TimelineStatus, WsFrameType } from "@aegis/contracts";
import type { SQL } from "drizzle-orm";
import type { EventBus } from "../ports/event-bus.js";
import type { Database, Db } from "../store/database.js";
import type { IncidentBatchStore } from "../store/incident-batch-store.js";
import type { IncidentPatch, IncidentStore, NewIncident } from "../store/incident-store.js";
import { runAtomically } from "../store/run-atomically.js";

export interface Step {
  status: TimelineStatus;
  message: string;
  agent?: string | null;
}

/** A frame of one type with its payload, published once the change holding it is committed. */
export type Frame = { [T in WsFrameType]: { type: T; data: FramePayload<T> } }[WsFrameType];

/** What one commit writes: timeline entries, an incident patch, other writes in the same transaction, and frames. */
/** One incident's change within a batch commit. */
export interface IncidentChange {
  projectId: string;
  incidentId: string;
  change: Change;
}

export interface Change {
  steps?: Step[];
  patch?: IncidentPatch;
  frames?: Frame[];
  extra?: (tx: Db) => Promise<void>;
}

/**
 * The one writer of incident timelines and of the frames that report them: commits an incident's
 * transitions and only then publishes their frames, so a client never sees a state the database
 * does not hold. Every timeline entry goes out as a `status.update` frame, and a patch that ends the
 * incident as its `resolved` or `failed` frame, so no caller builds those.
 */
export class IncidentRecorder {
  constructor(
    private readonly database: Database,
    private readonly incidents: IncidentStore,
    private readonly bus: EventBus,
    private readonly batch?: IncidentBatchStore,
  ) {}

  /**
   * Many incidents' changes in ONE transaction (the batched pipeline's stage commit): every entry in
   * one insert, every patch in one update, then `extra` (the batch's other writes); frames after COMMIT.
   */
  async commitMany(changes: readonly IncidentChange[], extra: readonly SQL[] = []): Promise<void> {
    await this.commitStages([changes], extra);
  }

  /**
   * Several consecutive stages of many incidents in ONE transaction (a batch whose stages ran faster
   * than it is worth committing each): the entries of every stage in stage order (the sequence keeps
   * it), one patch per incident (its stages' patches merged, later fields winning), then `extra`
   * (statements built in advance: the batch's votes, its jobs settled). The transaction's statements
   * are built before it begins and sent at once (`runAtomically`) unless a change brings its own
   * writes (`Change.extra`). After COMMIT each stage is announced in turn, `announced(i)` called after
   * stage i: the frames go out in the order committing the stages one by one would have sent them.
   */
  async commitStages(
    stages: readonly (readonly IncidentChange[])[],
    extra: readonly SQL[] = [],
    announced?: (stage: number) => void,
  ): Promise<void> {
    const batch = this.batch;
    const db = this.database.db;
    const changes = stages.flat();
    if (changes.length === 0 && extra.length === 0) {
      for (let i = 0; i < stages.length; i++) announced?.(i);
      return;
    }
    if (!batch) {
      await db.transaction(async (tx) => {
        for (const c of changes) await this.write(tx, c.projectId, c.incidentId, c.change);
        for (const s of extra) await tx.execute(s);
      });
    } else {
      const patches = new Map<string, { projectId: string; incidentId: string; patch: IncidentPatch }>();
      for (const c of changes) {
        if (!c.change.patch) continue;
        const key = `${c.projectId}\u0000${c.incidentId}`;
        const prior = patches.get(key);
        if (prior) prior.patch = { ...prior.patch, ...c.change.patch };
        else patches.set(key, { projectId: c.projectId, incidentId: c.incidentId, patch: c.change.patch });
      }
      const rows = [
        ...batch.appendAllStatements(
          changes.map((c) => ({ projectId: c.projectId, incidentId: c.incidentId, entries: c.change.steps ?? [] })),
        ),
        ...batch.updateAllStatements(db, [...patches.values()]),
      ];
      const own = changes.flatMap((c) => (c.change.extra ? [c.change.extra] : []));
      if (own.length === 0) await runAtomically(db, [...rows, ...extra]);
      else
        await db.transaction(async (tx) => {
          for (const s of rows) await tx.execute(s);
          for (const write of own) await write(tx);
          for (const s of extra) await tx.execute(s);
        });
    }
    for (let i = 0; i < stages.length; i++) {
      for (const c of stages[i] ?? []) this.announce(c.projectId, c.incidentId, c.change);
      announced?.(i);
    }
  }

  async commit(projectId: string, incidentId: string, change: Change): Promise<void> {
    // A lone statement is atomic by itself; only several need a transaction.
    const statements = (change.steps?.length ? 1 : 0) + (change.patch ? 1 : 0) + (change.extra ? 2 : 0);
    if (statements > 1) await this.database.db.transaction((tx) => this.write(tx, projectId, incidentId, change));
    else await this.write(this.database.db, projectId, incidentId, change);
    this.announce(projectId, incidentId, change);
  }

  /**
   * A change decided inside the transaction that writes it: `decide` runs first (it may take locks
   * and read under them), then its change is written, all or nothing; frames go out after COMMIT.
   */
  async commitWith<R>(
    projectId: string,
    incidentId: string,
    decide: (tx: Db) => Promise<{ change: Change; result: R }>,
  ): Promise<R> {
    const { change, result } = await this.database.db.transaction(async (tx) => {
      const decided = await decide(tx);
      await this.write(tx, projectId, incidentId, decided.change);
      return decided;
    });
    this.announce(projectId, incidentId, change);
    return result;
  }

  /** A status change with its timeline entry. */
  async transition(projectId: string, incidentId: string, status: IncidentStatus, message: string, agent?: string) {
    await this.commit(projectId, incidentId, { steps: [{ status, message, agent: agent ?? null }], patch: { status } });
  }

  /**
   * Escalation's entry (a page sent or suppressed, an escalation stopped or exhausted), committed with
   * the escalation's own state change (`extra`) so the timeline and the escalation never disagree.
   */
  async paged(projectId: string, incidentId: string, message: string, extra?: (tx: Db) => Promise<void>) {
    await this.commit(projectId, incidentId, {
      steps: [{ status: "PAGED", message, agent: "ESCALATION" }],
      ...(extra ? { extra } : {}),
    });
  }

  /**
   * A change written inside a caller's transaction (a batch load); returns the announcement to make
   * once that transaction has committed.
   */
  async writeWithin(tx: Db, projectId: string, incidentId: string, change: Change): Promise<() => void> {
    await this.write(tx, projectId, incidentId, change);
    return () => this.announce(projectId, incidentId, change);
  }

  /** `status.update` frames for entries a batch load wrote in its own statement (alert grouping), after COMMIT. */
  announceSteps(projectId: string, incidentId: string, steps: Step[]): void {
    this.announce(projectId, incidentId, { steps });
  }

  /** Incidents the ingest has just stored (with their RECEIVED entry): `incident.new`. */
  received(incidents: readonly Pick<NewIncident, "projectId" | "id" | "alertType" | "logs" | "severity">[]): void {
    for (const i of incidents) {
      this.bus.publish(i.projectId, "incident.new", i.id, {
        incident_id: i.id,
        alert_type: i.alertType,
        logs: i.logs.slice(0, 200),
        severity: i.severity ?? null,
      });
    }
  }

  /** Progress that changes no state (AI tokens, health-check attempts): nothing to commit first. */
  publish<T extends WsFrameType>(projectId: string, type: T, incidentId: string, data: FramePayload<T>): void {
    this.bus.publish(projectId, type, incidentId, data);
  }

  private async write(tx: Db, projectId: string, incidentId: string, change: Change): Promise<void> {
    await this.incidents.appendMany(tx, projectId, incidentId, change.steps ?? []);
    if (change.patch) await this.incidents.update(tx, projectId, incidentId, change.patch);
    if (change.extra) await change.extra(tx);
  }

  private announce(projectId: string, incidentId: string, change: Change): void {
    const steps = change.steps ?? [];
    for (const s of steps) {
      const data = { incident_id: incidentId, status: s.status, message: s.message, agent: s.agent ?? null };
      this.bus.publish(projectId, "status.update", incidentId, data);
    }
    for (const f of change.frames ?? []) this.send(projectId, incidentId, f);
    const patch = change.patch;
    if (patch?.status === "RESOLVED") {
      const resolvedAt = (patch.resolvedAt ?? new Date()).toISOString();
      this.bus.publish(projectId, "resolved", incidentId, { incident_id: incidentId, resolved_at: resolvedAt });
    } else if (patch?.status === "FAILED") {
      const error = patch.error ?? steps.findLast((s) => s.status === "FAILED")?.message ?? "failed";
      this.bus.publish(projectId, "failed", incidentId, { incident_id: incidentId, error });
    }
  }

  // With `f` a union, `T` is the union of its types: each member's type and payload stay paired.
  private send<T extends WsFrameType>(
    projectId: string,
    incidentId: string,
    f: { type: T; data: FramePayload<T> },
  ): void {
    this.bus.publish(projectId, f.type, incidentId, f.data);
  }
}
