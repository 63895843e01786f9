import { nameProtection, SELF_PATTERN } from "./name-protection.js";
import type { Protection } from "./protection.js";

/** Explicit opt-in, Kubernetes style and Docker (reverse-DNS) style. */
const PROTECTED_KEYS = ["aegis.io/protected", "io.aegis.protected"];
const TRUE = new Set(["true", "yes", "1", "on"]);

/** Keys whose value says what the component is (Kubernetes recommended labels, Bitnami-style `component`). */
const COMPONENT_KEYS = ["app.kubernetes.io/component", "component", "tier"];
const STORE_COMPONENTS = new Set([
  "database",
  "db",
  "datastore",
  "storage",
  "cache",
  "queue",
  "broker",
  "message-broker",
  "messaging",
  "search",
]);

/** Keys whose value names the software or the service (Kubernetes, Helm, Docker Compose). */
const NAME_KEYS = [
  "app.kubernetes.io/name",
  "app.kubernetes.io/part-of",
  "app",
  "k8s-app",
  "com.docker.compose.service",
];

/**
 * What declared labels say. A label can only add protection: `aegis.io/protected: "false"` does not
 * un-protect a database, because a wrong label must not be enough to let the agent restart one.
 * Name labels go through the same name rules as container names, joined with the component, so a
 * Bitnami exporter (`app.kubernetes.io/name: redis`, `component: metrics`) is a client like
 * "redis-metrics", while `name: postgresql`, `component: primary` is the database.
 */
export function labelProtection(labels: Readonly<Record<string, string>>, who: string): Protection | null {
  const flag = PROTECTED_KEYS.find((key) => TRUE.has(labels[key]?.trim().toLowerCase() ?? ""));
  const component = COMPONENT_KEYS.map((key) => [key, labels[key]?.trim() ?? ""] as const).find(([, v]) => v !== "");
  const named = NAME_KEYS.map((key) => [key, labels[key]?.trim() ?? ""] as const)
    .filter(([, v]) => v !== "")
    .map(([key, value]) => ({ key, value, found: nameProtection(component ? `${value}-${component[1]}` : value) }))
    .filter((n) => n.found !== null);
  const self = named.find((n) => n.found?.kind === "self");
  if (self) {
    return {
      kind: "self",
      pattern: SELF_PATTERN,
      reason: `${who} is AegisOps itself (label ${self.key}=${self.value})`,
    };
  }
  if (flag) return { kind: "label", reason: `${who} is declared protected (label ${flag}=${labels[flag]})` };
  if (component && STORE_COMPONENTS.has(component[1].toLowerCase())) {
    return { kind: "label", reason: `${who} is a stateful store (label ${component[0]}=${component[1]})` };
  }
  const store = named[0];
  if (store?.found) {
    return {
      kind: "label",
      pattern: store.found.pattern,
      reason: `${who} is a stateful store (label ${store.key}=${store.value} matches "${store.found.pattern}")`,
    };
  }
  return null;
}
