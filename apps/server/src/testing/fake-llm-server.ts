import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a fake vendor answers to one request. */
export interface FakeReply {
  /** Non-2xx: answered with the vendor's JSON error body. */
  status?: number;
  /** Stream events (already vendor-shaped objects, or raw text for malformed frames). */
  events?: (object | { raw: string })[];
  /** Pause before each event (slow tokens). */
  delayMs?: number;
  /** Retry-After header of a 429. */
  retryAfter?: number;
  /** The answer starts once this settles (a model held for as long as a test needs). */
  until?: Promise<unknown>;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
  /** When each event was written (performance.now()), for latency measurements. */
  sentAt: number[];
}

/**
 * A real HTTP server speaking a vendor's streaming wire protocol (SSE), scripted per request, for tests
 * and the benchmark. Every request is recorded so tests can check what left the process.
 */
export abstract class FakeLlmServer {
  readonly requests: RecordedRequest[] = [];
  private server: Server | null = null;
  private readonly open = new Set<ServerResponse>();
  url = "";

  constructor(private readonly script: (body: Record<string, unknown>, n: number) => FakeReply) {}

  protected abstract readonly path: string;
  protected abstract frame(event: object): string;
  protected abstract errorBody(status: number): object;
  protected abstract readonly done: string | null;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server?.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((r) => server.close(() => r()));
    server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (req.method !== "POST" || !req.url?.startsWith(this.path)) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify(this.errorBody(404)));
      return;
    }
    const body = JSON.parse(raw) as Record<string, unknown>;
    const rec: RecordedRequest = { path: req.url, headers: req.headers, body, sentAt: [] };
    this.requests.push(rec);
    const reply = this.script(body, this.requests.length);
    if (reply.status && reply.status >= 300) {
      res.writeHead(reply.status, {
        "content-type": "application/json",
        ...(reply.retryAfter ? { "retry-after": String(reply.retryAfter) } : {}),
      });
      res.end(JSON.stringify(this.errorBody(reply.status)));
      return;
    }
    this.open.add(res);
    res.on("close", () => this.open.delete(res));
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.flushHeaders();
    await reply.until;
    for (const ev of reply.events ?? []) {
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      rec.sentAt.push(performance.now());
      res.write("raw" in ev ? (ev as { raw: string }).raw : this.frame(ev));
    }
    if (this.done && !res.destroyed) res.write(this.done);
    res.end();
  }
}

/** OpenAI Chat Completions (`POST /v1/chat/completions`, `data: {chunk}` frames, `data: [DONE]`). */
export class FakeOpenAiServer extends FakeLlmServer {
  protected readonly path = "/v1/chat/completions";
  protected readonly done = "data: [DONE]\n\n";
  protected frame(event: object) {
    return `data: ${JSON.stringify(event)}\n\n`;
  }
  protected errorBody(status: number) {
    const type = status === 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error";
    return { error: { message: `fake ${type}`, type, param: null, code: type } };
  }
  get baseURL() {
    return `${this.url}/v1`;
  }
}

const chunkOf = (model: string, delta: object, finish: string | null = null, extra: object = {}) => ({
  id: "chatcmpl-fake",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model,
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  ...extra,
});

/** OpenAI stream events: the role, `text` in the given pieces, the stop and a usage chunk. */
export function openAiText(pieces: string[], usage = { prompt: 120, completion: 40 }, model = "gpt-4o-mini") {
  return [
    chunkOf(model, { role: "assistant", content: "" }),
    ...pieces.map((p) => chunkOf(model, { content: p })),
    chunkOf(model, {}, "stop"),
    {
      id: "chatcmpl-fake",
      object: "chat.completion.chunk",
      created: 1_700_000_000,
      model,
      choices: [],
      usage: {
        prompt_tokens: usage.prompt,
        completion_tokens: usage.completion,
        total_tokens: usage.prompt + usage.completion,
      },
    },
  ];
}

