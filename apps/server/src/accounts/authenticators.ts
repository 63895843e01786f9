import type { Authenticator, Identity } from "../ports/identity.js";
import type { AccountStore } from "../store/account-store.js";
import type { Database } from "../store/database.js";
import { PROJECT_KEY_PREFIX } from "./api-key-service.js";
import { secretHash } from "./secret-hash.js";
import type { TokenIssuer } from "./token-issuer.js";

/** Tries each authenticator in turn; the first identity wins. */
export function compositeAuthenticator(chain: Authenticator[]): Authenticator {
  return {
    authenticate: async (presented) => {
      for (const a of chain) {
        const identity = await a.authenticate(presented);
        if (identity) return identity;
      }
      return null;
    },
    current: async (claim) => {
      for (const a of chain) {
        const identity = await a.current?.(claim);
        if (identity) return identity;
      }
      return null;
    },
  };
}

/** A live (unrevoked, unexpired) per-project API key, acting with its role on its project. */
export function projectKeyAuthenticator(database: Database, store: AccountStore): Authenticator {
  return {
    authenticate: async (presented) => {
      if (!presented.startsWith(PROJECT_KEY_PREFIX)) return null;
      const key = await store.liveApiKey(database.db, secretHash(presented), new Date());
      if (!key) return null;
      return {
        principal: { kind: "api_key", id: key.id, displayName: key.name, role: key.role },
        projectId: key.projectId,
      };
    },
    current: async (claim) => {
      if (claim.kind !== "api_key") return null;
      const now = new Date();
      const key = (await store.apiKeys(database.db, claim.projectId)).find((k) => k.id === claim.id);
      if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) return null;
      return {
        principal: { kind: "api_key", id: key.id, displayName: key.name, role: key.role },
        projectId: key.projectId,
      };
    },
  };
}

/**
 * A JWT access token of a live session. The role is read from the membership on every request, so a
 * demotion or removal takes effect at once rather than when the token expires.
 */
export function userTokenAuthenticator(database: Database, store: AccountStore, tokens: TokenIssuer): Authenticator {
  return {
    authenticate: async (presented): Promise<Identity | null> => {
      const claims = await tokens.verify(presented);
      if (!claims) return null;
      if (!(await store.familyActive(database.db, claims.sessionId, new Date()))) return null;
      const member = await store.member(database.db, claims.projectId, claims.userId);
      if (!member) return null;
      return {
        principal: { kind: "user", id: member.userId, displayName: member.fullName, role: member.role },
        projectId: claims.projectId,
        sessionId: claims.sessionId,
      };
    },
    current: async (claim) => {
      if (claim.kind !== "user" || !claim.sessionId) return null;
      if (!(await store.familyActive(database.db, claim.sessionId, new Date()))) return null;
      const member = await store.member(database.db, claim.projectId, claim.id);
      if (!member) return null;
      return {
        principal: { kind: "user", id: member.userId, displayName: member.fullName, role: member.role },
        projectId: claim.projectId,
        sessionId: claim.sessionId,
      };
    },
  };
}
