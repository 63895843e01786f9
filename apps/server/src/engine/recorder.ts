import type { IncidentStatus, TimelineStatus, WsFrameType } from "@aegis/contracts";
import type { EventBus } from "../ports/event-bus.js";
import type { Database, Db } from "../store/database.js";
import type { IncidentPatch, IncidentStore } from "../store/incident-store.js";

export interface Step {
  status: TimelineStatus;
  message: string;
  agent?: string | null;
}

export interface Frame {
  type: WsFrameType;
  data: unknown;
}

/**
 * Commits an incident's transitions and only then publishes their frames, so a client never sees
 * a state the database does not hold. Every timeline entry also goes out as a `status.update` frame.
 */
export class IncidentRecorder {
  constructor(
    private readonly database: Database,
    private readonly incidents: IncidentStore,
    private readonly bus: EventBus,
  ) {}

  async commit(
    projectId: string,
    incidentId: string,
    change: { steps?: Step[]; patch?: IncidentPatch; frames?: Frame[]; extra?: (tx: Db) => Promise<void> },
  ): Promise<void> {
    const steps = change.steps ?? [];
    const write = async (tx: Db) => {
      await this.incidents.appendMany(tx, projectId, incidentId, steps);
      if (change.patch) await this.incidents.update(tx, projectId, incidentId, change.patch);
      if (change.extra) await change.extra(tx);
    };
    // A lone statement is atomic by itself; only several need a transaction.
    const statements = (steps.length > 0 ? 1 : 0) + (change.patch ? 1 : 0) + (change.extra ? 2 : 0);
    if (statements > 1) await this.database.db.transaction(write);
    else await write(this.database.db);
    for (const s of steps) {
      this.bus.publish("status.update", incidentId, {
        incident_id: incidentId,
        status: s.status,
        message: s.message,
        agent: s.agent ?? null,
      });
    }
    for (const f of change.frames ?? []) this.bus.publish(f.type, incidentId, f.data);
  }

  /** A status change with its timeline entry. */
  async transition(projectId: string, incidentId: string, status: IncidentStatus, message: string, agent?: string) {
    await this.commit(projectId, incidentId, { steps: [{ status, message, agent: agent ?? null }], patch: { status } });
  }

  publish(type: WsFrameType, incidentId: string, data: unknown): void {
    this.bus.publish(type, incidentId, data);
  }
}
