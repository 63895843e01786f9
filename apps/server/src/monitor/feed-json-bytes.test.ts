import { FeedRequest, METRIC_FIELDS } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import { isCleanFeedBody } from "./feed-body-check.js";
import { BAD_FEED_BODIES, good } from "./feed-body-fixtures.js";
import { type FeedBytesBody, parseFeedBytes } from "./feed-json-bytes.js";

const bytes = (text: string) => Buffer.from(text, "utf8");

/** Every record of `text` read from its bytes equals `JSON.parse`'s, value for value (`Object.is`), keys in seed order. */
function expectSameAsJsonParse(text: string): void {
  const parsed = parseFeedBytes(bytes(text)) as FeedBytesBody;
  expect(parsed, text.slice(0, 200)).toBeDefined();
  const reference = JSON.parse(text) as { records: Record<string, unknown>[] };
  const columns = parsed.columns;
  expect(columns.length).toBe(reference.records.length);
  const rebuilt = columns.records(0, columns.length);
  for (let i = 0; i < rebuilt.length; i++) {
    const want = reference.records[i] as Record<string, unknown>;
    const got = rebuilt[i] as unknown as Record<string, unknown>;
    for (const key of ["timestamp", "server_name", "status", ...METRIC_FIELDS]) {
      expect(Object.is(got[key], want[key]), `record ${i} ${key}: ${String(got[key])} vs ${String(want[key])}`).toBe(
        true,
      );
    }
  }
  expect(parsed.head()).toEqual({ records: reference.records.slice(0, 8) });
}

/** A record's JSON with the given numbers written as raw text (so forms JSON.stringify never writes can be tried). */
function rawRecord(numbers: Record<string, string>, over: Record<string, unknown> = {}): string {
  const r = good(over) as Record<string, unknown>;
  return `{${Object.keys(r)
    .map((k) => `${JSON.stringify(k)}:${numbers[k] ?? JSON.stringify(r[k])}`)
    .join(",")}}`;
}

describe("parseFeedBytes (/feed/data read from its bytes)", () => {
  it("leaves every body the schema refuses (and any other JSON) to the full parse", () => {
    for (const [label, body] of Object.entries(BAD_FEED_BODIES)) {
      expect(FeedRequest.safeParse(body).success, label).toBe(false);
      expect(parseFeedBytes(bytes(JSON.stringify(body))), label).toBeUndefined();
    }
    const one = JSON.stringify(good());
    const left = [
      "",
      " ",
      `{"records":[${one}]`,
      `{"records":[${one},]}`,
      `{"records":[${one}]}x`,
      `{"records":[${one}],"records":[${one}]}`,
      `{"records":[${one}],"note":1}`,
      `\uFEFF{"records":[${one}]}`,
      `{"records":[${one.replace('"uptime_days":365', '"uptime_days":0365')}]}`,
      `{"records":[${one.replace('"uptime_days":365', '"uptime_days":365.')}]}`,
      `{"records":[${one.replace('"uptime_days":365', '"uptime_days":+365')}]}`,
      `{"records":[${one.replace('"uptime_days":365', '"uptime_days":36e')}]}`,
      `{"records":[${one.replace('"uptime_days":365', '"uptime_days":-')}]}`,
      `{"records":[${one.replace('"ppweb001"', '"pp\\u0077eb001"')}]}`,
      `{"records":[${one.replace('"ppweb001"', '"pp\\"web"')}]}`,
      `{"records":[${one.replace('"ppweb001"', '"pp\tweb"')}]}`,
      `{"records":[${one.replace('"status"', '"st\\u0061tus"')}]}`,
      `{"records":[${one.replace('"status":"healthy"', '"status":"healthy","status":"healthy"')}]}`,
      `{"records":[${one.replace('"status":"healthy"', '"status":"healthy","__proto__":{}')}]}`,
      `{"records":[${one.replace("}", ',"region":"eu"}')}]}`,
    ];
    for (const text of left) expect(parseFeedBytes(bytes(text)), text.slice(0, 120)).toBeUndefined();
    // Invalid UTF-8 in a name: left to the full parse (which decodes the body as a whole).
    const broken = Buffer.concat([
      bytes(`{"records":[${one.split('"ppweb001"')[0]}"pp`),
      Buffer.from([0xc3]),
      bytes(`w"${one.split('"ppweb001"')[1]}]}`),
    ]);
    expect(parseFeedBytes(broken)).toBeUndefined();
  });

  it("accepts what the schema accepts unchanged, with JSON.parse's values", () => {
    const bodies = [
      { records: [good()] },
      { records: [good({ timestamp: "2026-03-02T08:00:00Z" }), good({ timestamp: "2026-03-02T09:00:00.250+02:00" })] },
      {
        records: Array.from({ length: 1000 }, (_, i) => good({ server_name: `srv-${i % 37}`, cpu_user_pct: i % 101 })),
      },
      {
        records: [
          good({ server_name: "ünïcode name with spaces 😀 \u2028", status: "morning_spike", net_in_mb_s: 1e6 }),
        ],
      },
    ];
    for (const body of bodies) {
      expect(isCleanFeedBody(body)).toBe(true);
      expectSameAsJsonParse(JSON.stringify(body));
      expectSameAsJsonParse(JSON.stringify(body, null, 2));
    }
  });

  it("reads numbers as JSON.parse does, in every form", () => {
    const forms = [
      "0",
      "-0",
      "0.0",
      "-0.000",
      "100",
      "100.000000",
      "99.99999999999999",
      "99.999999999999999999",
      "0.1",
      "0.30000000000000004",
      "12.345678901234567",
      "1e2",
      "1E2",
      "1.5e+1",
      "2.5e-3",
      "0.0000000000000000000001",
      "0.00000000000000000000001",
      "5e-324",
      "1e-400",
      "123456789012345",
      "1234567890123456",
      "9007199254740993",
      "33.333333333333336",
      "47.00000000000001",
    ];
    const keys = ["cpu_user_pct", "cpu_sys_pct", "mem_used_pct", "net_in_mb_s", "load_average"];
    // Values over 100 go to a field without an upper bound.
    const records = forms.map((f, i) =>
      rawRecord({ [Number(f) > 100 ? "net_in_mb_s" : (keys[i % keys.length] as string)]: f }),
    );
    expectSameAsJsonParse(`{"records":[${records.join(",")}]}`);
    // Random doubles as JSON.stringify writes them, and rounded to 1–6 decimals.
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const many: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const x = next() * 100;
      const d = i % 7;
      const text = d === 0 ? JSON.stringify(x) : JSON.stringify(Math.round(x * 10 ** d) / 10 ** d);
      const big = JSON.stringify(next() * 10 ** (i % 20));
      many.push(
        rawRecord({ cpu_idle_pct: text, net_out_mb_s: big, back_close_wait: String(i), uptime_days: String(i % 366) }),
      );
    }
    expectSameAsJsonParse(`{"records":[${many.join(",")}]}`);
  });

  it("takes the keys in any order, with whitespace anywhere JSON allows it", () => {
    const r = good({ server_name: "x1" }) as Record<string, unknown>;
    const keys = Object.keys(r).reverse();
    const reversed = `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(r[k])}`).join(",")}}`;
    const spaced = `{ \n\t"records" \r:\n [ ${reversed} ,\n${JSON.stringify(good())} , ${reversed} ] \n}\n `;
    expectSameAsJsonParse(spaced);
  });
});
