import { describe, expect, it } from "vitest";
import { Redactor } from "./redactor.js";

/** [text, the secret values that must not survive] */
const CORPUS: [string, string[]][] = [
  ["db password=hunter2secret reconnecting", ["hunter2secret"]],
  ['{"password": "p@ssw0rd!", "user": "svc"}', ["p@ssw0rd!"]],
  ["DB_PASSWORD='s3cr3t-value' exported", ["s3cr3t-value"]],
  ["connecting to postgres://admin:Sup3rS3cret@db.internal:5432/app", ["Sup3rS3cret", "admin:Sup3rS3cret"]],
  ["redis://:n0auth-pass@10.0.3.7:6379", ["n0auth-pass", "10.0.3.7"]],
  ["Authorization: Bearer abcdef0123456789abcdef.ghijkl", ["abcdef0123456789abcdef.ghijkl"]],
  ["curl -H 'Authorization: Basic dXNlcjpwYXNzd29yZA=='", ["dXNlcjpwYXNzd29yZA=="]],
  [
    "token eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"],
  ],
  ["AWS key AKIAIOSFODNN7EXAMPLE used", ["AKIAIOSFODNN7EXAMPLE"]],
  ["aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]],
  ["OPENAI_API_KEY=sk-proj-AbCdEfGhIjKlMnOpQrStUvWx123456", ["sk-proj-AbCdEfGhIjKlMnOpQrStUvWx123456"]],
  ["using sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123", ["sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123"]],
  ["stripe sk_live_51HxYzAbCdEfGhIjKlMnOpQr", ["sk_live_51HxYzAbCdEfGhIjKlMnOpQr"]],
  ["gh token ghp_16C7e42F292c6912E7710c838347Ae178B4a", ["ghp_16C7e42F292c6912E7710c838347Ae178B4a"]],
  ["slack xoxb-2631203476-abcdefghijklmnop", ["xoxb-2631203476-abcdefghijklmnop"]],
  ["google AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI", ["AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI"]],
  ["gitlab glpat-xxxxxxxxxxxxxxxxxxxx12", ["glpat-xxxxxxxxxxxxxxxxxxxx12"]],
  ["x-api-key: 7f3a9c0e1b2d4f6a8c0e", ["7f3a9c0e1b2d4f6a8c0e"]],
  ["session_id=9a8b7c6d5e4f; Path=/", ["9a8b7c6d5e4f"]],
  ["client_secret: Zx9-Yw8_Vu7", ["Zx9-Yw8_Vu7"]],
  ["user alice.smith+ops@example.co.uk failed login", ["alice.smith+ops@example.co.uk"]],
  ["page sent to oncall@acme.io", ["oncall@acme.io"]],
  ["connection from 192.168.1.23 refused", ["192.168.1.23"]],
  ["upstream 10.244.0.15:8080 timed out", ["10.244.0.15"]],
  ["client 2001:0db8:85a3:0000:0000:8a2e:0370:7334 reset", ["2001:0db8:85a3:0000:0000:8a2e:0370:7334"]],
  ["bind fe80::1ff:fe23:4567:890a failed", ["fe80::1ff:fe23:4567:890a"]],
  [
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1c2V0dGVy\nabcDEF==\n-----END RSA PRIVATE KEY-----",
    ["MIIEpAIBAAKCAQEA1c2V0dGVy", "abcDEF=="],
  ],
];

/** Text that must stay intact: no false positives on ordinary log content. */
const KEEP = [
  "GET /api/orders 200 12ms",
  "heap used 1900MB of 2048MB at 12:30:45",
  "deployed v2.3.5 (previous v2.3.4)",
  "token bucket exhausted, shedding load",
  "std::vector<int> resize failed",
  "p99 latency 4.2s, error rate 3.1%",
];

/** [text, the card or national ID numbers in it, the kind they are counted as] */
const IDENTIFIERS: [string, string[], "card" | "national_id"][] = [
  ["charge declined for card 4111 1111 1111 1111 (visa)", ["4111 1111 1111 1111"], "card"],
  ["pan=4111111111111111 exp=12/27", ["4111111111111111"], "card"],
  ['{"card":"5555-5555-5555-4444","cvc":"***"}', ["5555-5555-5555-4444"], "card"],
  ["mastercard 2-series 2223003122003222 refused", ["2223003122003222"], "card"],
  ["amex 3782 822463 10005 and 378282246310005", ["3782 822463 10005", "378282246310005"], "card"],
  ["diners 3056 930902 5904 / 30569309025904", ["3056 930902 5904", "30569309025904"], "card"],
  ["discover 6011 0009 9013 9424 and jcb 3530111333300000", ["6011 0009 9013 9424", "3530111333300000"], "card"],
  ["old visa 4222222222222 retried", ["4222222222222"], "card"],
  [
    "19-digit 6011 1111 1111 1111 110 or 4111111111111111110.",
    ["6011 1111 1111 1111 110", "4111111111111111110"],
    "card",
  ],
  ["card ending: 4111111111111111, amount 12.00", ["4111111111111111"], "card"],
  ["ssn=123-45-6789 rejected", ["123-45-6789"], "national_id"],
  ["customer SSN 078-05-1120.", ["078-05-1120"], "national_id"],
  ["NI number QQ 12 34 56 C on file", ["QQ 12 34 56 C"], "national_id"],
  ["nino=AB123456C; employer JG 10 37 52 A", ["AB123456C", "JG 10 37 52 A"], "national_id"],
];

