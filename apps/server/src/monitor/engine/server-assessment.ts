import { alertLevelFor, CRITICAL_RISK } from "./alert-level.js";
import { BREACH_PHRASES, formatDuration, formatValue } from "./breach-message.js";
import { stepsToReach } from "./holt-forecaster.js";
import type { ModelRuntime } from "./model-runtime.js";
import {
  FORECAST_GROUPS,
  G_ANOMALY,
  G_STATUS,
  GROUP_LABELS,
  N_FORECAST,
  N_GROUPS,
  N_NUMERIC,
  NUMERIC_GROUPS,
} from "./risk-features.js";
import { evaluateRisk, RiskBreakdown, type RiskContext, RiskInput } from "./risk-function.js";
import type { ServerTracker } from "./server-tracker.js";

/** Horizon of time-to-threshold predictions (the 8-hour breach horizon of the risk function). */
export const PREDICTION_HORIZON_MINUTES = 480;

/** A risk context to be filled per server (see ServerTracker.riskContext). */
export function newRiskContext(rt: ModelRuntime): RiskContext {
  return {
    thresholds: rt.thresholds.Generic,
    groupWeight: rt.groupWeight,
    weights: rt.params.weights,
    tables: rt.tables,
    steps30: 1,
    steps8h: 16,
  };
}

const input = new RiskInput();
const breakdown = new RiskBreakdown();

/**
 * Re-assesses one server and stores the result on it: risk, level, the probabilities of becoming
 * critical within 30 minutes / 8 hours, the earliest forecast breach and the alert message.
 * Allocation-free apart from the message string, so it can run for every touched server per batch.
 */
export function assessServer(s: ServerTracker, rt: ModelRuntime, ctx: RiskContext): void {
  s.riskContext(rt, ctx);
  s.riskInput(input);
  const risk = evaluateRisk(input, ctx, breakdown);
  s.risk = risk;
  s.level = alertLevelFor(risk);

  // Becoming critical = any group whose breach alone makes the server critical crosses (independence assumed).
  const critical = risk >= CRITICAL_RISK;
  let survive30 = 1;
  let survive8h = 1;
  for (const g of rt.criticalGroups) {
    survive30 *= 1 - breakdown.p30[g]!;
    survive8h *= 1 - breakdown.p8h[g]!;
  }
  s.pCritical30m = critical ? 1 : 1 - survive30;
  s.pCritical8h = critical ? 1 : 1 - survive8h;

  let firstGroup = -1;
  let firstMinutes = Number.POSITIVE_INFINITY;
  let breached = -1;
  for (let g = 0; g < N_FORECAST; g++) {
    const crit = ctx.thresholds[g]!.crit;
    if (input.value[g]! >= crit) {
      if (breached < 0 || breakdown.hazard[g]! > breakdown.hazard[breached]!) breached = g;
      continue;
    }
    const phi = rt.params.smoothing[FORECAST_GROUPS[g]!].phi;
    const minutes = (stepsToReach(input.value[g]!, input.trend[g]!, crit, phi) * s.intervalMs) / 60_000;
    if (minutes < firstMinutes) {
      firstMinutes = minutes;
      firstGroup = g;
    }
  }
  const predicted = firstMinutes <= PREDICTION_HORIZON_MINUTES;
  s.timeToIssueMinutes = breached >= 0 ? 0 : predicted ? Math.round(firstMinutes) : null;

  let message: string | null;
  if (s.status === "offline") message = "Server offline";
  else if (s.status === "critical_issue") message = "Server reports a critical issue";
  else if (breached >= 0) {
    const g = NUMERIC_GROUPS[breached]!;
    const t = ctx.thresholds[breached]!;
    message = `${BREACH_PHRASES[g]}: ${formatValue(g, input.value[breached]!)} (danger threshold ${formatValue(g, t.crit)})`;
  } else if (predicted && firstGroup >= 0) {
    message = `${BREACH_PHRASES[NUMERIC_GROUPS[firstGroup]!]} predicted in ${formatDuration(firstMinutes)}`;
  } else message = s.level === "healthy" ? null : strongestHazard(s, ctx);
  // An unchanged message keeps the server's string: the new one dies young instead of replacing a
  // promoted one on every record (the sixth round's heap profile: 8–14 MB promoted per 15 s).
  if (message !== s.message) s.message = message;
}

/** Message of a non-healthy server without a breach: names the group with the largest hazard. */
function strongestHazard(s: ServerTracker, ctx: RiskContext): string {
  let top = 0;
  for (let g = 1; g < N_GROUPS; g++) if (breakdown.hazard[g]! > breakdown.hazard[top]!) top = g;
  if (top === G_STATUS) return `Server reports ${s.status}`;
  if (top === G_ANOMALY) return `Anomalous behaviour (score ${input.anomaly.toFixed(2)})`;
  const g = NUMERIC_GROUPS[top]!;
  const t = ctx.thresholds[top]!;
  const v = input.value[top]!;
  const label = GROUP_LABELS[g];
  const name = label.charAt(0).toUpperCase() + label.slice(1);
  return top < N_NUMERIC && v >= t.warn
    ? `${name} high: ${formatValue(g, v)} (warning at ${formatValue(g, t.warn)})`
    : `${name} elevated: ${formatValue(g, v)} (healthy ${formatValue(g, t.normal)})`;
}
