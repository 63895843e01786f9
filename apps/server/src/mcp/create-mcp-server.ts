import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { registerDecisionTools } from "./decision-tools.js";
import { registerIncidentReadTools } from "./incident-read-tools.js";
import { registerLookupTools } from "./lookup-tools.js";
import type { McpCaller } from "./mcp-caller.js";
import type { McpDeps } from "./mcp-deps.js";

const INSTRUCTIONS =
  "AegisOps incident tools. Read incidents, their timelines, runbooks and who is on call; acknowledge incidents; approve or reject a remediation waiting for a human (list_incidents with awaiting_approval: true finds them). Every call acts as the API key the client sent, in its project and with its role.";

/** One MCP server for one caller: its tools act as that caller (stateless transport, one per request — ADR 0022). */
export function createMcpServer(d: McpDeps, caller: McpCaller): McpServer {
  const server = new McpServer(
    { name: "aegisops", title: "AegisOps", version: d.version },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  registerIncidentReadTools(server, d, caller);
  registerLookupTools(server, d, caller);
  registerDecisionTools(server, d, caller);
  return server;
}
