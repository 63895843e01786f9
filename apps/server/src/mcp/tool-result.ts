import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { AegisError } from "../shared/errors.js";
import type { Logger } from "../shared/logger.js";

/** A tool's answer: a short sentence for the assistant to read, and the data as structured JSON. */
export function toolResult(text: string, data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: data };
}

/** What a failed call is reported as: the product's stable code and sentence, or a bare `internal`. */
export function errorOf(err: unknown): { code: string; message: string } {
  return err instanceof AegisError
    ? { code: err.code, message: err.message }
    : { code: "internal", message: "internal server error" };
}

/**
 * A refusal or failure as MCP reports it to the model: `isError: true` with the reason. The product's
 * typed errors keep their stable code and sentence (`forbidden`, `not_found`, `conflict`…); anything
 * else is logged and answered as `internal`, never with its raw message (as the HTTP error handler does).
 */
export function toolError(tool: string, err: unknown, logger: Logger): CallToolResult {
  if (!(err instanceof AegisError)) logger.error({ err, tool }, "mcp tool failed");
  const error = errorOf(err);
  return {
    isError: true,
    content: [{ type: "text", text: `${tool} ${err instanceof AegisError ? "refused" : "failed"}: ${error.message}` }],
    structuredContent: { error },
  };
}
