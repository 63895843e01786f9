import { describe, expect, it } from "vitest";
import { asStoredJson } from "./audit-chain.js";

const roundTrip = (v: unknown) =>
  JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "string" ? x.replaceAll("\u0000", "") : x)));

describe("asStoredJson", () => {
  it("gives what the JSON round trip gives, flat bodies included", () => {
    const values: unknown[] = [
      { incident_id: "a", dry_run: true, logs_chars: 80, severity: null, context_keys: ["service", "region"] },
      { id: "nul\u0000inside" },
      { n: -0 },
      { n: Number.NaN, m: Number.POSITIVE_INFINITY },
      { at: new Date(0) },
      { gone: undefined, kept: 1 },
      { list: ["a", undefined, null] },
      { nested: { b: 2, a: [1, 2.5, "x"] } },
      Object.assign(Object.create({ inherited: 1 }), { own: 2 }),
      // A parsed body may own a "__proto__" member: kept as a member, never made the copy's prototype.
      JSON.parse('{"__proto__": ["x"], "id": "p"}'),
      JSON.parse('{"__proto__": "x"}'),
      [1, "two", null],
      "text",
      7,
    ];
    for (const v of values) expect(asStoredJson(v)).toStrictEqual(roundTrip(v));
    expect(asStoredJson(undefined)).toBeNull();
    // A snapshot: changing the given object afterwards changes nothing stored.
    const body = { incident_id: "a", keys: ["x"] };
    const stored = asStoredJson(body);
    body.incident_id = "b";
    body.keys.push("y");
    expect(stored).toEqual({ incident_id: "a", keys: ["x"] });
    expect(asStoredJson(null)).toBeNull();
  });
});