/** OpenAI stream events of tool calls, with the arguments split across deltas as the real API does. */
export function openAiToolCalls(calls: { name: string; args: object }[], model = "gpt-4o-mini") {
  const events: object[] = [chunkOf(model, { role: "assistant", content: null })];
  calls.forEach((c, index) => {
    const args = JSON.stringify(c.args);
    const half = Math.floor(args.length / 2);
    events.push(
      chunkOf(model, {
        tool_calls: [
          { index, id: `call_${index}_${c.name}`, type: "function", function: { name: c.name, arguments: "" } },
        ],
      }),
      chunkOf(model, { tool_calls: [{ index, function: { arguments: args.slice(0, half) } }] }),
      chunkOf(model, { tool_calls: [{ index, function: { arguments: args.slice(half) } }] }),
    );
  });
  events.push(chunkOf(model, {}, "tool_calls"), {
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model,
    choices: [],
    usage: { prompt_tokens: 200, completion_tokens: 20, total_tokens: 220 },
  });
  return events;
}

/** Anthropic Messages (`POST /v1/messages`, `event: <type>` + `data:` frames). */
export class FakeAnthropicServer extends FakeLlmServer {
  protected readonly path = "/v1/messages";
  protected readonly done = null;
  protected frame(event: object) {
    return `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`;
  }
  protected errorBody(status: number) {
    const type =
      status === 429
        ? "rate_limit_error"
        : status === 529
          ? "overloaded_error"
          : status >= 500
            ? "api_error"
            : "invalid_request_error";
    return { type: "error", error: { type, message: `fake ${type}` } };
  }
}

const messageStart = (model: string, input: number) => ({
  type: "message_start",
  message: {
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: input, output_tokens: 1 },
  },
});

/** Anthropic stream events of a text answer in the given pieces. */
export function anthropicText(pieces: string[], usage = { input: 150, output: 60 }, model = "claude-sonnet-4-5") {
  return [
    messageStart(model, usage.input),
    { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    { type: "ping" },
    ...pieces.map((text) => ({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } })),
    { type: "content_block_stop", index: 0 },
    {
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: usage.output },
    },
    { type: "message_stop" },
  ];
}

/** Anthropic stream events of a tool_use turn (input streamed as partial JSON). */
export function anthropicToolUse(calls: { name: string; args: object }[], model = "claude-sonnet-4-5") {
  const events: object[] = [messageStart(model, 300)];
  calls.forEach((c, index) => {
    const args = JSON.stringify(c.args);
    const half = Math.floor(args.length / 2);
    events.push(
      {
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id: `toolu_${index}`, name: c.name, input: {} },
      },
      { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: args.slice(0, half) } },
      { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: args.slice(half) } },
      { type: "content_block_stop", index },
    );
  });
  events.push(
    { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 30 } },
    { type: "message_stop" },
  );
  return events;
}

/** A valid diagnosis answer as a model would write it. */
export function diagnosisJson(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    root_cause: "Heap grows without bound after each batch: a memory leak in the request cache",
    action: "RESTART",
    justification:
      "RSS climbs 10 MB per request while traffic is flat and full GC reclaims under 1%; a restart clears the leaked heap.",
    confidence: 0.86,
    replica_count: 0,
    category: "memory_leak",
    evidence: ["heap used 1900MB of 2048MB", "traffic flat"],
    hypotheses: [
      {
        claim: "Memory leak in the request cache",
        description: "Entries are never evicted",
        confidence: 0.86,
        confidence_lower: 0.75,
        confidence_upper: 0.93,
        supporting_evidence: ["heap grows per request"],
        contradicting_evidence: [],
      },
      {
        claim: "Traffic surge",
        description: "More requests than usual",
        confidence: 0.1,
        supporting_evidence: [],
        contradicting_evidence: ["traffic flat"],
      },
    ],
    next_actions: [
      { action: "Restart the service", priority: "high", estimated_time: "2 minutes", rationale: "clears the heap" },
    ],
    commands: [
      { description: "Check memory", command: "kubectl top pods -l app=buggy-app-v2" },
      { description: "Restart", command: "kubectl rollout restart deployment/buggy-app-v2" },
    ],
    ...over,
  });
}

/** Split text into n roughly equal pieces (tokens of a fake stream). */
export function pieces(text: string, size = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
