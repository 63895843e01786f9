import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { TokenIssuer } from "./token-issuer.js";

const claims = { userId: "u1", tenantId: "t1", projectId: "p1", sessionId: "s1" };

describe("TokenIssuer", () => {
  it("round-trips its own tokens", async () => {
    const issuer = new TokenIssuer("a".repeat(40));
    expect(await issuer.verify(await issuer.sign(claims))).toEqual(claims);
    expect(await issuer.verify(await issuer.sign(claims, "ws"))).toEqual(claims);
  });

  it("refuses another secret's token, an expired one, an unsigned one and non-JWT strings", async () => {
    const issuer = new TokenIssuer("a".repeat(40));
    expect(await new TokenIssuer("b".repeat(40)).verify(await issuer.sign(claims))).toBeNull();
    const key = new TextEncoder().encode("a".repeat(40));
    const expired = await new SignJWT({ tid: "t1", pid: "p1", sid: "s1", use: "access" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("u1")
      .setIssuer("aegis")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(key);
    expect(await issuer.verify(expired)).toBeNull();
    const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
    const body = Buffer.from(JSON.stringify({ sub: "u1", tid: "t1", pid: "p1", sid: "s1", use: "access" })).toString(
      "base64url",
    );
    expect(await issuer.verify(`${header}.${body}.`)).toBeNull();
    expect(await issuer.verify("aegis_pk_not-a-jwt")).toBeNull();
  });
});
