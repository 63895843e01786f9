import type { IncidentResult } from "@aegis/contracts";

const RECEIVED_MESSAGE = "Incident received via webhook.";
const j = JSON.stringify;

/**
 * The 200 body of a webhook just accepted, prebuilt as text: the bytes the route's general
 * serializer (`Seed000IncidentResult`, keys in the contract's order) writes for the same result,
 * without a schema walk per request. Null when the result is not a plain fresh RECEIVED incident;
 * the caller then serializes it the general way. `received-wire-body.test.ts` holds the two equal.
 */
export function receivedWireBody(r: IncidentResult): string | null {
  const t = r.timeline[0];
  if (
    r.status !== "RECEIVED" ||
    r.timeline.length !== 1 ||
    !t ||
    t.status !== "RECEIVED" ||
    t.message !== RECEIVED_MESSAGE ||
    t.agent !== null ||
    r.analysis !== null ||
    r.council_decision !== null ||
    r.resolved_at !== null ||
    r.error !== null ||
    r.replicas_spawned !== 0 ||
    r.approval !== undefined ||
    r.grouped_into !== undefined ||
    r.created_at === undefined ||
    r.dry_run === undefined ||
    r.container_name === undefined ||
    r.severity === undefined
  ) {
    return null;
  }
  return (
    `{"incident_id":${j(r.incident_id)},"alert_type":${j(r.alert_type)},"status":"RECEIVED","analysis":null,` +
    `"council_decision":null,"resolved_at":null,"error":null,"replicas_spawned":0,` +
    `"timeline":[{"ts":${j(t.ts)},"status":"RECEIVED","message":${j(RECEIVED_MESSAGE)},"agent":null}],` +
    `"container_name":${j(r.container_name)},"severity":${j(r.severity)},"dry_run":${r.dry_run},` +
    `"created_at":${j(r.created_at)}}`
  );
}
