import type { Config } from "../config/config.js";
import type { IncidentActions } from "../engine/incident-actions.js";
import type { IncidentResource } from "../engine/incident-resource.js";
import type { IncidentService } from "../engine/incident-service.js";
import type { RunbookLibrary } from "../knowledge/runbooks/runbook-library.js";
import type { ScheduleService } from "../oncall/schedule-service.js";
import type { AuditTrail } from "../ports/audit-trail.js";
import type { Logger } from "../shared/logger.js";

/**
 * The services the MCP tools call: the same ones (and the same methods) the HTTP routes call, so a
 * tool is never a second implementation of a rule. `AppDeps` satisfies it as it is.
 */
export interface McpDeps {
  logger: Logger;
  /** The product's version, reported as the MCP server's. */
  version: string;
  config: Pick<Config, "AEGIS_APPROVAL_EXPIRY_SECS">;
  incidents: Pick<IncidentService, "approve" | "reject">;
  incidentResource: Pick<IncidentResource, "get" | "list" | "timeline">;
  incidentActions: Pick<IncidentActions, "acknowledge">;
  runbooks: Pick<RunbookLibrary, "search">;
  oncall: { schedules: Pick<ScheduleService, "onCallNow"> };
  /** The audit chain; absent in route tests that do not wire it (then nothing is recorded, as for HTTP). */
  security?: { audit: Pick<AuditTrail, "record"> } | undefined;
}
