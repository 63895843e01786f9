import type { Explanation } from "../monitor-types.js";
import { alertLevelFor, roundRisk } from "./alert-level.js";
import { focusPeriods } from "./attention.js";
import { counterfactuals } from "./counterfactuals.js";
import type { ModelRuntime } from "./model-runtime.js";
import { FEATURE_NAMES, N_GROUPS, RISK_GROUPS } from "./risk-features.js";
import { baselineInput, evaluateRisk, RiskBreakdown, type RiskContext, RiskInput } from "./risk-function.js";
import { newRiskContext } from "./server-assessment.js";
import type { ServerTracker } from "./server-tracker.js";
import { exactShapley, type ShapleyResult } from "./shapley.js";

/**
 * Exact Shapley attribution of the risk function over its 10 input groups: a coalition's value is
 * the risk with the groups in it at the server's actual values and the rest at the baseline (the
 * profile's healthy reference). Efficiency: Σ contributions = risk − baseline risk.
 */
export function shapleyAttribution(actual: RiskInput, baseline: RiskInput, ctx: RiskContext): ShapleyResult {
  const mix = new RiskInput();
  const out = new RiskBreakdown();
  return exactShapley(N_GROUPS, (mask) => {
    mix.copyFrom(baseline);
    for (let g = 0; g < N_GROUPS; g++) if (mask & (1 << g)) mix.copyGroup(actual, g);
    return evaluateRisk(mix, ctx, out);
  });
}

/** "★★★☆☆": importance (0..1) in fifths. */
export function stars(importance: number): string {
  const n = Math.max(0, Math.min(5, Math.round(importance * 5)));
  return "★".repeat(n) + "☆".repeat(5 - n);
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * The seed's /explain payload for one server, computed from its current state: Shapley
 * attributions (all 10 groups, by |contribution|), attention periods over its rolling window and
 * counterfactuals re-evaluated through the risk function. ~1 ms per call.
 */
export function explainServer(s: ServerTracker, rt: ModelRuntime): Explanation {
  const ctx = s.riskContext(rt, newRiskContext(rt));
  const actual = s.riskInput(new RiskInput());
  const baseline = baselineInput(ctx.thresholds);
  const shap = shapleyAttribution(actual, baseline, ctx);
  const phi = shap.values;
  let maxAbs = 0;
  for (const v of phi) maxAbs = Math.max(maxAbs, Math.abs(v));
  const features = RISK_GROUPS.map((g, i) => {
    const importance = maxAbs > 0 ? Math.abs(phi[i]!) / maxAbs : 0;
    return {
      feature: FEATURE_NAMES[g],
      importance: round4(importance),
      stars: stars(importance),
      contribution: round4(phi[i]!),
    };
  }).sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));

  return {
    server_name: s.name,
    prediction: { risk_score: roundRisk(shap.full), alert_level: alertLevelFor(shap.full) },
    shap: { top_features: features, baseline_risk: round4(shap.empty) },
    attention: focusPeriods(s.window, ctx.thresholds, rt.params.weights, phi, s.lastMs),
    counterfactuals: counterfactuals(actual, ctx, phi, s.intervalMs),
  };
}
