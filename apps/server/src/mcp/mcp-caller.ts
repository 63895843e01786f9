import type { Principal } from "../ports/identity.js";

/** Who an MCP request acts as: the principal its API key resolved to, in that key's project. */
export interface McpCaller {
  principal: Principal;
  projectId: string;
  /** For the audit record: where the call came from. */
  ip: string;
  userAgent: string | null;
  requestId: string;
}
