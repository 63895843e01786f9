import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AuthError } from "../shared/errors.js";
import type { McpCaller } from "./mcp-caller.js";
import type { McpDeps } from "./mcp-deps.js";

export const MCP_PATH = "/mcp";
const tags = ["mcp"];

/** The caller the auth hook resolved; the hook has already refused (401) a request without one. */
function callerOf(req: FastifyRequest): McpCaller {
  if (!req.principal || req.projectId === undefined) {
    throw new AuthError("missing API key: send X-API-Key or Authorization: Bearer");
  }
  return {
    principal: req.principal,
    projectId: req.projectId,
    ip: req.ip,
    userAgent: req.headers["user-agent"] ?? null,
    requestId: req.id,
  };
}

let sdk: Promise<
  [typeof import("@modelcontextprotocol/sdk/server/streamableHttp.js"), typeof import("./create-mcp-server.js")]
> | null = null;

/** The MCP SDK (~25 MB resident) is loaded by the first request to the endpoint, not at start (ADR 0025, sixth round). */
function loadSdk() {
  sdk ??= Promise.all([import("@modelcontextprotocol/sdk/server/streamableHttp.js"), import("./create-mcp-server.js")]);
  return sdk;
}

/** Stateless: no session to resume or end, no server-initiated stream (the MCP spec's 405). */
function notAllowed(_req: FastifyRequest, reply: FastifyReply) {
  return reply
    .code(405)
    .header("allow", "POST")
    .send({
      jsonrpc: "2.0",
      error: { code: -32000, message: `Method not allowed: ${MCP_PATH} is stateless, send JSON-RPC with POST` },
      id: null,
    });
}

/**
 * The MCP endpoint (Streamable HTTP, ADR 0022). Each POST gets its own server and stateless transport,
 * built for the request's principal and project; the SDK answers the JSON-RPC on the raw response.
 * The HTTP audit hook skips it (`auditsItself`): a tool that changes something records its own entry.
 */
export function registerMcpRoutes(app: FastifyInstance, d: McpDeps): void {
  app.post(
    MCP_PATH,
    {
      config: { auditsItself: true },
      schema: {
        tags,
        summary: "Model Context Protocol endpoint (Streamable HTTP, stateless, JSON responses)",
        description:
          "JSON-RPC 2.0 per the MCP Streamable HTTP transport. Tools: list_incidents, get_incident, get_incident_timeline, search_runbooks, who_is_on_call, acknowledge_incident, approve_action, reject_action; each acts as the API key sent (X-API-Key or Authorization: Bearer) with its role. Send `Accept: application/json, text/event-stream`.",
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const [{ StreamableHTTPServerTransport }, { createMcpServer }] = await loadSdk();
      const server = createMcpServer(d, caller);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      reply.hijack();
      reply.raw.on("close", () => {
        void transport.close();
        void server.close();
      });
      try {
        await server.connect(transport);
        await transport.handleRequest(req.raw, reply.raw, req.body);
      } catch (err) {
        d.logger.error({ err }, "mcp request failed");
        if (!reply.raw.headersSent) {
          reply.raw.writeHead(500, { "content-type": "application/json" });
          reply.raw.end(
            JSON.stringify({ jsonrpc: "2.0", error: { code: -32603, message: "Internal error" }, id: null }),
          );
        }
      }
    },
  );
  const other = { schema: { tags, summary: "Not served: the MCP endpoint is stateless (405)" } };
  app.get(MCP_PATH, other, notAllowed);
  app.delete(MCP_PATH, other, notAllowed);
}
