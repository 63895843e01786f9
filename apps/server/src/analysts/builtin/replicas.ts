import type { ActionType } from "@aegis/contracts";
import type { Signals } from "./signals.js";

/**
 * SCALE_UP: enough replicas to carry the load ratio at today's per-replica throughput, never above the cap.
 * SCALE_DOWN: what the current load needs at ~50% CPU, keeping two for availability.
 * Other actions leave the count as it is (capped, so no proposal ever carries an over-cap number).
 */
export function replicaCount(action: ActionType, s: Signals, maxReplicas: number, cpuPercent: number | null): number {
  const cap = Math.max(1, Math.floor(maxReplicas));
  const current = s.replicas ?? 1;
  if (action === "SCALE_UP") {
    const ratio = s.loadRatio !== null && s.loadRatio > 1 ? s.loadRatio : 1.5;
    const wanted = Math.max(current + 1, Math.ceil(current * ratio));
    return Math.min(cap, Math.max(2, wanted));
  }
  if (action === "SCALE_DOWN") {
    const util = cpuPercent ?? 10;
    const needed = Math.ceil((current * Math.max(util, 1)) / 50);
    return Math.min(cap, Math.max(2, Math.min(current - 1, needed)));
  }
  return Math.min(cap, Math.max(0, s.replicas ?? 2));
}
