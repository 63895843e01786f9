import { FeedRequest } from "@aegis/contracts";
import { FleetSimulator } from "../simulate/fleet-simulator.ts";
import { ArgusFleetMonitor } from "./engine/argus-fleet-monitor.ts";
import { FleetPredictionsView } from "./fleet-predictions-view.ts";

const n = 10000;
const sim = new FleetSimulator({ servers: n, seed: 2025, stepMs: 60000, faultRatePerServerDay: 0.2, graceTicks: 100 });
const m = new ArgusFleetMonitor();
const t = (label: string, f: () => unknown) => {
  const a = performance.now();
  const r = f();
  console.log(label, (performance.now() - a).toFixed(1), "ms");
  return r;
};
for (let i = 0; i < 30; i++) m.ingest(sim.next());
const recs = sim.next().slice(0, 5000);
const body = JSON.stringify({ records: recs });
for (let k = 0; k < 3; k++) {
  const parsed = t("JSON.parse 5000", () => JSON.parse(body)) as { records: unknown };
  const v = t("zod FeedRequest 5000", () => FeedRequest.parse(parsed)) as { records: never[] };
  t("engine.ingest 5000", () => m.ingest(v.records));
}
const view = new FleetPredictionsView(m);
t("overview 10k", () => m.overview());
const a = performance.now();
await view.fullJson();
console.log("fullJson 10k total", (performance.now() - a).toFixed(1));
t("page 100", () => view.page({ limit: 100 }));
t("JSON page", () => JSON.stringify(view.page({ limit: 100 })));