/** Numbers that look a little like cards or national IDs and must not be counted as either. */
const NOT_IDENTIFIERS: [string, string][] = [
  ["epoch ms", "event at 1718900000123 processed"],
  ["nanosecond timestamp (passes Luhn, but no card starts with 1)", "ts=1718900000123456789 span closed"],
  ["ISO timestamp", "2024-06-20T14:33:20.123456789Z request done"],
  ["UUID", "request 123e4567-e89b-12d3-a456-426614174000 failed"],
  ["UUID of digits", "job 41111111-1111-1111-1111-111111111111 queued"],
  ["W3C trace id", "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
  ["Datadog trace id passing Luhn", "dd.trace_id=4111111111111111 dd.span_id=5555555555554444"],
  ["camelCase order id passing Luhn", '{"orderId": "4111111111111111"}'],
  ["order id failing Luhn", "order 4111111111111112 shipped"],
  ["grouped order id failing Luhn", "order #5555 5555 5555 4445 shipped"],
  ["sha256", "digest e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  ["phone numbers", "call +1 415-555-2671 or +44 20 7946 0958 or +4915112345678"],
  ["IPs", "from 192.168.100.200 and 2001:0db8:85a3:0000:0000:8a2e:0370:7334"],
  ["durations", "took 4500000000000ns (4500000000000 ns), gc 123456789012345us"],
  ["version strings", "deployed v4.111.1111.1111 and 4.1.1111-1111, build 5.5555555555554444"],
  ["decimal", "balance 4111111111111111.25 EUR"],
  ["Kubernetes resource versions", 'resourceVersion: "582937462" / resourceVersion=5829374628194'],
  ["dates", "2024-06-20 and 20240620 and 2024-06-20-1234"],
  ["SSN area 000", "ref 000-12-3456"],
  ["SSN area 666", "ref 666-12-3456"],
  ["SSN area 9xx", "ref 900-12-3456"],
  ["SSN group 00", "ref 123-00-4567"],
  ["SSN serial 0000", "ref 123-45-0000"],
  ["part of a longer dashed id", "build 2024-123-45-6789-x and 12-123-45-6789"],
  ["NINO with D first", "DA123456C"],
  ["NINO with O second", "AO123456A"],
  ["unallocated NINO prefix", "GB123456A and ZZ 12 34 56 A"],
  ["NINO suffix out of range", "AB123456E"],
  ["NINO-like inside a token", "SKUAB123456C and AB1234567C and ab123456c"],
];

describe("Redactor", () => {
  const r = new Redactor();

  it.each(IDENTIFIERS)("redacts %j", (text, numbers, kind) => {
    const out = r.redact(text);
    for (const n of numbers) expect(out.text).not.toContain(n);
    expect(out.counts[kind]).toBe(numbers.length);
  });

  it.each(NOT_IDENTIFIERS)("leaves %s alone", (_, text) => {
    const out = r.redact(text);
    expect(out.counts.card).toBeUndefined();
    expect(out.counts.national_id).toBeUndefined();
  });

  it("replaces card and national ID numbers with their kind", () => {
    expect(r.clean("card 4111-1111-1111-1111, ssn 123-45-6789, nino AB 12 34 56 C")).toBe(
      "card [REDACTED:card], ssn [REDACTED:national_id], nino [REDACTED:national_id]",
    );
  });

  it.each(CORPUS)("removes every secret from %j", (text, secrets) => {
    const out = r.clean(text);
    for (const s of secrets) expect(out).not.toContain(s);
    expect(out).toContain("[REDACTED:");
  });

  it("no secret of the whole corpus survives when the corpus is one log", () => {
    const log = CORPUS.map(([t]) => t).join("\n");
    const out = r.clean(log);
    for (const s of CORPUS.flatMap(([, s]) => s)) expect(out).not.toContain(s);
  });

  it.each(KEEP)("leaves ordinary log text alone: %j", (text) => {
    expect(r.clean(text)).toBe(text);
  });

  it("keeps the name of a redacted setting and counts by kind", () => {
    const out = r.redact("password=abc123xyz user bob@example.com from 10.1.2.3");
    expect(out.text).toBe("password=[REDACTED:secret] user [REDACTED:email] from [REDACTED:ip]");
    expect(out.counts).toEqual({ secret: 1, email: 1, ip: 1 });
  });

  it("applies configured patterns", () => {
    const custom = new Redactor(["CUST-\\d{6}"]);
    expect(custom.clean("order for CUST-123456 failed")).toBe("order for [REDACTED:custom] failed");
  });

  it("stays linear on hostile input", () => {
    const hostile = [
      "a".repeat(200_000),
      "1.".repeat(50_000),
      "password".repeat(20_000),
      "4".repeat(200_000),
      "4111 ".repeat(50_000),
      "4111-1111-".repeat(20_000),
      "123-45-".repeat(30_000),
      "AB 12 ".repeat(30_000),
      "id=".repeat(50_000) + "4".repeat(50_000),
    ].join(" ");
    const t0 = performance.now();
    r.clean(hostile);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
