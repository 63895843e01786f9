import Anthropic from "@anthropic-ai/sdk";
import type { ContentBlockParam, MessageParam, RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import type { LlmMessage, LlmProvider, LlmRequest, LlmToolCall, LlmTurn } from "./llm-provider.js";
import { failureOfStatus, ProviderError } from "./provider-error.js";

export interface AnthropicProviderOptions {
  baseURL: string;
  apiKey?: string | undefined;
  model: string;
}

/** Anthropic Messages API, streamed: text deltas become tokens, tool_use blocks become tool calls. */
export class AnthropicProvider implements LlmProvider {
  readonly kind = "anthropic";
  readonly model: string;
  private readonly client: Anthropic;

  constructor(o: AnthropicProviderOptions) {
    this.model = o.model;
    this.client = new Anthropic({ baseURL: o.baseURL, apiKey: o.apiKey || "unused", maxRetries: 0, timeout: 600_000 });
  }

  async complete(req: LlmRequest, onToken: (chunk: string) => void, signal: AbortSignal): Promise<LlmTurn> {
    try {
      const stream = await this.client.messages.create(
        {
          model: this.model,
          system: req.system,
          messages: toAnthropic(req.messages),
          max_tokens: req.maxTokens,
          stream: true,
          ...(req.tools.length > 0
            ? {
                tools: req.tools.map((t) => ({
                  name: t.name,
                  description: t.description,
                  input_schema: { type: "object" as const, ...t.parameters },
                })),
              }
            : {}),
        },
        { signal },
      );
      let text = "";
      let stopReason = "end_turn";
      const usage = { promptTokens: 0, completionTokens: 0 };
      const blocks = new Map<number, LlmToolCall>();
      for await (const ev of stream as AsyncIterable<RawMessageStreamEvent>) {
        switch (ev.type) {
          case "message_start":
            usage.promptTokens = ev.message.usage?.input_tokens ?? 0;
            usage.completionTokens = ev.message.usage?.output_tokens ?? 0;
            break;
          case "content_block_start":
            if (ev.content_block.type === "tool_use") {
              blocks.set(ev.index, { id: ev.content_block.id, name: ev.content_block.name, arguments: "" });
            }
            break;
          case "content_block_delta":
            if (ev.delta.type === "text_delta") {
              text += ev.delta.text;
              onToken(ev.delta.text);
            } else if (ev.delta.type === "input_json_delta") {
              const block = blocks.get(ev.index);
              if (block) block.arguments += ev.delta.partial_json;
            }
            break;
          case "message_delta":
            if (ev.delta.stop_reason) stopReason = ev.delta.stop_reason;
            if (ev.usage?.output_tokens != null) usage.completionTokens = ev.usage.output_tokens;
            if (ev.usage?.input_tokens != null) usage.promptTokens = ev.usage.input_tokens;
            break;
          default:
            break;
        }
      }
      // The SDK ends an aborted stream quietly: a cut-off answer must not pass for a whole one.
      signal.throwIfAborted();
      const toolCalls = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, c]) => c);
      return { text, toolCalls, usage, stopReason };
    } catch (err) {
      throw toProviderError(err, signal);
    }
  }
}

/** Anthropic wants alternating turns with tool results as user content blocks. */
function toAnthropic(messages: LlmMessage[]): MessageParam[] {
  const out: MessageParam[] = [];
  for (const m of messages) {
    switch (m.role) {
      case "user":
        out.push({ role: "user", content: m.content });
        break;
      case "assistant": {
        const content: ContentBlockParam[] = [];
        if (m.content) content.push({ type: "text", text: m.content });
        for (const c of m.toolCalls ?? []) {
          content.push({ type: "tool_use", id: c.id, name: c.name, input: parseInput(c.arguments) });
        }
        out.push({ role: "assistant", content: content.length > 0 ? content : "(no text)" });
        break;
      }
      case "tool": {
        const block = { type: "tool_result" as const, tool_use_id: m.toolCallId, content: m.content };
        const last = out[out.length - 1];
        if (last?.role === "user" && Array.isArray(last.content)) last.content.push(block);
        else out.push({ role: "user", content: [block] });
        break;
      }
    }
  }
  return out;
}

function parseInput(args: string): Record<string, unknown> {
  try {
    const v = JSON.parse(args || "{}");
    return v && typeof v === "object" && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

function toProviderError(err: unknown, signal: AbortSignal): ProviderError {
  if (err instanceof ProviderError) return err;
  if (signal.aborted || err instanceof Anthropic.APIUserAbortError)
    return new ProviderError("aborted", "request aborted");
  if (err instanceof Anthropic.APIConnectionTimeoutError) return new ProviderError("timeout", "request timed out");
  if (err instanceof Anthropic.APIConnectionError)
    return new ProviderError("unreachable", `unreachable: ${err.message}`);
  if (err instanceof Anthropic.APIError && err.status !== undefined) {
    return new ProviderError(failureOfStatus(err.status), `HTTP ${err.status}: ${err.message}`, err.status);
  }
  // Also an `error` event inside the stream (e.g. overloaded_error), which the SDK raises as APIError without status.
  return new ProviderError("invalid_output", `bad stream: ${err instanceof Error ? err.message : String(err)}`);
}
