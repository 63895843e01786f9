import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { type FramePayload, WsFrame, WsFramePayloads, WsFrameType, wsFrame } from "./ws-frames.js";

const vote = { role: "AUDITOR", verdict: "APPROVED", reasoning: "ok", timestamp: "2026-02-21T03:15:01Z" } as const;
const analysis = {
  root_cause: "leak",
  action: "RESTART",
  justification: "j",
  confidence: 0.9,
  replica_count: 2,
} as const;

/** One payload of every frame type, shaped as the server sends it. */
const samples: { [T in WsFrameType]: FramePayload<T> } = {
  heartbeat: { status: "connected" },
  "incident.new": { incident_id: "i1", alert_type: "Memory Leak", logs: "ERROR" },
  "status.update": { incident_id: "i1", status: "HUMAN_DECISION", message: "Approved by ann", agent: "HUMAN" },
  "ai.thinking": { incident_id: "i1", message: "No similar past incidents" },
  "ai.stream": { incident_id: "i1", chunk: "lea", full_text: "lea" },
  "ai.complete": { incident_id: "i1", analysis },
  "council.vote": { incident_id: "i1", vote },
  "council.decision": {
    incident_id: "i1",
    decision: { votes: [vote], final_verdict: "APPROVED", consensus: true, summary: "s" },
  },
  "docker.action": { incident_id: "i1", action: "RESTART", container: "buggy-app-v2" },
  "scale.event": {
    incident_id: null,
    event: {
      container_base: "buggy-app-v2",
      replica_count: 0,
      replicas: [],
      lb_configured: true,
      timestamp: "2026-02-21T03:15:00Z",
      removed: ["buggy-app-v2-replica-1"],
    },
  },
  "health.check": { incident_id: "i1", attempt: 1, healthy: true },
  resolved: { incident_id: "i1", resolved_at: "2026-02-21T03:16:00Z" },
  failed: { incident_id: "i1", error: "Rejected by ann" },
  metrics: [
    {
      name: "buggy-app-v2",
      cpu_percent: 12.5,
      memory_mb: 128.4,
      memory_limit_mb: 2048,
      memory_percent: 6.27,
      net_rx_bytes: 1048576,
      net_tx_bytes: 524288,
      status: "running",
      uptime_seconds: 3600,
      image: "aegisops-buggy-app-v2:latest",
    },
  ],
  "container.list": [{ name: "buggy-app-v2", status: "running", image: "img", id: "abc" }],
  "monitor.alert": {
    timestamp: "2025-01-15T06:00:00",
    server_name: "ppdb900",
    profile: "Database",
    event_type: "raised",
    previous_level: "healthy",
    new_level: "warning",
    risk_score: 64.2,
    message: "Memory 91% rising 2.1%/hour",
  },
  "analysis.hypotheses": {
    incident_id: "inc-1",
    count: 2,
    top_hypothesis: { claim: "Memory leak", confidence_score: 0.8 },
  },
};

describe("WebSocket frames", () => {
  it("has one envelope per frame type, discriminated on type", () => {
    expect(WsFrame.options.map((o) => o.shape.type.value).sort()).toEqual([...WsFrameType.options].sort());
  });

  it.each(WsFrameType.options)("a %s frame parses with its schema, in the seed's envelope", (type) => {
    const frame = JSON.parse(JSON.stringify(wsFrame(type, "i1", samples[type])));
    expect(Object.keys(frame).sort()).toEqual(["data", "incident_id", "timestamp", "type"]);
    expect(WsFrame.parse(frame)).toEqual(frame);
  });

  it("refuses a payload that is not its type's", () => {
    const frame = wsFrame("failed", "i1", samples.failed);
    expect(WsFrame.safeParse({ ...frame, data: samples.resolved }).success).toBe(false);
    expect(WsFramePayloads["health.check"].safeParse({ incident_id: "i1", attempt: "1", healthy: true }).success).toBe(
      false,
    );
  });

  // Test files are outside the build: compile these lines here so each `@ts-expect-error` must hold.
  it("makes a wrong payload a type error", () => {
    const source = `import { wsFrame } from "./ws-frames.js";
import type { FramePayload } from "./ws-frames.js";
wsFrame("resolved", "i1", { incident_id: "i1", resolved_at: "now" });
// @ts-expect-error a resolved frame carries resolved_at, not error
wsFrame("resolved", "i1", { incident_id: "i1", error: "x" });
// @ts-expect-error health.check's attempt is a number
wsFrame("health.check", "i1", { incident_id: "i1", attempt: "1", healthy: true });
// @ts-expect-error no such frame type
wsFrame("incident.created", "i1", {});
// @ts-expect-error metrics is an array of container metrics
const m: FramePayload<"metrics"> = { name: "x" };
void m;
`;
    expect(typeErrors(source)).toEqual([]);
  });
});

/** Diagnostics of `source` compiled as a module beside this file with the repository's options. */
function typeErrors(source: string): string[] {
  const dir = dirname(fileURLToPath(import.meta.url));
  const file = join(dir, "ws-frames.typecheck.ts");
  const configPath = join(dir, "..", "..", "..", "tsconfig.base.json");
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, dir);
  const options = { ...config.options, noEmit: true, composite: false, declaration: false };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    name === file ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}
