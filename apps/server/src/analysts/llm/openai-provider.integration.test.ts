import { afterEach, describe, expect, it } from "vitest";
import {
  diagnosisJson,
  FakeOpenAiServer,
  type FakeReply,
  openAiText,
  openAiToolCalls,
  pieces,
} from "../../testing/fake-llm-server.js";
import { incident, recordingSink } from "../builtin/test-helpers.js";
import { chainOf, memoryCalls, openAiLink, run } from "./test-engine.js";

let server: FakeOpenAiServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});
const fake = async (script: (body: Record<string, unknown>, n: number) => FakeReply) => {
  server = await new FakeOpenAiServer(script).start();
  return server;
};
const LEAK = "ERROR heap used 1900MB of 2048MB; full GC reclaims <1%; traffic flat\nFATAL out of memory";

describe("openai provider over a fake Chat Completions server", () => {
  it("streams every token to the sink, validates the answer and accounts tokens and cost", async () => {
    const answer = diagnosisJson();
    const s = await fake(() => ({ events: openAiText(pieces(answer)) }));
    const calls = memoryCalls();
    const sink = recordingSink();
    const r = await openAiLink(s.baseURL, calls, { maxToolRounds: 0 }).analyse(
      incident(LEAK),
      sink,
      new AbortController().signal,
      run(),
    );
    expect(sink.tokens.join("")).toBe(answer);
    expect(sink.tokens).toEqual(pieces(answer));
    expect(r.analysis).toMatchObject({ action: "RESTART", confidence: 0.86 });
    expect(r.provider).toBe("openai:gpt-4o-mini");
    expect(r.hypotheses.map((h) => [h.rank, h.claim])).toEqual([
      [1, "Memory leak in the request cache"],
      [2, "Traffic surge"],
    ]);
    expect(r.hypotheses[1]).toMatchObject({ confidenceLower: 0, confidenceUpper: 0.2 });
    expect(r.commands).toEqual([
      expect.objectContaining({ command: "kubectl top pods -l app=buggy-app-v2", safe_to_run: true }),
      expect.objectContaining({ command: "kubectl rollout restart deployment/buggy-app-v2", safe_to_run: false }),
    ]);
    expect(calls.calls).toEqual([
      expect.objectContaining({
        provider: "openai",
        model: "gpt-4o-mini",
        promptTokens: 120,
        completionTokens: 40,
        ok: true,
        cacheHit: false,
      }),
    ]);
    expect(calls.calls[0]?.costUsd).toBeCloseTo((120 * 0.15 + 40 * 0.6) / 1e6, 12);
    const req = s.requests[0]?.body as Record<string, unknown>;
    expect(req).toMatchObject({ model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true } });
    expect((req.response_format as { type: string }).type).toBe("json_schema");
    expect(s.requests[0]?.headers.authorization).toBe("Bearer sk-test-key-000000000000");
  });

  it("runs the tools the model calls, feeds results back fenced, and cites them", async () => {
    const s = await fake((_, n) =>
      n === 1
        ? {
            events: openAiToolCalls([
              { name: "container_logs", args: { lines: 20 } },
              { name: "recent_deploys", args: {} },
              { name: "search_runbooks", args: { query: "memory leak" } },
            ]),
          }
        : { events: openAiText([diagnosisJson()]) },
    );
    const trace = { toolsCompleted: [] as string[], toolsFailed: [] as string[], runbooksRetrieved: 0 };
    const input = incident(LEAK, {
      containerName: "buggy-app-v2",
      context: { recent_deploys: [{ version: "v2.3.5", previous: "v2.3.4", at: "2025-12-20T00:40:00Z" }] },
    });
    const sink = recordingSink();
    const r = await openAiLink(s.baseURL).analyse(input, sink, new AbortController().signal, { ...run(), trace });
    expect(trace.toolsCompleted).toEqual(["container_logs", "recent_deploys", "search_runbooks"]);
    expect(trace.runbooksRetrieved).toBe(1);
    expect(sink.thoughts.some((t) => t.includes("container_logs"))).toBe(true);
    const second = s.requests[1]?.body.messages as {
      role: string;
      tool_call_id?: string;
      content: string;
      tool_calls?: unknown[];
    }[];
    const assistant = second.find((m) => m.role === "assistant");
    expect(assistant?.tool_calls).toHaveLength(3);
    const tools = second.filter((m) => m.role === "tool");
    expect(tools.map((t) => t.tool_call_id)).toEqual([
      "call_0_container_logs",
      "call_1_recent_deploys",
      "call_2_search_runbooks",
    ]);
    expect(tools[0]?.content).toMatch(/^<untrusted id="[0-9a-f]{12}" source="tool:container_logs">/);
    // The executor's log line carried a password: the model only sees it redacted.
    expect(tools[0]?.content).toContain("password=[REDACTED:secret]");
    expect(JSON.stringify(s.requests)).not.toContain("hunter2secret");
    expect(r.citations.map((c) => c.source)).toEqual(["logs", "deploy_history", "runbook"]);
    expect(r.citations[0]).toMatchObject({ reference: "container_logs buggy-app-v2 --tail 20" });
    expect(r.citations[1]).toMatchObject({ excerpt: "v2.3.4 → v2.3.5", timestamp: "2025-12-20T00:40:00Z" });
    // Tools were offered while rounds remained; structured output only where no tools are offered.
    expect(s.requests[0]?.body.tools).toHaveLength(5);
    expect(s.requests[0]?.body.response_format).toBeUndefined();
  });

  it("bounds tool rounds: a model that keeps calling tools must answer without them", async () => {
    const s = await fake((body) =>
      body.tools
        ? { events: openAiToolCalls([{ name: "container_metrics", args: {} }]) }
        : { events: openAiText([diagnosisJson()]) },
    );
    const r = await openAiLink(s.baseURL, memoryCalls(), { maxToolRounds: 2 }).analyse(
      incident(LEAK),
      recordingSink(),
      new AbortController().signal,
      run(),
    );
    expect(s.requests).toHaveLength(3);
    expect(s.requests[2]?.body.tools).toBeUndefined();
    expect(r.analysis.action).toBe("RESTART");
  });

  it("retries without structured output when the server refuses it, and remembers", async () => {
    const s = await fake((body) =>
      body.response_format
        ? { status: 400 }
        : { events: openAiText([`Sure! Here it is:\n\`\`\`json\n${diagnosisJson()}\n\`\`\``]) },
    );
    const link = openAiLink(s.baseURL, memoryCalls(), { maxToolRounds: 0 });
    const r = await link.analyse(incident(LEAK), recordingSink(), new AbortController().signal, run());
    expect(r.analysis.action).toBe("RESTART");
    await link.analyse(incident(LEAK), recordingSink(), new AbortController().signal, run());
    expect(s.requests.map((q) => Boolean(q.body.response_format))).toEqual([true, false, false]);
  });

  it("speaks to servers that refuse stream_options or max_tokens (compatibility mode), without usage", async () => {
    const s = await fake((body) =>
      body.stream_options || body.max_tokens
        ? { status: 400 }
        : { events: openAiText([diagnosisJson()]).filter((e) => (e as { choices: unknown[] }).choices.length > 0) },
    );
    const calls = memoryCalls();
    const r = await openAiLink(s.baseURL, calls, { maxToolRounds: 0 }).analyse(
      incident(LEAK),
      recordingSink(),
      new AbortController().signal,
      run(),
    );
    expect(r.analysis.action).toBe("RESTART");
    expect(s.requests[1]?.body).toMatchObject({ max_completion_tokens: 2000, stream: true });
    expect(s.requests[1]?.body.temperature).toBeUndefined();
    expect(calls.calls[0]).toMatchObject({ ok: true, promptTokens: 0, completionTokens: 0 });
  });

  it("reads tool calls sent whole in one chunk without an index (Ollama style)", async () => {
    const whole = (name: string, args: object, id: string) => ({
      id: "x",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [
        {
          index: 0,
          delta: {
            role: "assistant",
            tool_calls: [{ id, type: "function", function: { name, arguments: JSON.stringify(args) } }],
          },
          finish_reason: null,
        },
      ],
    });
    const s = await fake((_, n) =>
      n === 1
        ? {
            events: [
              whole("container_metrics", {}, "a"),
              whole("recent_deploys", {}, "b"),
              {
                id: "x",
                object: "chat.completion.chunk",
                created: 1,
                model: "m",
                choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }],
              },
            ],
          }
        : { events: openAiText([diagnosisJson()]) },
    );
    const trace = { toolsCompleted: [] as string[], toolsFailed: [] as string[], runbooksRetrieved: 0 };
    await openAiLink(s.baseURL).analyse(incident(LEAK), recordingSink(), new AbortController().signal, {
      ...run(),
      trace,
    });
    expect(trace.toolsCompleted).toEqual(["container_metrics", "recent_deploys"]);
  });

  it("repairs an invalid answer once", async () => {
    const s = await fake((_, n) => ({
      events: openAiText([n === 1 ? `{"root_cause": "leak", "action": "REBOOT", "confidence": 1.7,` : diagnosisJson()]),
    }));
    const sink = recordingSink();
    const r = await openAiLink(s.baseURL, memoryCalls(), { maxToolRounds: 0 }).analyse(
      incident(LEAK),
      sink,
      new AbortController().signal,
      run(),
    );
    expect(r.analysis.action).toBe("RESTART");
    expect(sink.thoughts.some((t) => t.includes("answer rejected"))).toBe(true);
    const repair = (s.requests[1]?.body.messages as { role: string; content: string }[] | undefined)?.at(-1);
    expect(repair?.content).toContain("Your answer is not valid");
  });

  const fallbackCases: [string, (body: Record<string, unknown>, n: number) => FakeReply, RegExp][] = [
    ["a 429", () => ({ status: 429, retryAfter: 30 }), /HTTP 429/],
    ["a 500", () => ({ status: 500 }), /HTTP 500/],
    ["malformed JSON twice", () => ({ events: openAiText(["{ this is not json"]) }), /invalid answer after one repair/],
    [
      "an over-cap replica_count twice",
      () => ({ events: openAiText([diagnosisJson({ action: "SCALE_UP", replica_count: 50 })]) }),
      /replica_count: must be at most 5/,
    ],
    [
      "an action outside the enum twice",
      () => ({ events: openAiText([diagnosisJson({ action: "DELETE_DATABASE" })]) }),
      /action/,
    ],
    [
      "a malformed SSE frame",
      () => ({ events: [...openAiText(["{"]).slice(0, 2), { raw: "data: {not json\n\n" }] }),
      /bad stream|invalid/,
    ],
  ];

  it.each(fallbackCases)("falls back to builtin cleanly on %s", async (_, script, reason) => {
    const s = await fake(script);
    const calls = memoryCalls();
    const sink = recordingSink();
    const chain = chainOf([openAiLink(s.baseURL, calls, { maxToolRounds: 0 })], calls);
    const r = await chain.analyse(incident(LEAK, { containerName: "buggy-app-v2" }), sink);
    expect(r.provider).toMatch(/^builtin \(after openai:gpt-4o-mini failed: /);
    expect(r.provider).toMatch(reason);
    expect(r.failures).toEqual([{ provider: "openai:gpt-4o-mini", reason: expect.stringMatching(reason) }]);
    expect(r.analysis.action).toBe("RESTART");
    expect(sink.thoughts.some((t) => t.includes("falling back to builtin"))).toBe(true);
    expect(calls.calls).toEqual([expect.objectContaining({ provider: "openai", ok: false })]);
  });

  it("falls back when tokens are too slow, at the timeout, and stops forwarding the late tokens", async () => {
    const s = await fake(() => ({ events: openAiText(pieces(diagnosisJson(), 4)), delayMs: 40 }));
    const sink = recordingSink();
    const t0 = Date.now();
    const chain = chainOf([openAiLink(s.baseURL, memoryCalls(), { maxToolRounds: 0 })], memoryCalls(), 600);
    const r = await chain.analyse(incident(LEAK), sink);
    const took = Date.now() - t0;
    expect(r.provider).toMatch(/timed out after 0.6 s/);
    expect(took).toBeGreaterThanOrEqual(550);
    expect(took).toBeLessThan(3000);
    const streamed = sink.tokens.length;
    await new Promise((res) => setTimeout(res, 300));
    expect(sink.tokens.length).toBe(streamed);
  });

  it("falls back when nothing listens", async () => {
    const chain = chainOf([openAiLink("http://127.0.0.1:9/v1", memoryCalls(), { maxToolRounds: 0 })]);
    const r = await chain.analyse(incident(LEAK), recordingSink());
    expect(r.provider).toMatch(/unreachable/);
  });
});
