import type { Logger } from "../shared/logger.js";
import type { IncidentStore } from "../store/incident-store.js";
import type { JobQueue } from "../store/job-queue.js";
import type { IncidentRecorder } from "./recorder.js";

/**
 * Ends approvals nobody gives. The clock is the parked job's own `updated_at` in the database, so a
 * restart neither resets nor loses it, and several servers sweeping the same database expire each
 * incident once (the job leaves `waiting` in the same transaction as the FAILED status).
 */
export class ApprovalExpiry {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;

  constructor(
    private readonly jobs: JobQueue,
    private readonly incidents: IncidentStore,
    private readonly recorder: IncidentRecorder,
    private readonly logger: Logger,
    private readonly expiryMs: number,
  ) {}

  /** Sweep now and then every tenth of the expiry (between 1 s and 30 s), so an approval overruns by little. */
  start(): void {
    const every = Math.min(30_000, Math.max(1000, this.expiryMs / 10));
    this.timer = setInterval(() => void this.sweep(), every);
    this.timer.unref();
    void this.sweep();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
  }

  /** Expire every approval overdue now; returns how many. */
  sweep(now = new Date()): Promise<number> {
    this.sweeping ??= this.expireOverdue(now).finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async expireOverdue(now: Date): Promise<number> {
    let expired = 0;
    try {
      const due = await this.jobs.parkedBefore(new Date(now.getTime() - this.expiryMs), 100);
      for (const d of due) if (await this.expire(d.projectId, d.incidentId, d.since)) expired++;
    } catch (err) {
      this.logger.warn({ err }, "approval expiry sweep failed; retrying at the next sweep");
    }
    return expired;
  }

  private expire(projectId: string, incidentId: string, since: Date): Promise<boolean> {
    const minutes = Math.round(this.expiryMs / 6000) / 10;
    const error = `Approval expired: nobody approved or rejected the proposal within ${minutes} min (AEGIS_APPROVAL_EXPIRY_SECS) of ${since.toISOString()}; nothing was executed.`;
    return this.recorder.commitWith(projectId, incidentId, async (tx) => {
      const row = await this.incidents.lockRow(tx, projectId, incidentId);
      // A parked job of an incident no longer awaiting approval is left to the pipeline.
      if (row?.status !== "AWAITING_APPROVAL" || !(await this.jobs.finishParked(tx, projectId, incidentId))) {
        return { change: {}, result: false };
      }
      return {
        change: {
          steps: [{ status: "FAILED" as const, message: error, agent: null }],
          patch: { status: "FAILED" as const, error },
        },
        result: true,
      };
    });
  }
}
