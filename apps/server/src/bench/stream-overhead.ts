import type { WsFrame } from "@aegis/contracts";
import { diagnosisJson, FakeOpenAiServer, openAiText, pieces } from "../testing/fake-llm-server.js";
import { prepareEnv, startInProcess } from "../testing/test-server.js";
import { summary } from "./stats.js";

/**
 * Overhead the engine adds between a provider's token and its `ai.stream` frame: a fake OpenAI server
 * (real HTTP, SSE) stamps each token as it writes it, a WebSocket client stamps the frame carrying it;
 * both in this process, on one clock. Includes the SDK's SSE parsing, the chain, the pipeline, the
 * event bus, the WebSocket hub and loopback TCP both ways.
 */
export async function streamOverhead(incidents: number, tokensPerIncident: number) {
  const answer = diagnosisJson();
  const size = Math.max(1, Math.ceil(answer.length / tokensPerIncident));
  const tokens = pieces(answer, size);
  // A pause between tokens so each one is its own TCP write, as from a real model.
  const fake = await new FakeOpenAiServer(() => ({ events: openAiText(tokens), delayMs: 2 })).start();
  const te = await prepareEnv({
    AEGIS_DEMO_APP: "false",
    AEGIS_LLM_CHAIN: "openai,builtin",
    OPENAI_BASE_URL: fake.baseURL,
    AEGIS_ANALYSIS_CACHE_SECS: "0",
    LOG_LEVEL: "error",
  });
  const { client, stop } = await startInProcess(te);
  try {
    const sock = await client.socket();
    const received = new Map<string, number[]>();
    sock.ws.on("message", (raw) => {
      const at = performance.now();
      const f = JSON.parse(raw.toString()) as WsFrame;
      if (f.type !== "ai.stream" || !f.incident_id) return;
      const list = received.get(f.incident_id) ?? [];
      list.push(at);
      received.set(f.incident_id, list);
    });
    const overheads: number[] = [];
    for (let k = 0; k < incidents; k++) {
      const id = `stream-${Date.now()}-${k}`;
      const before = fake.requests.length;
      await client.request("POST", "/webhook", {
        incident_id: id,
        alert_type: "Memory Leak",
        logs: `ERROR heap used 1900MB of 2048MB; run ${k}`,
        container_name: "buggy-app-v2",
        dry_run: true,
      });
      await sock.waitFor((f) => f.type === "ai.complete" && f.incident_id === id, 30_000);
      // The council's model reviews stream next; let them finish so the next incident's tokens are
      // measured on an otherwise idle engine (overlapping streams measure the event loop, not the engine).
      await sock.waitFor((f) => f.type === "council.decision" && f.incident_id === id, 30_000);
      const sent = fake.requests[before]?.sentAt ?? [];
      const got = received.get(id) ?? [];
      if (got.length !== tokens.length)
        throw new Error(`incident ${id}: ${got.length} frames for ${tokens.length} tokens`);
      // Event 0 is the role chunk; tokens are events 1..n.
      for (const [i, at] of got.entries()) overheads.push(at - (sent[i + 1] as number));
    }
    sock.ws.close();
    return {
      note: "ms from the fake provider writing a token (SSE chunk) to the WebSocket client receiving its ai.stream frame; same process, loopback",
      incidents,
      tokens_per_incident: tokens.length,
      overhead_ms: summary(overheads),
    };
  } finally {
    await stop();
    await fake.stop();
  }
}
