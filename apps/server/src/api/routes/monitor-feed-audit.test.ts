import { describe, expect, it } from "vitest";
import { REDACTED } from "../../audit/redact.js";
import { good } from "../../monitor/feed-body-fixtures.js";
import { parseFeedBytes } from "../../monitor/feed-json-bytes.js";
import { auditedBody } from "../audit-recorder.js";
import { AuditedFeedBody, feedAuditBody } from "./monitor-feed-audit.js";

const batch = (n: number, over: Record<string, unknown> = {}) => ({
  records: Array.from({ length: n }, (_, i) => good({ server_name: `web${String(i).padStart(4, "0")}`, ...over })),
});

describe("feedAuditBody", () => {
  it("keeps a small batch as the audit hook would (redacted copy)", () => {
    const body = batch(3, { api_token: "s3cret" });
    expect(feedAuditBody(body)).toEqual(auditedBody(body));
    expect(JSON.stringify(feedAuditBody(body))).not.toContain("s3cret");
  });

  it("summarises a large batch as its record count and a redacted preview of its first records", () => {
    const body = batch(5000, { password: "hunter2" });
    const a = feedAuditBody(body) as { truncated: boolean; records: number; preview: string };
    expect(a.truncated).toBe(true);
    expect(a.records).toBe(5000);
    expect(a.preview.length).toBeLessThanOrEqual(4096);
    expect(a.preview.startsWith('{"records":[{"timestamp":"2026-03-02T08:00:00","server_name":"web0000"')).toBe(true);
    expect(a.preview).toContain("web0007");
    expect(a.preview).not.toContain("web0008");
    expect(a.preview).not.toContain("hunter2");
    expect(a.preview).toContain(REDACTED);
  });

  it("leaves bodies that are not a batch to the hook's form", () => {
    for (const body of [null, "x", { records: "no" }, [1, 2]]) expect(feedAuditBody(body)).toEqual(auditedBody(body));
  });

  it("gives a body reduced early (AuditedFeedBody) the entry the body itself would get", () => {
    for (const body of [batch(3, { api_token: "s3cret" }), batch(5000, { password: "hunter2" })]) {
      const early = new AuditedFeedBody(body);
      body.records.length = 0; // the parsed records may go once the entry is taken
      expect(feedAuditBody(early)).toEqual(early.entry);
      expect(JSON.stringify(early.entry)).not.toMatch(/s3cret|hunter2/);
    }
    expect((feedAuditBody(new AuditedFeedBody(batch(5000))) as { records: number }).records).toBe(5000);
  });

  it("gives a body read from its bytes (FeedBytesBody) the entry of the same body parsed", () => {
    for (const n of [1, 8, 9, 5000]) {
      const text = JSON.stringify(batch(n, { server_name: "wëb \u2028 ☃" }), null, n % 2 === 0 ? 1 : undefined);
      const read = parseFeedBytes(Buffer.from(text));
      expect(read, `${n} records`).toBeDefined();
      expect(feedAuditBody(read)).toEqual(feedAuditBody(JSON.parse(text)));
      expect(new AuditedFeedBody(read).entry).toEqual(feedAuditBody(JSON.parse(text)));
    }
  });
});
