import { createHash } from "node:crypto";

/**
 * A signature of what an analysis depends on, insensitive to what changes between repeats of the same
 * alert: timestamps, UUIDs, long hex ids, IPs, long numbers (pids, request ids), case and spacing.
 */
export function analysisSignature(...parts: (string | null | undefined)[]): string {
  const normalised = parts.map((p) =>
    (p ?? "")
      .toLowerCase()
      .replace(/\d{4}-\d\d-\d\d[t ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:z|[+-]\d\d:?\d\d)?/g, "<ts>")
      .replace(/\b\d\d:\d\d:\d\d(?:[.,]\d+)?\b/g, "<time>")
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, "<uuid>")
      .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{10,}\b/g, "<hex>")
      .replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, "<ip>")
      .replace(/\b\d{5,}\b/g, "<n>")
      .replace(/\s+/g, " ")
      .trim(),
  );
  return createHash("sha256").update(normalised.join("\u0000")).digest("hex").slice(0, 32);
}
