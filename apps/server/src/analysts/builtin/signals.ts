import type { AnalysisInput } from "../../ports/analyst.js";
import type { Protection } from "../../safety/protection.js";
import { TargetProtection } from "../../safety/target-protection.js";
import { blockedSignals } from "./blocked-signals.js";
import { certSignals } from "./cert-signals.js";
import { clusterSignals } from "./cluster-signals.js";
import { cpuSignals } from "./cpu-signals.js";
import { crashSignals, restartCount } from "./crash-signals.js";
import { credentialSignals } from "./credential-signals.js";
import { dependencySignals } from "./dependency-signals.js";
import { deploySignals, nearestDeploy } from "./deploy-signals.js";
import type { DeployEvent } from "./deploys.js";
import { diskSignals } from "./disk-signals.js";
import { healthSignals, logReplicas } from "./health-signals.js";
import { limitSignals } from "./limit-signals.js";
import { buildLogView, type LogView } from "./log-view.js";
import { memorySignals } from "./memory-signals.js";
import { processLimitSignals } from "./process-limit-signals.js";
import { schedulingSignals } from "./scheduling-signals.js";
import type { Signal, SignalKind } from "./signal.js";
import { startSignals } from "./start-signals.js";
import { timingSignals } from "./timing-signals.js";
import { trafficSignals } from "./traffic-signals.js";
import { wiringSignals } from "./wiring-signals.js";

/** Everything the analyst knows about one incident, normalised. */
export interface Signals {
  list: Signal[];
  /** Strongest signal per kind. */
  best: Map<SignalKind, Signal>;
  view: LogView;
  loadRatio: number | null;
  replicas: number | null;
  restarts: { count: number; evidence: string };
  deploys: DeployEvent[];
  /** Gap between the most relevant deploy and symptom onset, when both are known. */
  deployGapMs: number | null;
  /** Why the target must not be acted on without a human (or at all, for AegisOps itself). */
  protectedTarget: Protection | null;
  injectedLines: number;
}

export function extractSignals(input: AnalysisInput, protection = new TargetProtection()): Signals {
  const view = buildLogView(input);
  const traffic = trafficSignals(view);
  const deploy = deploySignals(view);
  const list = [
    ...memorySignals(view),
    ...cpuSignals(view),
    ...traffic.signals,
    ...dependencySignals(view),
    ...deploy.signals,
    ...crashSignals(view),
    ...diskSignals(view),
    ...certSignals(view),
    ...healthSignals(view),
    ...schedulingSignals(view),
    ...startSignals(view),
    ...limitSignals(view),
    ...clusterSignals(view),
    ...wiringSignals(view),
    ...processLimitSignals(view),
    ...credentialSignals(view),
    ...timingSignals(view),
    ...blockedSignals(view),
  ];
  const best = new Map<SignalKind, Signal>();
  for (const s of list) {
    const prev = best.get(s.kind);
    if (!prev || s.strength > prev.strength) best.set(s.kind, s);
  }
  return {
    list,
    best,
    view,
    loadRatio: traffic.ratio,
    replicas: input.context?.replicas ?? logReplicas(view),
    restarts: restartCount(view),
    deploys: deploy.deploys,
    deployGapMs: nearestDeploy(view, deploy.deploys)?.gapMs ?? null,
    protectedTarget: protection.check({ names: [input.containerName], context: input.context }),
    injectedLines: view.injectedLines,
  };
}

/** Strength of the strongest signal of a kind, 0 when absent. */
export function strength(signals: Signals, kind: SignalKind): number {
  return signals.best.get(kind)?.strength ?? 0;
}
