import type { IncidentResult } from "@aegis/contracts";
import type { FastifyInstance } from "fastify";
import { loadConfig } from "../config/config.js";
import { InProcessEventBus } from "../events/event-bus.js";
import type { Authenticator, Identity } from "../ports/identity.js";
import { createLogger } from "../shared/logger.js";
import type { AppDeps } from "./app-deps.js";
import { buildApp } from "./build-app.js";

/** Test doubles for in-process route tests (`app.inject` over `buildApp`, no port, no database). */

/** The owner key of the default project, and a member key of a second project. */
export const KEY = "inject-key-default-0123456789";
export const KEY_P2 = "inject-key-p2-0123456789";
export const AS_DEFAULT = { "x-api-key": KEY };
export const AS_P2 = { "x-api-key": KEY_P2 };

const IDENTITIES: Record<string, Identity> = {
  [KEY]: { principal: { kind: "api_key", id: "admin", displayName: "admin", role: "owner" }, projectId: "default" },
  [KEY_P2]: { principal: { kind: "api_key", id: "ci-bot", displayName: "CI bot", role: "member" }, projectId: "p2" },
};

/** Two keys, two projects: proves a route acts on the key's project, not a default. */
export const twoProjects: Authenticator = { authenticate: async (key) => IDENTITIES[key] ?? null };

/** A double of the service `AppDeps[name]`: the given members; any other member throws when called (never silently undefined). */
export function fake<K extends keyof AppDeps>(name: K, members: Partial<AppDeps[K]> = {}): AppDeps[K] {
  return new Proxy(members as object, {
    get: (target, prop) => {
      if (prop in target) return (target as Record<string | symbol, unknown>)[prop];
      if (prop === "then") return undefined; // not a thenable
      return () => {
        throw new Error(`${name}.${String(prop)} is not faked in this test`);
      };
    },
  }) as AppDeps[K];
}

/** An incident as the service returns it, minimal but wire-valid. */
export function incident(id: string, over: Partial<IncidentResult> = {}): IncidentResult {
  return {
    incident_id: id,
    alert_type: "Memory Leak",
    status: "RECEIVED",
    analysis: null,
    council_decision: null,
    resolved_at: null,
    error: null,
    replicas_spawned: 0,
    timeline: [],
    ...over,
  };
}

/** The app over fakes: pass the services a test exercises; the rest throw if reached. */
export async function injectApp(deps: Partial<AppDeps> = {}): Promise<FastifyInstance> {
  const logger = createLogger("silent");
  const { app } = await buildApp({
    config: loadConfig({}),
    authenticator: twoProjects,
    incidents: fake("incidents"),
    incidentResource: fake("incidentResource"),
    executor: fake("executor"),
    knowledge: fake("knowledge"),
    analysis: fake("analysis"),
    runbooks: fake("runbooks"),
    knowledgeSearch: fake("knowledgeSearch"),
    monitor: fake("monitor"),
    accounts: fake("accounts"),
    bus: new InProcessEventBus(),
    tickets: fake("tickets"),
    webhooks: fake("webhooks"),
    dependencyHealth: fake("dependencyHealth"),
    oncall: fake("oncall"),
    settings: fake("settings"),
    integrations: fake("integrations"),
    chatApprovals: fake("chatApprovals"),
    insights: fake("insights"),
    incidentActions: fake("incidentActions"),
    agent: fake("agent"),
    logger,
    version: "0.0.0-test",
    databaseKind: "none",
    alertIntake: fake("alertIntake"),
    silences: fake("silences"),
    ...deps,
  });
  await app.ready();
  return app;
}
