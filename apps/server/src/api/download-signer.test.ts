import { describe, expect, it } from "vitest";
import type { Identity } from "../ports/identity.js";
import { DownloadSigner, deriveDownloadKey } from "./download-signer.js";

const KEY = deriveDownloadKey("server-secret-0123456789abcdef-0123456789");
const OWNER: Identity = {
  principal: { kind: "api_key", id: "k-1", displayName: "ci", role: "owner" },
  projectId: "proj-a",
};
const USER: Identity = {
  principal: { kind: "user", id: "u-1", displayName: "Olga", role: "admin" },
  projectId: "proj-b",
  sessionId: "sess-1",
};

function clock(start: string) {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe("DownloadSigner", () => {
  it("signs path, query, expiry and principal; the link checks out until it expires", () => {
    const c = clock("2026-12-06T08:00:00Z");
    const s = new DownloadSigner(KEY, 24 * 3600_000, c.now);
    const link = s.sign("/api/v1/security/audit-logs/export?format=csv&action=http.*", OWNER);
    expect(link.expires_at).toBe("2026-12-07T08:00:00.000Z");
    expect(link.url).toMatch(/^\/api\/v1\/security\/audit-logs\/export\?format=csv&action=http\.\*&dl_expires=\d+/);
    expect(s.check("GET", link.url)).toEqual({
      status: "valid",
      claim: { kind: "api_key", id: "k-1", projectId: "proj-a" },
    });
    c.advance(24 * 3600_000 - 1000);
    expect(s.check("GET", link.url).status).toBe("valid");
    c.advance(1000);
    expect(s.check("GET", link.url)).toEqual({ status: "expired", expiredAt: new Date("2026-12-07T08:00:00Z") });
  });

  it("refuses any altered part: path, a filter, the expiry, the principal, the project, the signature", () => {
    const s = new DownloadSigner(KEY, 3600_000);
    const { url } = s.sign("/api/v1/analytics/reports/r-1/html", USER);
    expect(s.check("GET", url)).toMatchObject({
      status: "valid",
      claim: { kind: "user", id: "u-1", projectId: "proj-b", sessionId: "sess-1" },
    });
    const exp = /dl_expires=(\d+)/.exec(url)?.[1] ?? "";
    const altered = [
      url.replace("/reports/r-1/", "/reports/r-2/"),
      `${url}&from=2020-01-01T00:00:00Z`,
      url.replace(`dl_expires=${exp}`, `dl_expires=${Number(exp) + 3600}`),
      url.replace("dl_principal=user%3Au-1", "dl_principal=user%3Au-2"),
      url.replace("dl_project=proj-b", "dl_project=proj-a"),
      url.replace(/dl_sig=[^&]+/, "dl_sig=AAAA"),
    ];
    for (const u of altered) {
      expect(u).not.toBe(url);
      expect(s.check("GET", u).status, u).toBe("invalid");
    }
    expect(s.check("POST", url).status).toBe("invalid");
    // Spellings of the signed path that route elsewhere.
    for (const u of [`//link${url}`, url.replace("/api/v1/", "/api/v1/./"), url.replace("/api/", "/x/../api/")]) {
      expect(s.check("GET", u).status, u).toBe("invalid");
    }
    // Another server key: not ours.
    expect(
      new DownloadSigner(deriveDownloadKey("another-secret-0123456789abcdef"), 3600_000).check("GET", url).status,
    ).toBe("invalid");
  });

  it("accepts the same parameters in another order, ignores unsigned URLs, and ends at `notAfter` if sooner", () => {
    const c = clock("2026-12-06T08:00:00Z");
    const s = new DownloadSigner(KEY, 24 * 3600_000, c.now);
    const { url } = s.sign("/x?b=2&a=1", OWNER);
    const [path, query] = url.split("?") as [string, string];
    const reordered = `${path}?${query.split("&").reverse().join("&")}`;
    expect(s.check("GET", reordered).status).toBe("valid");
    expect(s.check("GET", "/x?b=2&a=1")).toEqual({ status: "unsigned" });
    const short = s.sign("/r", OWNER, new Date("2026-12-06T09:30:00Z"));
    expect(short.expires_at).toBe("2026-12-06T09:30:00.000Z");
  });
});
