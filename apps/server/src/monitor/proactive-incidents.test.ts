import type { IncidentPayload } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { createLogger } from "../shared/logger.js";
import type { AlertEvent } from "./monitor-types.js";
import { ProactiveIncidents } from "./proactive-incidents.js";

function event(
  server: string,
  at: string,
  previous: AlertEvent["previous_level"],
  next: AlertEvent["new_level"],
): AlertEvent {
  const type = next === "healthy" ? "resolved" : previous === "healthy" ? "raised" : "escalated";
  return {
    timestamp: at,
    server_name: server,
    profile: "Database",
    event_type: type,
    previous_level: previous,
    new_level: next,
    risk_score: next === "critical" ? 91 : 40,
    message: "Memory exhaustion predicted in 40 minutes",
  };
}

function setup(manages: (s: string) => boolean = () => false) {
  const received: IncidentPayload[] = [];
  const seen = new Set<string>();
  const bridge = new ProactiveIncidents(
    {
      receive: async (p) => {
        received.push(p);
        const created = !seen.has(p.incident_id);
        seen.add(p.incident_id);
        return { created, incident: { incident_id: p.incident_id } };
      },
    },
    createLogger("silent"),
    { enabled: true, manages },
  );
  return { bridge, received };
}

describe("ProactiveIncidents", () => {
  it("opens one incident per server and episode, and a new one after the server was healthy again", async () => {
    const { bridge, received } = setup();
    await bridge.onEvents([event("ppdb001", "2026-01-01T10:00:00", "warning", "critical")], () => undefined);
    await bridge.onEvents([event("ppdb001", "2026-01-01T10:05:00", "critical", "warning")], () => undefined);
    await bridge.onEvents([event("ppdb001", "2026-01-01T10:10:00", "warning", "critical")], () => undefined);
    expect(received).toHaveLength(1);
    expect(bridge.incidentOf("ppdb001")).toBe("argus-ppdb001-20260101T100000");
    await bridge.onEvents([event("ppdb001", "2026-01-01T11:00:00", "warning", "healthy")], () => undefined);
    expect(bridge.incidentOf("ppdb001")).toBeUndefined();
    await bridge.onEvents([event("ppdb001", "2026-01-01T12:00:00", "healthy", "critical")], () => undefined);
    expect(received.map((p) => p.incident_id)).toEqual([
      "argus-ppdb001-20260101T100000",
      "argus-ppdb001-20260101T120000",
    ]);
    expect(bridge.openedCount).toBe(2);
  });

  it("ignores warnings, and runs a dry run only for servers the runtime does not manage", async () => {
    const { bridge, received } = setup((s) => s === "buggy-app-v2");
    await bridge.onEvents(
      [
        event("ppweb001", "2026-01-01T10:00:00", "healthy", "warning"),
        event("ppdb001", "2026-01-01T10:00:00", "warning", "critical"),
        event("buggy-app-v2", "2026-01-01T10:00:00", "warning", "critical"),
      ],
      () => undefined,
    );
    expect(received.map((p) => [p.container_name, p.dry_run])).toEqual([
      ["ppdb001", true],
      ["buggy-app-v2", false],
    ]);
    expect(received[0]?.alert_type).toBe("Predicted: Memory exhaustion predicted in 40 minutes");
    expect(received[0]?.context).toMatchObject({ service: "ppdb001", predicted: true });
  });
});
