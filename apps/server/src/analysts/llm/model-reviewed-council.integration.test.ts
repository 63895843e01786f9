import type { CouncilVote } from "@aegis/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { PolicyCouncil } from "../../council/policy-council.js";
import { fixedReading } from "../../council/test-readers.js";
import { createLogger } from "../../shared/logger.js";
import { FakeOpenAiServer, type FakeReply, openAiText } from "../../testing/fake-llm-server.js";
import { incident } from "../builtin/test-helpers.js";
import { ModelReviewedCouncil } from "./model-reviewed-council.js";
import { OpenAiProvider } from "./openai-provider.js";
import { PriceTable } from "./price-table.js";
import { Redactor } from "./redactor.js";
import { memoryCalls } from "./test-engine.js";

let server: FakeOpenAiServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

const proposal = (action: "RESTART" | "ROLLBACK", confidence = 0.9) => ({
  analysis: { root_cause: "leak", action, justification: "heap grows", confidence, replica_count: 0 },
  category: "memory_leak" as const,
  evidence: ["heap grows"],
  provider: "openai:gpt-4o-mini",
});
const facts = { restartsLastHour: 0, rollbackAvailable: true, currentReplicas: 0, target: "widget-api" };

async function councilWith(script: (body: Record<string, unknown>) => FakeReply, timeoutMs = 5000) {
  server = await new FakeOpenAiServer(script).start();
  const calls = memoryCalls();
  const council = new ModelReviewedCouncil(new PolicyCouncil({}, fixedReading("memory_leak", "RESTART", 0.9)), {
    provider: new OpenAiProvider({ baseURL: server.baseURL, model: "gpt-4o-mini", jsonMode: "off" }),
    redactor: new Redactor(),
    prices: new PriceTable(),
    calls,
    logger: createLogger("silent"),
    timeoutMs,
    projectId: "default",
  });
  return { council, calls, server };
}

describe("ModelReviewedCouncil", () => {
  it("adds each member's model review to its vote and leaves every verdict to the hard policy", async () => {
    const { council, calls, server } = await councilWith((body) => {
      const system = (body.messages as { content: string }[])[0]?.content ?? "";
      const verdict = system.includes("SECURITY_OFFICER") ? "REJECTED" : "NEEDS_REVIEW";
      return {
        events: openAiText([JSON.stringify({ verdict, reasoning: "I have doubts about user bob@example.com" })]),
      };
    });
    const input = { incident: incident("heap grows, contact bob@example.com"), proposal: proposal("RESTART"), facts };
    const plain = await new PolicyCouncil({}, fixedReading("memory_leak", "RESTART", 0.9)).review(
      input,
      () => undefined,
    );
    const announced: CouncilVote[] = [];
    const d = await council.review(input, (v) => announced.push(v));
    expect(d.final_verdict).toBe(plain.final_verdict);
    expect(d.votes.map((v) => v.verdict)).toEqual(plain.votes.map((v) => v.verdict));
    expect(d.votes.find((v) => v.role === "SECURITY_OFFICER")?.reasoning).toMatch(
      / \| Model review \(openai:gpt-4o-mini\): REJECTED – I have doubts about user \[REDACTED:email\]$/,
    );
    expect(d.votes.find((v) => v.role === "AUDITOR")?.reasoning).toContain("NEEDS_REVIEW");
    expect(announced).toEqual(d.votes);
    expect(calls.calls.map((c) => [c.requestType, c.ok])).toEqual([
      ["review", true],
      ["review", true],
    ]);
    expect(JSON.stringify(server.requests)).not.toContain("bob@example.com");
  });

  it("records an unavailable review and still decides", async () => {
    const { council, calls } = await councilWith(() => ({ status: 500 }));
    const d = await council.review(
      { incident: incident("heap grows"), proposal: proposal("RESTART"), facts },
      () => undefined,
    );
    expect(d.final_verdict).toBe("APPROVED");
    expect(d.votes.find((v) => v.role === "AUDITOR")?.reasoning).toMatch(
      /Model review \(openai:gpt-4o-mini\) unavailable: .*500/,
    );
    expect(calls.calls.every((c) => !c.ok)).toBe(true);
  });

  it("does not wait past its timeout", async () => {
    const { council } = await councilWith(
      () => ({ events: openAiText('{"verdict":"APPROVED","reasoning":"slow"}'.split("")), delayMs: 50 }),
      300,
    );
    const t0 = Date.now();
    const d = await council.review({ incident: incident("x"), proposal: proposal("RESTART"), facts }, () => undefined);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(d.votes.find((v) => v.role === "SECURITY_OFFICER")?.reasoning).toContain("timed out after 0.3 s");
  });
});
