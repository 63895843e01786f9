import type { AlertLevel } from "@aegis/contracts";
import type { AlertBadge } from "../monitor-types.js";

/** Lowest risk of the critical band. */
export const CRITICAL_RISK = 80;

/** Seed 004 bands, lowest score of each level: critical 80–100, warning 60–79, degraded 50–59, healthy 0–49. */
const BANDS: readonly { level: AlertLevel; min: number; color: string; emoji: string; name: string }[] = [
  { level: "critical", min: CRITICAL_RISK, color: "#FF0000", emoji: "🔴", name: "Critical" },
  { level: "warning", min: 60, color: "#FFA500", emoji: "🟠", name: "Warning" },
  { level: "degraded", min: 50, color: "#FFD700", emoji: "🟡", name: "Degraded" },
  { level: "healthy", min: Number.NEGATIVE_INFINITY, color: "#00FF00", emoji: "🟢", name: "Healthy" },
];

/** Risk scores are reported with one decimal; levels are decided on the reported value so both agree. */
export function roundRisk(risk: number): number {
  return Math.round(Math.min(100, Math.max(0, risk)) * 10) / 10;
}

export function alertLevelFor(risk: number): AlertLevel {
  const r = roundRisk(risk);
  for (const b of BANDS) if (r >= b.min) return b.level;
  return "healthy";
}

export function alertBadge(risk: number): AlertBadge {
  const score = roundRisk(risk);
  const band = BANDS.find((b) => score >= b.min) ?? BANDS[BANDS.length - 1];
  if (!band) throw new Error("alert bands are empty");
  return { level: band.level, score, color: band.color, emoji: band.emoji, label: `${band.emoji} ${band.name}` };
}

/** Ordinal severity (healthy 0 … critical 3), to tell escalations from de-escalations. */
export function severityRank(level: AlertLevel): number {
  return level === "critical" ? 3 : level === "warning" ? 2 : level === "degraded" ? 1 : 0;
}
