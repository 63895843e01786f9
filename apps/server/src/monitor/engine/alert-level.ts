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

type Band = (typeof BANDS)[number];

function bandOf(score: number): Band {
  const band = BANDS.find((b) => score >= b.min) ?? BANDS[BANDS.length - 1];
  if (!band) throw new Error("alert bands are empty");
  return band;
}

function badge(band: Band, score: number): AlertBadge {
  return { level: band.level, score, color: band.color, emoji: band.emoji, label: `${band.emoji} ${band.name}` };
}

export function alertBadge(risk: number): AlertBadge {
  const score = roundRisk(risk);
  return badge(bandOf(score), score);
}

const badgeJson = new Map<Band, readonly [Buffer, Buffer]>();

/**
 * The UTF-8 JSON of `alertBadge` for a rounded `score`, around the score: `[head, tail]`, so that
 * head + JSON of the score + tail is `JSON.stringify(alertBadge(score))`. One pair per band.
 */
export function alertBadgeJson(score: number): readonly [Buffer, Buffer] {
  const band = bandOf(score);
  let parts = badgeJson.get(band);
  if (!parts) {
    const json = JSON.stringify(badge(band, 0));
    const at = json.indexOf('"score":0') + '"score":'.length;
    parts = [Buffer.from(json.slice(0, at)), Buffer.from(json.slice(at + 1))];
    badgeJson.set(band, parts);
  }
  return parts;
}

/** Ordinal severity (healthy 0 … critical 3), to tell escalations from de-escalations. */
export function severityRank(level: AlertLevel): number {
  return level === "critical" ? 3 : level === "warning" ? 2 : level === "degraded" ? 1 : 0;
}
