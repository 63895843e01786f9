import type { FramePayload, ScaleEvent } from "@aegis/contracts";

/** `scale.event` after a scale-up; `incidentId` null for a manual `POST /scale/up`. */
export function scaleUpPayload(incidentId: string | null, event: ScaleEvent): FramePayload<"scale.event"> {
  return { incident_id: incidentId, event };
}

/**
 * `scale.event` after a scale-down: the executor reports only what it removed, so the event says
 * the service is back to no replicas and lists the removed ones.
 */
export function scaleDownPayload(
  incidentId: string | null,
  target: string,
  removed: string[],
): FramePayload<"scale.event"> {
  return {
    incident_id: incidentId,
    event: {
      container_base: target,
      replica_count: 0,
      replicas: [],
      lb_configured: true,
      timestamp: new Date().toISOString(),
      removed,
    },
  };
}
