import { afterEach, describe, expect, it } from "vitest";
import {
  anthropicText,
  anthropicToolUse,
  diagnosisJson,
  FakeAnthropicServer,
  type FakeReply,
  pieces,
} from "../../testing/fake-llm-server.js";
import { incident, recordingSink } from "../builtin/test-helpers.js";
import { anthropicLink, chainOf, memoryCalls, run } from "./test-engine.js";

let server: FakeAnthropicServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});
const fake = async (script: (body: Record<string, unknown>, n: number) => FakeReply) => {
  server = await new FakeAnthropicServer(script).start();
  return server;
};
const LEAK = "ERROR heap used 1900MB of 2048MB; full GC reclaims <1%; traffic flat\nFATAL out of memory";

describe("anthropic provider over a fake Messages API server", () => {
  it("streams text deltas as tokens and reads usage from message_start and message_delta", async () => {
    const answer = `Looking at the heap figures, this is a leak.\n${diagnosisJson()}`;
    const s = await fake(() => ({ events: anthropicText(pieces(answer)) }));
    const calls = memoryCalls();
    const sink = recordingSink();
    const r = await anthropicLink(s.url, calls).analyse(incident(LEAK), sink, new AbortController().signal, run());
    expect(sink.tokens).toEqual(pieces(answer));
    expect(r.provider).toBe("anthropic:claude-sonnet-4-5");
    expect(r.analysis.action).toBe("RESTART");
    expect(calls.calls[0]).toMatchObject({ provider: "anthropic", promptTokens: 150, completionTokens: 60, ok: true });
    expect(calls.calls[0]?.costUsd).toBeCloseTo((150 * 3 + 60 * 15) / 1e6, 12);
    const req = s.requests[0];
    expect(req?.path).toBe("/v1/messages");
    expect(req?.headers["anthropic-version"]).toBeDefined();
    expect(req?.body).toMatchObject({ model: "claude-sonnet-4-5", stream: true });
    expect(typeof req?.body.system).toBe("string");
  });

  it("runs tool_use blocks and returns tool_result blocks in the next user turn", async () => {
    const s = await fake((_, n) =>
      n === 1
        ? {
            events: anthropicToolUse([
              { name: "container_metrics", args: { target: "buggy-app-v2" } },
              { name: "similar_incidents", args: {} },
            ]),
          }
        : { events: anthropicText([diagnosisJson()]) },
    );
    const trace = { toolsCompleted: [] as string[], toolsFailed: [] as string[], runbooksRetrieved: 0 };
    const r = await anthropicLink(s.url).analyse(incident(LEAK), recordingSink(), new AbortController().signal, {
      ...run(),
      trace,
    });
    expect(trace.toolsCompleted).toEqual(["container_metrics", "similar_incidents"]);
    const messages = s.requests[1]?.body.messages as { role: string; content: unknown }[];
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    const assistant = messages[1]?.content as { type: string; id?: string; input?: unknown }[];
    expect(assistant.map((b) => b.type)).toEqual(["tool_use", "tool_use"]);
    expect(assistant[0]?.input).toEqual({ target: "buggy-app-v2" });
    const results = messages[2]?.content as { type: string; tool_use_id: string; content: string }[];
    expect(results.map((b) => [b.type, b.tool_use_id])).toEqual([
      ["tool_result", "toolu_0"],
      ["tool_result", "toolu_1"],
    ]);
    expect(results[0]?.content).toContain("cpu_percent");
    expect(r.citations.map((c) => c.source)).toEqual(["metrics", "incident_history"]);
    expect(
      (s.requests[0]?.body.tools as { name: string; input_schema: { type: string } }[] | undefined)?.[0],
    ).toMatchObject({
      name: "search_runbooks",
      input_schema: { type: "object" },
    });
  });

  it.each([
    ["a 429", { status: 429 }, /HTTP 429/],
    ["a 500", { status: 500 }, /HTTP 500/],
    ["a 529 overloaded", { status: 529 }, /HTTP 529/],
    ["malformed JSON twice", { events: anthropicText(['{"root_cause": ']) }, /invalid answer after one repair/],
    [
      "an error event mid-stream",
      {
        events: [
          ...anthropicText(["{"]).slice(0, 3),
          { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
        ],
      },
      /Overloaded|bad stream/,
    ],
  ] as [string, FakeReply, RegExp][])("falls back to builtin cleanly on %s", async (_, reply, reason) => {
    const s = await fake(() => reply);
    const sink = recordingSink();
    const r = await chainOf([anthropicLink(s.url)]).analyse(incident(LEAK), sink);
    expect(r.provider).toMatch(/^builtin \(after anthropic:claude-sonnet-4-5 failed: /);
    expect(r.provider).toMatch(reason);
    expect(r.analysis.action).toBe("RESTART");
  });

  it("falls back when tokens are too slow", async () => {
    const s = await fake(() => ({ events: anthropicText(pieces(diagnosisJson(), 4)), delayMs: 40 }));
    const r = await chainOf([anthropicLink(s.url)], memoryCalls(), 500).analyse(incident(LEAK), recordingSink());
    expect(r.provider).toMatch(/timed out after 0.5 s/);
  });

  it("a chain of two models: anthropic fails, openai-compatible is not configured, builtin answers with both reasons", async () => {
    const s = await fake(() => ({ status: 500 }));
    const sink = recordingSink();
    const r = await chainOf([anthropicLink(s.url), anthropicLink("http://127.0.0.1:9")]).analyse(incident(LEAK), sink);
    expect(r.failures.map((f) => f.reason)).toEqual([
      expect.stringMatching(/HTTP 500/),
      expect.stringMatching(/unreachable/),
    ]);
    expect(sink.thoughts.filter((t) => t.includes("falling back"))).toHaveLength(2);
  });
});
