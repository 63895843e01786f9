import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { AegisError } from "../shared/errors.js";

/** A tool's answer: a short sentence for the assistant to read, and the data as structured JSON. */
export function toolResult(text: string, data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: data };
}

/**
 * A refusal or failure as MCP reports it to the model: `isError: true` with the reason. The product's
 * typed errors keep their stable code (`forbidden`, `not_found`, `conflict`…); anything else is
 * rethrown, so the SDK answers it as an internal error rather than dressing a bug as a refusal.
 */
export function toolError(tool: string, err: unknown): CallToolResult {
  if (!(err instanceof AegisError)) throw err;
  return {
    isError: true,
    content: [{ type: "text", text: `${tool} refused: ${err.message}` }],
    structuredContent: { error: { code: err.code, message: err.message } },
  };
}
