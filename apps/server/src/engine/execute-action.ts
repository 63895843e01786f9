import type { AIAnalysis } from "@aegis/contracts";
import { scaleDownPayload, scaleUpPayload } from "../events/scale-payloads.js";
import { assertNever } from "../shared/errors.js";
import type { ActionRow } from "../store/action-log.js";
import type { Db } from "../store/database.js";
import type { PipelineDeps } from "./pipeline-deps.js";
import type { Change } from "./recorder.js";

/**
 * `parked`: the action was not started and the incident waits for a human (restart budget spent by
 * other incidents after the council's review); the job is parked like a council NEEDS_REVIEW.
 */
export type ExecuteOutcome =
  | { ok: true; resumed: boolean }
  | { ok: false; parked: true; reason: string }
  | { ok: false; parked?: false; error: string };

type RemediatingAction = Exclude<AIAnalysis["action"], "NOOP">;

/**
 * Runs the approved action exactly once. The action record (idempotency key = incident + action)
 * is committed before the executor is called; if a record is found already `started`, the previous
 * run died mid-action, so the action is treated as possibly done and left to verification.
 */
export async function executeAction(
  d: PipelineDeps,
  a: {
    projectId: string;
    incidentId: string;
    target: string;
    analysis: AIAnalysis;
    maxReplicas: number;
    /** Restarts of one target per hour that need no human (the council policy's restartBudgetPerHour). */
    restartBudgetPerHour: number;
  },
): Promise<ExecuteOutcome> {
  const { projectId, incidentId, target, analysis } = a;
  const action = analysis.action as RemediatingAction;
  const db = d.database.db;
  const key = `${incidentId}:${action}`;
  const existing = await d.actions.find(db, projectId, key);
  if (existing?.state === "succeeded") return { ok: true, resumed: true };
  if (existing?.state === "failed") return { ok: false, error: existing.error ?? `${action} failed` };
  if (existing?.state === "started") {
    await d.recorder.commit(projectId, incidentId, {
      steps: [
        {
          status: "RESUMED",
          message: `${action} on ${target} may have run before the interruption; verifying instead of repeating it.`,
          agent: null,
        },
      ],
    });
    return { ok: true, resumed: true };
  }

  const status = action === "SCALE_UP" || action === "SCALE_DOWN" ? "SCALING" : "EXECUTING";
  const count = Math.min(analysis.replica_count, a.maxReplicas);
  // The council saw the restart count at review time; other incidents of the same target may have
  // restarted it since. Checking the budget and recording this start under the target's lock makes
  // the two one step for every server sharing the database: no two starts can both see room left.
  // The same lock serialises scale actions of a target, so their absolute (capped) replica counts
  // are applied one after the other.
  const gate = await d.recorder.commitWith(
    projectId,
    incidentId,
    async (tx): Promise<{ change: Change; result: { parked: string } | { record: ActionRow } }> => {
      await d.actions.lockTarget(tx, projectId, target);
      const budget = action === "RESTART" ? await restartBudget(d, tx, a) : null;
      const approvedBy = budget?.spent
        ? ((await d.incidents.getRow(tx, projectId, incidentId))?.approvedBy ?? null)
        : null;
      if (budget?.spent && approvedBy === null) {
        const reason = `The restart budget (${budget.used} of ${a.restartBudgetPerHour} in the last hour) was used up by other incidents after the council's review; ${action} on ${target} was not started. Awaiting human approval (POST /api/v1/incidents/${incidentId}/approve or /reject).`;
        return {
          change: {
            steps: [{ status: "AWAITING_APPROVAL", message: reason }],
            patch: { status: "AWAITING_APPROVAL" },
          },
          result: { parked: reason },
        };
      }
      const record = await d.actions.start(tx, {
        projectId,
        incidentId,
        key,
        kind: action,
        target,
        params: { count },
      });
      const overBudget =
        budget?.spent && approvedBy !== null
          ? ` (approved by ${approvedBy} although it exceeds the restart budget: ${budget.used} of ${a.restartBudgetPerHour} in the last hour)`
          : "";
      const message =
        action === "SCALE_UP"
          ? `Scaling ${target} up to ${count} replicas`
          : `Executing: ${action} on ${target}${overBudget}`;
      return {
        change: {
          steps: [{ status, message }],
          patch: { status },
          frames: [{ type: "docker.action", data: { incident_id: incidentId, action, container: target } }],
        },
        result: { record },
      };
    },
  );
  if ("parked" in gate) return { ok: false, parked: true, reason: gate.parked };
  const record = gate.record;

  try {
    switch (action) {
      case "RESTART": {
        const r = await d.executor.restart(target);
        await finish(d, a, record.id, r, { status: "RESTARTED", message: `Container status: ${r.status}` });
        break;
      }
      case "SCALE_UP": {
        const event = await d.executor.scaleUp(target, count);
        await finish(
          d,
          a,
          record.id,
          event,
          {
            status: "SCALED",
            message: `Scaled ${target} to ${event.replica_count} replicas: ${event.replicas.join(", ")}`,
          },
          { replicasSpawned: event.replicas.length },
        );
        d.recorder.publish(projectId, "scale.event", incidentId, scaleUpPayload(incidentId, event));
        break;
      }
      case "SCALE_DOWN": {
        const r = await d.executor.scaleDown(target);
        await finish(d, a, record.id, r, {
          status: "SCALED",
          message: r.removed.length ? `Removed replicas: ${r.removed.join(", ")}` : "No replicas to remove",
        });
        d.recorder.publish(projectId, "scale.event", incidentId, scaleDownPayload(incidentId, target, r.removed));
        break;
      }
      case "ROLLBACK": {
        const r = await d.executor.rollback(target);
        await finish(d, a, record.id, r, {
          status: "ROLLED_BACK",
          message: `Rolled back ${target} from ${r.fromVersion} to ${r.toVersion} (status: ${r.status})`,
        });
        break;
      }
      default:
        assertNever(action);
    }
    return { ok: true, resumed: false };
  } catch (err) {
    const error = `${action} on ${target} failed: ${err instanceof Error ? err.message : String(err)}`;
    await d.actions.finish(db, record.id, { state: "failed", error });
    return { ok: false, error };
  }
}

async function finish(
  d: PipelineDeps,
  a: { projectId: string; incidentId: string },
  actionId: number,
  result: unknown,
  step: { status: "RESTARTED" | "SCALED" | "ROLLED_BACK"; message: string },
  patch: { replicasSpawned?: number } = {},
): Promise<void> {
  await d.recorder.commit(a.projectId, a.incidentId, {
    steps: [{ ...step, agent: null }],
    patch,
    extra: (tx) => d.actions.finish(tx, actionId, { state: "succeeded", result }),
  });
}

/** Restarts of the target in the last hour, read under the target's lock. */
async function restartBudget(
  d: PipelineDeps,
  tx: Db,
  a: { projectId: string; target: string; restartBudgetPerHour: number },
): Promise<{ used: number; spent: boolean }> {
  const used = await d.actions.restartsSince(tx, a.projectId, a.target, new Date(Date.now() - 3_600_000));
  return { used, spent: used >= a.restartBudgetPerHour };
}
