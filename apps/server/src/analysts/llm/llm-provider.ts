/** One tool call a model asked for; `arguments` is the model's raw JSON text. */
export interface LlmToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A conversation turn in the vendor-neutral form the providers translate. */
export type LlmMessage =
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls?: LlmToolCall[] }
  | { role: "tool"; toolCallId: string; name: string; content: string };

/** A function the model may call; `parameters` is a JSON schema object. */
export interface LlmToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface LlmRequest {
  system: string;
  messages: LlmMessage[];
  /** Offered tools; empty means the model must answer. */
  tools: LlmToolSpec[];
  /** JSON schema of the expected answer, for providers with structured output. */
  responseSchema?: { name: string; schema: Record<string, unknown> };
  maxTokens: number;
}

export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
}

/** What one model call returned once its stream ended. */
export interface LlmTurn {
  text: string;
  toolCalls: LlmToolCall[];
  usage: LlmUsage;
  /** The vendor's stop reason (stop, tool_calls, end_turn, length…). */
  stopReason: string;
}

/** Port: one vendor's streaming chat API. Tokens of the answer's text are reported as they arrive. */
export interface LlmProvider {
  /** `openai` or `anthropic`: the chain entry it implements. */
  readonly kind: string;
  readonly model: string;
  complete(request: LlmRequest, onToken: (chunk: string) => void, signal: AbortSignal): Promise<LlmTurn>;
}
