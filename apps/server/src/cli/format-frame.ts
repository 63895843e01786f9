import type { WsFrame } from "@aegis/contracts";

const colour = process.stdout.isTTY
  ? (code: number, s: string) => `\u001b[${code}m${s}\u001b[0m`
  : (_: number, s: string) => s;

/** One readable line per frame; streamed tokens are printed inline without a newline prefix. */
export function formatFrame(f: WsFrame): string | null {
  const t = f.timestamp.slice(11, 19);
  const id = f.incident_id ? colour(36, f.incident_id.slice(0, 12)) : "";
  const d = (f.data ?? {}) as Record<string, unknown>;
  switch (f.type) {
    case "heartbeat":
      return colour(90, `${t} heartbeat ${String(d.status ?? "")}`);
    case "incident.new":
      return `${t} ${colour(33, "NEW")}      ${id} ${String(d.alert_type)}`;
    case "status.update":
      return `${t} ${colour(34, String(d.status).padEnd(16))} ${id} ${String(d.message)}`;
    case "ai.thinking":
      return `${t} ${colour(35, "thinking")}         ${id} ${String(d.message)}`;
    case "ai.stream":
      return null;
    case "ai.complete": {
      const a = d.analysis as { action: string; confidence: number; root_cause: string };
      return `${t} ${colour(35, "analysis")}         ${id} ${a.action} (${a.confidence.toFixed(2)}) ${a.root_cause}`;
    }
    case "council.vote": {
      const v = d.vote as { role: string; verdict: string; reasoning: string };
      const c = v.verdict === "APPROVED" ? 32 : v.verdict === "REJECTED" ? 31 : 33;
      return `${t} ${colour(c, `vote ${v.verdict}`.padEnd(16))} ${id} ${v.role}: ${v.reasoning}`;
    }
    case "council.decision": {
      const dec = d.decision as { summary: string };
      return `${t} ${colour(1, "decision")}         ${id} ${dec.summary}`;
    }
    case "docker.action":
      return `${t} ${colour(33, "action")}           ${id} ${String(d.action)} → ${String(d.container)}`;
    case "scale.event":
      return `${t} ${colour(33, "scale")}            ${id} ${JSON.stringify(d.event)}`;
    case "health.check":
      return `${t} health #${String(d.attempt)}        ${id} ${d.healthy ? colour(32, "healthy") : colour(31, "unhealthy")}`;
    case "resolved":
      return `${t} ${colour(32, "RESOLVED")}         ${id}`;
    case "failed":
      return `${t} ${colour(31, "FAILED")}           ${id} ${String(d.error)}`;
    case "metrics": {
      const list = f.data as { name: string; cpu_percent: number; memory_mb: number }[];
      return colour(
        90,
        `${t} metrics ${list.map((m) => `${m.name} cpu=${m.cpu_percent.toFixed(0)}% mem=${m.memory_mb.toFixed(0)}MB`).join("  ")}`,
      );
    }
    case "container.list":
      return null;
    case "monitor.alert":
      return `${t} ${colour(31, `monitor ${String(d.new_level)}`.padEnd(16))} ${String(d.server_name)}: ${String(d.message ?? d.event_type)}`;
    case "analysis.hypotheses":
      return `${t} ${"hypotheses".padEnd(16)} ${id} ${String(d.count)} stored`;
  }
}
