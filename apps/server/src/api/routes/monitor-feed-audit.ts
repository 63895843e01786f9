import { redactSecrets } from "../../audit/redact.js";
import { FeedBytesBody } from "../../monitor/feed-json-bytes.js";
import { auditedBody } from "../audit-recorder.js";

/** Records of a `/feed/data` body the audit entry shows (about 4 KB of JSON at ~450 bytes a record). */
const PREVIEW_RECORDS = 8;

/**
 * The audit entry's form of a `/feed/data` body: a batch of more than a few records is summarised as its
 * record count and a redacted preview of its first records, the same `{truncated, preview}` shape the audit
 * hook gives any large body — without the hook's redacted deep copy and `JSON.stringify` of the whole
 * batch (a 5,000-record body: ~44 ms of one synchronous task and a full copy per request, measured in-process).
 */
export function feedAuditBody(body: unknown): unknown {
  if (body instanceof AuditedFeedBody) return body.entry;
  // A body read from its bytes: its first records parsed now (all of a small body), the count from its columns.
  if (body instanceof FeedBytesBody) return batchEntry(body.head(), body.columns.length);
  const records = (body as { records?: unknown } | null)?.records;
  if (!Array.isArray(records)) return auditedBody(body);
  return batchEntry(body as { records: unknown[] }, records.length);
}

/** The entry of a body `{records}` of `count` records (`head.records` holds at least its first 8). */
function batchEntry(head: { records: unknown[] }, count: number): unknown {
  if (count <= PREVIEW_RECORDS) return auditedBody(head);
  const preview = JSON.stringify(redactSecrets({ records: head.records.slice(0, PREVIEW_RECORDS) })) ?? "";
  return { truncated: true, records: count, preview: preview.slice(0, 4096) };
}

/**
 * A feed body already reduced to its audit entry: `/feed/data` puts this in place of the parsed body once
 * the batch is held as columns, so the request no longer keeps thousands of record objects alive while
 * the batch is ingested over many event-loop tasks (they would be promoted to the old generation).
 */
export class AuditedFeedBody {
  readonly entry: unknown;

  constructor(body: unknown) {
    this.entry = feedAuditBody(body);
  }
}
