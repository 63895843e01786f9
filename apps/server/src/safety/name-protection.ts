import type { Protection } from "./protection.js";
import { STORE_FAMILIES } from "./store-families.js";
import { CLIENT_ROLES, DATA_PATH_ROLES, roleOf } from "./store-roles.js";
import { targetTokens } from "./target-tokens.js";

/** The product and its parts (aegis-agent, aegis-lb, aegisops, …). */
export const SELF_PATTERN = "aegis*";

const SELF_TOKEN = /^aegis[a-z0-9]*$/;

interface StorePattern {
  pattern: string;
  family: string;
  token: RegExp;
}

const STORE_PATTERNS: readonly StorePattern[] = Object.entries(STORE_FAMILIES).flatMap(([family, patterns]) =>
  patterns.map((pattern) => ({ pattern, family, token: new RegExp(`^${pattern.replace(/\*/g, "[a-z0-9]*")}$`) })),
);

/**
 * What the name alone says: AegisOps itself, a stateful store or a component in its data path, or null
 * (an ordinary service, or a client of a store; see store-roles for the reasoning).
 */
export function nameProtection(name: string): Protection | null {
  const tokens = targetTokens(name);
  if (tokens.some((token) => SELF_TOKEN.test(token))) {
    return { kind: "self", pattern: SELF_PATTERN, reason: `${name} is AegisOps itself (matches "${SELF_PATTERN}")` };
  }
  // The last store token is the head of the name; what follows it says which part of the store this is.
  let at = -1;
  let store: StorePattern | undefined;
  tokens.forEach((token, index) => {
    const hit = STORE_PATTERNS.find((s) => s.token.test(token));
    if (hit) {
      at = index;
      store = hit;
    }
  });
  if (!store) return null;
  const after = tokens.slice(at + 1);
  const inPath = after.map((token) => roleOf(token, DATA_PATH_ROLES)).find((role) => role !== null);
  if (inPath) {
    return {
      kind: "store",
      pattern: store.pattern,
      reason: `${name} is the ${inPath} of a ${store.family} (matches "${store.pattern}"), in its data path`,
    };
  }
  if (after.some((token) => roleOf(token, CLIENT_ROLES) !== null)) return null;
  return { kind: "store", pattern: store.pattern, reason: `${name} is a ${store.family} (matches "${store.pattern}")` };
}
