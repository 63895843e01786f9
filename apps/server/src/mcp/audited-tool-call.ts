import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Permission } from "../accounts/role-permissions.js";
import { redactSecrets } from "../audit/redact.js";
import type { AuditEntry } from "../ports/audit-trail.js";
import type { McpCaller } from "./mcp-caller.js";
import type { McpDeps } from "./mcp-deps.js";
import { requireToolPermission } from "./tool-permission.js";
import { errorOf, toolError } from "./tool-result.js";

export interface MutatingCall {
  tool: string;
  permission: Permission;
  /** The incident acted on, as the caller named it. */
  resourceId: string;
  args: Record<string, unknown>;
}

/**
 * A tool that changes something: the caller's permission is checked first, then the service runs,
 * and either way one audit entry `mcp.<tool>` records it, attributed to the caller (refusals too,
 * as the HTTP audit hook records refused requests). Read-only tools are not audited, like GETs.
 */
export async function auditedToolCall(
  d: McpDeps,
  caller: McpCaller,
  call: MutatingCall,
  run: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  const p = caller.principal;
  const entry = (outcome: AuditEntry["outcome"], error?: { code: string; message: string }): AuditEntry => ({
    projectId: caller.projectId,
    actor: { kind: p.kind, id: p.id, name: p.displayName, role: p.role },
    action: `mcp.${call.tool}`,
    resourceType: "incident",
    resourceId: call.resourceId,
    outcome,
    after: redactSecrets({ via: "mcp", arguments: call.args, ...(error ? { error } : {}) }),
    ip: caller.ip,
    userAgent: caller.userAgent,
    requestId: caller.requestId,
  });
  const audit = d.security?.audit;
  let result: CallToolResult;
  try {
    requireToolPermission(p, call.permission);
    result = await run();
  } catch (err) {
    await audit?.record(entry("failure", errorOf(err)));
    return toolError(call.tool, err, d.logger);
  }
  await audit?.record(entry("success"));
  return result;
}
