import OpenAI from "openai";
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { LlmMessage, LlmProvider, LlmRequest, LlmToolCall, LlmTurn } from "./llm-provider.js";
import { failureOfStatus, ProviderError } from "./provider-error.js";

export type JsonMode = "json_schema" | "json_object" | "off";

export interface OpenAiProviderOptions {
  baseURL: string;
  apiKey?: string | undefined;
  model: string;
  jsonMode: JsonMode;
}

/**
 * Any OpenAI-compatible Chat Completions server (OpenAI, Ollama, vLLM, LM Studio, OpenRouter…),
 * streamed over SSE. Servers differ in small ways, so: usage is requested but optional, tool-call
 * deltas are merged by index (ids and names may come once or repeatedly), and a server that refuses
 * the request (400/422) is asked once more in compatibility mode — no structured output, no
 * stream_options, no temperature, `max_completion_tokens` (reasoning models) — which this instance
 * then keeps using.
 */
export class OpenAiProvider implements LlmProvider {
  readonly kind = "openai";
  readonly model: string;
  private readonly client: OpenAI;
  private readonly jsonMode: JsonMode;
  private compat = false;

  constructor(o: OpenAiProviderOptions) {
    this.model = o.model;
    this.jsonMode = o.jsonMode;
    // Retries are the chain's business (it falls back instead); timeouts come from the signal.
    this.client = new OpenAI({ baseURL: o.baseURL, apiKey: o.apiKey || "unused", maxRetries: 0, timeout: 600_000 });
  }

  async complete(req: LlmRequest, onToken: (chunk: string) => void, signal: AbortSignal): Promise<LlmTurn> {
    const compat = this.compat;
    try {
      return await this.stream(req, compat, onToken, signal);
    } catch (err) {
      const status = err instanceof OpenAI.APIError ? err.status : undefined;
      if (!compat && (status === 400 || status === 422) && !signal.aborted) {
        this.compat = true;
        return this.stream(req, true, onToken, signal).catch((e) => {
          throw toProviderError(e, signal);
        });
      }
      throw toProviderError(err, signal);
    }
  }

  private async stream(req: LlmRequest, compat: boolean, onToken: (chunk: string) => void, signal: AbortSignal) {
    const params: ChatCompletionCreateParamsStreaming = {
      model: this.model,
      messages: [{ role: "system", content: req.system }, ...req.messages.map(toOpenAi)],
      stream: true,
      ...(compat
        ? { max_completion_tokens: req.maxTokens }
        : { stream_options: { include_usage: true }, max_tokens: req.maxTokens, temperature: 0.1 }),
    };
    const mode: JsonMode = compat ? "off" : this.jsonMode;
    if (req.tools.length > 0) {
      params.tools = req.tools.map((t) => ({
        type: "function",
        function: { name: t.name, description: t.description, parameters: t.parameters },
      }));
    }
    // Structured output only for the answer: some servers refuse it together with tools.
    if (req.responseSchema && req.tools.length === 0 && mode !== "off") {
      params.response_format =
        mode === "json_schema"
          ? { type: "json_schema", json_schema: { name: req.responseSchema.name, schema: req.responseSchema.schema } }
          : { type: "json_object" };
    }
    const stream = await this.client.chat.completions.create(params, { signal });
    let text = "";
    let stopReason = "stop";
    let usage = { promptTokens: 0, completionTokens: 0 };
    const calls = new Map<number, LlmToolCall>();
    for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
      if (chunk.usage) {
        usage = { promptTokens: chunk.usage.prompt_tokens ?? 0, completionTokens: chunk.usage.completion_tokens ?? 0 };
      }
      for (const choice of chunk.choices ?? []) {
        const delta = choice.delta;
        if (delta?.content) {
          text += delta.content;
          onToken(delta.content);
        }
        for (const tc of delta?.tool_calls ?? []) {
          const at = tc.index ?? calls.size;
          const call = calls.get(at) ?? { id: "", name: "", arguments: "" };
          if (tc.id) call.id = tc.id;
          if (tc.function?.name) call.name = call.name === tc.function.name ? call.name : call.name + tc.function.name;
          if (tc.function?.arguments) call.arguments += tc.function.arguments;
          calls.set(at, call);
        }
        if (choice.finish_reason) stopReason = choice.finish_reason;
      }
    }
    // The SDK ends an aborted stream quietly: a cut-off answer must not pass for a whole one.
    signal.throwIfAborted();
    const toolCalls = [...calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([i, c]) => ({ ...c, id: c.id || `call_${i}` }))
      .filter((c) => c.name);
    return { text, toolCalls, usage, stopReason };
  }
}

function toOpenAi(m: LlmMessage): ChatCompletionMessageParam {
  switch (m.role) {
    case "user":
      return { role: "user", content: m.content };
    case "assistant":
      return m.toolCalls && m.toolCalls.length > 0
        ? {
            role: "assistant",
            content: m.content || null,
            tool_calls: m.toolCalls.map((c) => ({
              id: c.id,
              type: "function",
              function: { name: c.name, arguments: c.arguments || "{}" },
            })),
          }
        : { role: "assistant", content: m.content };
    case "tool":
      return { role: "tool", tool_call_id: m.toolCallId, content: m.content };
  }
}

function toProviderError(err: unknown, signal: AbortSignal): ProviderError {
  if (err instanceof ProviderError) return err;
  if (signal.aborted || err instanceof OpenAI.APIUserAbortError) return new ProviderError("aborted", "request aborted");
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new ProviderError("timeout", "request timed out");
  if (err instanceof OpenAI.APIConnectionError) return new ProviderError("unreachable", `unreachable: ${err.message}`);
  if (err instanceof OpenAI.APIError && err.status !== undefined) {
    return new ProviderError(failureOfStatus(err.status), `HTTP ${err.status}: ${err.message}`, err.status);
  }
  // A stream that breaks mid-way (malformed SSE, connection reset) surfaces as a plain error.
  return new ProviderError("invalid_output", `bad stream: ${err instanceof Error ? err.message : String(err)}`);
}
