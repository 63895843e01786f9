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

describe("Redactor", () => {
  const r = new Redactor();

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
    const hostile = `${"a".repeat(200_000)} ${"1.".repeat(50_000)} ${"password".repeat(20_000)}`;
    const t0 = performance.now();
    r.clean(hostile);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
