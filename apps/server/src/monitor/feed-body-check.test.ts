import { FeedRequest } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { isCleanFeedBody } from "./feed-body-check.js";
import { BAD_FEED_BODIES, good } from "./feed-body-fixtures.js";

describe("isCleanFeedBody (the /feed/data fast path)", () => {
  it("refuses every body the schema refuses", () => {
    for (const [label, body] of Object.entries(BAD_FEED_BODIES)) {
      expect(FeedRequest.safeParse(body).success, label).toBe(false);
      expect(isCleanFeedBody(body), label).toBe(false);
    }
  });

  it("accepts clean bodies exactly as the schema parses them", () => {
    const bodies = [
      { records: [good()] },
      { records: [good({ timestamp: "2026-03-02T08:00:00Z" }), good({ timestamp: "2026-03-02T09:00:00.250+02:00" })] },
      {
        records: Array.from({ length: 1000 }, (_, i) => good({ server_name: `srv-${i % 37}`, cpu_user_pct: i % 101 })),
      },
      { records: [good({ server_name: "ünïcode name with spaces", status: "morning_spike", net_in_mb_s: 1e6 })] },
    ];
    for (const body of bodies) {
      expect(isCleanFeedBody(body)).toBe(true);
      expect(FeedRequest.parse(body)).toEqual(body);
    }
  });

  it("leaves bodies with extra keys to the schema (which strips them)", () => {
    const extra = { records: [good({ region: "eu" })] };
    expect(FeedRequest.safeParse(extra).success).toBe(true);
    expect(isCleanFeedBody(extra)).toBe(false);
    expect(isCleanFeedBody({ records: [good()], note: "x" })).toBe(false);
  });
});
