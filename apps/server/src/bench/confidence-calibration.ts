import { readFileSync } from "node:fs";
import type { IncidentPayload } from "@aegis/contracts";
import { BuiltinAnalyst } from "../analysts/builtin/builtin-analyst.js";
import type { AnalysisInput } from "../ports/analyst.js";

interface Case {
  id: string;
  payload: IncidentPayload;
  acceptable_actions: string[];
}

type Variant = { name: string; make: (p: IncidentPayload) => IncidentPayload };

/**
 * Degraded copies of each labelled case: less evidence should mean lower confidence, and accuracy
 * should rise with confidence. Dev cases alone cannot show it (the analyst gets them all right).
 */
const VARIANTS: Variant[] = [
  { name: "full", make: (p) => p },
  { name: "no_context", make: (p) => ({ ...p, context: null }) },
  { name: "generic_alert_name", make: (p) => ({ ...p, alert_type: "Alert firing" }) },
  { name: "first_half_of_logs", make: (p) => ({ ...p, logs: p.logs.slice(0, Math.ceil(p.logs.length / 2)) }) },
  {
    name: "last_quarter_of_logs_no_context",
    make: (p) => ({ ...p, context: null, logs: p.logs.slice(Math.floor((p.logs.length * 3) / 4)) }),
  },
  {
    name: "one_log_line_generic_alert",
    make: (p) => ({ ...p, context: null, alert_type: "Alert firing", logs: p.logs.split("\n")[0] ?? "" }),
  },
];

const BUCKETS: [number, number][] = [
  [0, 0.4],
  [0.4, 0.55],
  [0.55, 0.7],
  [0.7, 0.85],
  [0.85, 1.01],
];

export async function confidenceCalibration(file: string) {
  const cases = readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Case);
  const analyst = new BuiltinAnalyst();
  const sink = { thinking: () => undefined, token: () => undefined };
  const stats = BUCKETS.map(() => ({ n: 0, ok: 0 }));
  const byVariant: Record<string, { n: number; ok: number; mean_confidence: number }> = {};
  for (const v of VARIANTS) {
    const acc = { n: 0, ok: 0, mean_confidence: 0 };
    for (const c of cases) {
      const p = v.make(c.payload);
      const input: AnalysisInput = {
        incidentId: p.incident_id,
        alertType: p.alert_type,
        logs: p.logs.slice(-2000),
        containerName: p.container_name ?? null,
        severity: p.severity ?? null,
        context: p.context ?? null,
        similar: [],
        maxReplicas: 5,
        alertTimestamp: p.timestamp ?? null,
      };
      const r = await analyst.analyse(input, sink);
      const ok = c.acceptable_actions.includes(r.analysis.action);
      const b = BUCKETS.findIndex(([lo, hi]) => r.analysis.confidence >= lo && r.analysis.confidence < hi);
      const s = stats[b];
      if (s) {
        s.n++;
        if (ok) s.ok++;
      }
      acc.n++;
      if (ok) acc.ok++;
      acc.mean_confidence += r.analysis.confidence;
    }
    byVariant[v.name] = {
      n: acc.n,
      ok: acc.ok,
      mean_confidence: Math.round((acc.mean_confidence / acc.n) * 1000) / 1000,
    };
  }
  return {
    cases: cases.length,
    variants: VARIANTS.map((v) => v.name),
    by_confidence: BUCKETS.map(([lo, hi], i) => ({
      confidence: `[${lo}, ${Math.min(hi, 1)})`,
      n: stats[i]?.n ?? 0,
      action_accuracy: stats[i]?.n ? Math.round(((stats[i]?.ok ?? 0) / (stats[i]?.n ?? 1)) * 1000) / 1000 : null,
    })),
    by_variant: Object.fromEntries(
      Object.entries(byVariant).map(([k, v]) => [
        k,
        { action_accuracy: Math.round((v.ok / v.n) * 1000) / 1000, mean_confidence: v.mean_confidence },
      ]),
    ),
  };
}
