import type { AutomatedAction, AutomationMode } from "@aegis/contracts";
import type { IncidentRow } from "../store/incident-store.js";
import type { IncidentRecorder } from "./recorder.js";

/** Port of the project's automation settings, as the pipeline reads them. */
export interface AutomationModes {
  modeFor(projectId: string, action: AutomatedAction): Promise<AutomationMode>;
}

/**
 * Applies the project's automation mode to an action the council approved, before it runs:
 * `auto` lets it run (null), `approve` parks the incident for a human (AWAITING_APPROVAL, the same
 * approval the council's NEEDS_REVIEW asks for), `suggest` records the action as a suggestion and ends
 * the run without executing it. An action a human already approved runs whatever the mode.
 */
export async function holdForMode(
  modes: AutomationModes,
  recorder: Pick<IncidentRecorder, "commit">,
  row: Pick<IncidentRow, "projectId" | "id" | "approvedBy" | "containerName">,
  action: AutomatedAction,
): Promise<"parked" | "done" | null> {
  if (row.approvedBy !== null) return null;
  const mode = await modes.modeFor(row.projectId, action);
  const target = row.containerName ?? "its target";
  switch (mode) {
    case "auto":
      return null;
    case "approve": {
      const message = `Automation mode "approve": the council approved ${action} on ${target}; awaiting human approval (POST /api/v1/incidents/${row.id}/approve or /reject).`;
      await recorder.commit(row.projectId, row.id, {
        steps: [{ status: "AWAITING_APPROVAL", message, agent: null }],
        patch: { status: "AWAITING_APPROVAL" },
      });
      return "parked";
    }
    case "suggest": {
      const message = `Automation mode "suggest": ${action} on ${target} is suggested (the council approved it) and was not executed.`;
      await recorder.commit(row.projectId, row.id, { steps: [{ status: "APPROVED", message, agent: null }] });
      return "done";
    }
  }
}
