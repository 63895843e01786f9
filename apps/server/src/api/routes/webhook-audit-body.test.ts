import { describe, expect, it } from "vitest";
import { REDACTED } from "../../audit/redact.js";
import { webhookAuditBody } from "./webhook-audit-body.js";

describe("webhookAuditBody (a /webhook's audit entry)", () => {
  it("keeps the fields naming the alert and only the size of its evidence", () => {
    const logs = `ERROR db timeout ${"x".repeat(20_000)}`;
    const entry = webhookAuditBody({
      incident_id: "inc-1",
      alert_type: "High error rate",
      container_name: "checkout",
      severity: "CRITICAL",
      dry_run: true,
      logs,
      context: { region: "eu-west-1", db_password: "hunter2" },
    });
    expect(entry).toEqual({
      incident_id: "inc-1",
      alert_type: "High error rate",
      container_name: "checkout",
      severity: "CRITICAL",
      dry_run: true,
      logs_chars: logs.length,
      context_keys: ["region", "db_password"],
    });
    expect(JSON.stringify(entry)).not.toContain("hunter2");
    expect(JSON.stringify(entry).length).toBeLessThan(400);
  });

  it("keeps what a refused body sent in a wrong type, without copying long strings", () => {
    expect(webhookAuditBody({ incident_id: 42, alert_type: "a".repeat(2_000), logs: ["not", "text"] })).toEqual({
      incident_id: 42,
      alert_type: "a".repeat(512),
    });
  });

  it("gives a body that is not an object the audit hook's general, redacted form", () => {
    expect(webhookAuditBody([{ token: "t0ps3cret" }])).toEqual([{ token: REDACTED }]);
    expect(webhookAuditBody(null)).toBeNull();
  });
});
