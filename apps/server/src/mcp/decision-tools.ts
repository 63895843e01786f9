import type { IncidentResult } from "@aegis/contracts";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { approvalOf } from "../engine/seed000-wire.js";
import { auditedToolCall } from "./audited-tool-call.js";
import type { McpCaller } from "./mcp-caller.js";
import type { McpDeps } from "./mcp-deps.js";
import { toolResult } from "./tool-result.js";

const IncidentId = z.string().min(1).max(200).describe("The incident's id or its INC-<n> reference");
const Note = z.string().max(2000).optional().describe("Why; kept on the incident's timeline");
const MUTATES = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false } as const;

/**
 * The tools that change an incident: acknowledge, and the human decision on a remediation the council
 * sent for review. Each calls the service its HTTP route calls (`POST …/acknowledge`, `…/approve`,
 * `…/reject`), as the caller, so expiry, conflicts and the council's hard rules answer identically.
 */
export function registerDecisionTools(server: McpServer, d: McpDeps, caller: McpCaller): void {
  const project = caller.projectId;
  const by = caller.principal.id;
  const expiryMs = d.config.AEGIS_APPROVAL_EXPIRY_SECS * 1000;
  const decided = (verb: string, r: IncidentResult) => {
    const approval = approvalOf(r.incident_id, r.timeline, expiryMs);
    const text = `${verb} ${r.incident_id} as ${by}: automation status ${r.status}${approval ? `, approval ${approval.state}` : ""}`;
    return toolResult(text, { incident_id: r.incident_id, status: r.status, approval, decided_by: by });
  };

  server.registerTool(
    "acknowledge_incident",
    {
      title: "Acknowledge an incident",
      description: "Acknowledge the incident as the caller (lifecycle → acknowledged). Needs the member role.",
      inputSchema: { id: IncidentId },
      annotations: { ...MUTATES, idempotentHint: true },
    },
    async ({ id }) =>
      auditedToolCall(
        d,
        caller,
        { tool: "acknowledge_incident", permission: "incidents.write", resourceId: id, args: { id } },
        async () => {
          const moved = await d.incidentActions.acknowledge(project, caller.principal, id);
          return toolResult(`${moved.reference} acknowledged by ${by} (was ${moved.previous_state})`, {
            ...moved,
          });
        },
      ),
  );

  server.registerTool(
    "approve_action",
    {
      title: "Approve a pending remediation",
      description:
        "Approve the remediation an incident is waiting on (automation status AWAITING_APPROVAL): the action then runs. Decided as the caller; refused once expired or decided. Needs the member role.",
      inputSchema: { id: IncidentId, note: Note },
      annotations: MUTATES,
    },
    async ({ id, note }) =>
      auditedToolCall(
        d,
        caller,
        { tool: "approve_action", permission: "remediations.approve", resourceId: id, args: { id, note } },
        async () => decided("approved", await d.incidents.approve(project, id, by, note)),
      ),
  );

  server.registerTool(
    "reject_action",
    {
      title: "Reject a pending remediation",
      description:
        "Reject the remediation an incident is waiting on: nothing is executed and the incident ends FAILED with the reason. Decided as the caller. Needs the member role.",
      inputSchema: { id: IncidentId, note: Note },
      annotations: { ...MUTATES, destructiveHint: true },
    },
    async ({ id, note }) =>
      auditedToolCall(
        d,
        caller,
        { tool: "reject_action", permission: "remediations.approve", resourceId: id, args: { id, note } },
        async () => decided("rejected", await d.incidents.reject(project, id, by, note)),
      ),
  );
}
