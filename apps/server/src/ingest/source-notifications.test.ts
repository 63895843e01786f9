import { AlertmanagerPayload } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { webhookFingerprint } from "./alert-fingerprint.js";
import { signPagerDuty, verifyPagerDutySignature } from "./pagerduty-signature.js";
import { SealedSecrets } from "./sealed-secret.js";
import { matchesAll } from "./silence-matcher.js";
import { groupNotification, pagerDutyNotification } from "./source-notifications.js";

const am = (status: "firing" | "resolved", alerts: { name: string; status?: "firing" | "resolved" }[]) =>
  AlertmanagerPayload.parse({
    version: "4",
    groupKey: '{}:{service="checkout"}',
    status,
    receiver: "aegis",
    groupLabels: { service: "checkout" },
    commonLabels: { service: "checkout", severity: "critical" },
    commonAnnotations: {},
    externalURL: "http://am:9093",
    alerts: alerts.map((a, k) => ({
      status: a.status ?? status,
      labels: { alertname: a.name, service: "checkout", severity: "critical" },
      annotations: { summary: `${a.name} summary` },
      startsAt: `2026-12-06T05:0${k}:00Z`,
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prom/graph",
      fingerprint: `fp${k}`,
    })),
  });

describe("source notifications", () => {
  it("an Alertmanager group is one incident keyed by its group; a retry has the same id; resolved resolves the group", () => {
    const a = groupNotification("p", "alertmanager", am("firing", [{ name: "Down" }, { name: "Slow" }]));
    const again = groupNotification("p", "alertmanager", am("firing", [{ name: "Down" }, { name: "Slow" }]));
    expect(a.incident?.id).toBe(again.incident?.id);
    expect(a.incident).toMatchObject({
      alertType: "Down",
      severity: "CRITICAL",
      containerName: "checkout",
      service: "checkout",
    });
    expect(a.incident?.alerts?.map((r) => r.alertname)).toEqual(["Down", "Slow"]);
    expect(a.incident?.logs).toContain("Slow summary");
    const more = groupNotification(
      "p",
      "alertmanager",
      am("firing", [{ name: "Down" }, { name: "Slow" }, { name: "Errors" }]),
    );
    expect(more.incident?.id).not.toBe(a.incident?.id);
    expect(more.incident?.fingerprint).toBe(a.incident?.fingerprint);
    const done = groupNotification("p", "alertmanager", am("resolved", [{ name: "Down" }]));
    expect(done).toMatchObject({ incident: null, resolve: a.incident?.fingerprint });
    expect(done.records[0]?.status).toBe("resolved");
  });

  it("PagerDuty: triggered opens, acknowledged and resolved move the same group, others are recorded", () => {
    const ev = (event_type: string) => ({
      event: {
        id: `E-${event_type}`,
        event_type,
        resource_type: "incident",
        occurred_at: "2026-12-06T05:00:00Z",
        agent: { summary: "Dana" },
        data: { id: "Q1", title: "Checkout down", urgency: "high", service: { summary: "checkout" } },
      },
    });
    const t = pagerDutyNotification("p", ev("incident.triggered"));
    expect(t.incident).toMatchObject({ id: "pd-E-incident.triggered", severity: "CRITICAL", service: "checkout" });
    expect(pagerDutyNotification("p", ev("incident.acknowledged"))).toMatchObject({
      acknowledge: t.incident?.fingerprint,
      actor: "Dana",
    });
    expect(pagerDutyNotification("p", ev("incident.resolved")).resolve).toBe(t.incident?.fingerprint);
    expect(pagerDutyNotification("p", ev("incident.annotated"))).toMatchObject({
      incident: null,
      resolve: null,
      acknowledge: null,
    });
  });

  it("PagerDuty signatures: v1 HMAC-SHA256 of the raw body, any of several, nothing else", () => {
    const body = '{"event":{"id":"1"}}';
    const good = signPagerDuty(body, "s3cret");
    expect(verifyPagerDutySignature(good, body, "s3cret")).toBe(true);
    expect(verifyPagerDutySignature(`v1=${"0".repeat(64)}, ${good}`, body, "s3cret")).toBe(true);
    expect(verifyPagerDutySignature(good, `${body} `, "s3cret")).toBe(false);
    expect(verifyPagerDutySignature(good.replace("v1=", "v0="), body, "s3cret")).toBe(false);
    expect(verifyPagerDutySignature(undefined, body, "s3cret")).toBe(false);
    expect(verifyPagerDutySignature("v1=zz", body, "s3cret")).toBe(false);
  });

  it("matchers follow Alertmanager: anchored regex, negation, absent label is empty", () => {
    const labels = { service: "checkout-api", env: "prod" };
    expect(matchesAll([{ name: "service", value: "checkout", isRegex: true, isEqual: true }], labels)).toBe(false);
    expect(matchesAll([{ name: "service", value: "checkout-.*", isRegex: true, isEqual: true }], labels)).toBe(true);
    expect(matchesAll([{ name: "env", value: "prod", isRegex: false, isEqual: false }], labels)).toBe(false);
    expect(matchesAll([{ name: "team", value: "", isRegex: false, isEqual: true }], labels)).toBe(true);
  });

  it("webhook signature masks numbers and folds case; service and dry run separate", () => {
    expect(webhookFingerprint("a", "CPU 97%", false)).toBe(webhookFingerprint("a", "cpu  98%", false));
    expect(webhookFingerprint("a", "CPU", false)).not.toBe(webhookFingerprint("b", "CPU", false));
    expect(webhookFingerprint("a", "CPU", false)).not.toBe(webhookFingerprint("a", "CPU", true));
  });

  it("sealed secrets open only under the same server secret", () => {
    const sealed = new SealedSecrets("server-secret-1").seal("pd-secret");
    expect(sealed).not.toContain("pd-secret");
    expect(new SealedSecrets("server-secret-1").open(sealed)).toBe("pd-secret");
    expect(new SealedSecrets("server-secret-2").open(sealed)).toBeNull();
  });
});
