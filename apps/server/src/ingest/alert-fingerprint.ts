import { createHash } from "node:crypto";

const digest = (parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);

/**
 * A seed-000 webhook's grouping key: its service and its signature (the alert type, case and spacing
 * folded, numbers masked so "CPU 97%" and "CPU 98%" are one signature). Dry runs never join real incidents.
 */
export function webhookFingerprint(service: string | null, alertType: string, dryRun: boolean): string {
  const signature = alertType
    .toLowerCase()
    .replace(/\d+(\.\d+)?/g, "#")
    .replace(/\s+/g, " ")
    .trim();
  return `svc:${digest([service ?? "", signature, dryRun ? "dry" : ""])}`;
}

/** A source's grouping key: the source and its own key (Alertmanager's group key, PagerDuty's incident id). */
export function sourceFingerprint(source: string, key: string): string {
  return `${source}:${digest([key])}`;
}

/** Alertmanager's per-alert fingerprint when it sent none: a hash of the sorted labels. */
export function labelsFingerprint(labels: Record<string, string>): string {
  return digest(
    Object.keys(labels)
      .sort()
      .map((k) => `${k}=${labels[k]}`),
  ).slice(0, 16);
}

/** A deterministic id: a retried delivery of the same notification is the same incident, never a second. */
export function contentId(prefix: string, parts: string[]): string {
  return `${prefix}-${digest(parts).slice(0, 24)}`;
}
