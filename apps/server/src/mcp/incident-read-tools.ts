import { LifecycleState } from "@aegis/contracts";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { approvalOf } from "../engine/seed000-wire.js";
import type { McpCaller } from "./mcp-caller.js";
import type { McpDeps } from "./mcp-deps.js";
import { toolError, toolResult } from "./tool-result.js";

const OPEN: LifecycleState[] = ["detected", "acknowledged", "investigating", "mitigated"];
const IncidentId = z.string().min(1).max(200).describe("The incident's id or its INC-<n> reference");
/** Lines of timeline shown in the text answer; the structured answer carries every entry. */
const TEXT_TIMELINE_LINES = 20;
const READ_ONLY = { readOnlyHint: true, destructiveHint: false, openWorldHint: false } as const;

/** Reading incidents: the list, one incident with its pending approval, and its timeline. */
export function registerIncidentReadTools(server: McpServer, d: McpDeps, caller: McpCaller): void {
  const r = d.incidentResource;
  const project = caller.projectId;
  const expiryMs = d.config.AEGIS_APPROVAL_EXPIRY_SECS * 1000;

  server.registerTool(
    "list_incidents",
    {
      title: "List incidents",
      description:
        "The project's incidents, newest first. Filter by lifecycle `state` (or `open` for every unresolved state), `service`, `severity`, or `awaiting_approval: true` for remediations waiting for a human decision.",
      inputSchema: {
        state: z.enum([...LifecycleState.options, "open"]).optional(),
        service: z.string().min(1).max(253).optional(),
        severity: z.string().min(1).max(40).optional(),
        awaiting_approval: z.boolean().optional(),
        limit: z.number().int().min(1).max(100).default(20),
        offset: z.number().int().min(0).max(10_000_000).default(0),
      },
      annotations: READ_ONLY,
    },
    async (a) => {
      try {
        const filter = {
          service: a.service,
          severity: a.severity,
          ...(a.state ? { lifecycle: a.state === "open" ? OPEN : [a.state] } : {}),
          ...(a.awaiting_approval ? { automationStatus: "AWAITING_APPROVAL" } : {}),
        };
        const { items, total } = await r.list(project, filter, a.limit, a.offset);
        const lines = items.map(
          (i) => `${i.reference} [${i.state}, ${i.automation_status}] ${i.title} (${i.severity ?? "no severity"})`,
        );
        const text = [`${items.length} of ${total} incidents`, ...lines].join("\n");
        return toolResult(text, { items, total, limit: a.limit, offset: a.offset });
      } catch (err) {
        return toolError("list_incidents", err, d.logger);
      }
    },
  );

  server.registerTool(
    "get_incident",
    {
      title: "Get an incident",
      description:
        "One incident: lifecycle state and history, the automation's record (root cause, proposed action, council verdict) and, when a remediation waits for a human, its pending approval with expiry.",
      inputSchema: { id: IncidentId },
      annotations: READ_ONLY,
    },
    async ({ id }) => {
      try {
        const incident = await r.get(project, id);
        const approval = approvalOf(incident.id, await r.timeline(project, incident.id), expiryMs);
        const a = incident.automation;
        const text = [
          `${incident.reference} "${incident.title}": ${incident.state}, automation ${a.status}`,
          a.root_cause ? `root cause: ${a.root_cause}` : null,
          a.action ? `proposed action: ${a.action}${a.final_verdict ? ` (council: ${a.final_verdict})` : ""}` : null,
          approval
            ? `approval ${approval.state}${approval.state === "pending" ? ` until ${approval.expires_at}` : ""}`
            : null,
        ]
          .filter((l) => l !== null)
          .join("\n");
        return toolResult(text, { incident, approval });
      } catch (err) {
        return toolError("get_incident", err, d.logger);
      }
    },
  );

  server.registerTool(
    "get_incident_timeline",
    {
      title: "Get an incident's timeline",
      description: "The incident's timeline, oldest first: detection, diagnosis, council, decisions, actions, outcome.",
      inputSchema: { id: IncidentId },
      annotations: READ_ONLY,
    },
    async ({ id }) => {
      try {
        const items = await r.timeline(project, id);
        const shown = items.slice(-TEXT_TIMELINE_LINES);
        const text = [
          `${items.length} timeline entries${shown.length < items.length ? ` (last ${shown.length} shown)` : ""}`,
          ...shown.map((t) => `${t.ts} ${t.status}${t.agent ? ` (${t.agent})` : ""}: ${t.message}`),
        ].join("\n");
        return toolResult(text, { incident_id: id, items });
      } catch (err) {
        return toolError("get_incident_timeline", err, d.logger);
      }
    },
  );
}
