import { Session } from "node:inspector/promises";
import { ConflictError } from "../shared/errors.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotFunction {
  function: string;
  location: string;
  self_ms: number;
  self_percent: number;
  samples: number;
}

export interface CpuProfileSummary {
  service: string;
  type: "cpu";
  duration_ms: number;
  samples: number;
  sampling_interval_us: number;
  /** Functions by time spent in themselves (not their callees), highest first. */
  hot_functions: HotFunction[];
  /** The raw profile (Chrome DevTools `.cpuprofile` format) when asked for. */
  profile?: Profile;
}

/**
 * Samples this process with V8's own CPU profiler (`node:inspector`): the product profiling itself.
 * One profile at a time; a second request while one runs is a conflict.
 */
export class CpuProfiler {
  private running = false;

  constructor(private readonly samplingIntervalUs = 1000) {}

  async profile(durationMs: number, opts: { raw?: boolean; top?: number } = {}): Promise<CpuProfileSummary> {
    if (this.running) throw new ConflictError("a CPU profile is already being taken; try again when it ends");
    this.running = true;
    const session = new Session();
    session.connect();
    try {
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: this.samplingIntervalUs });
      await session.post("Profiler.start");
      await new Promise((r) => setTimeout(r, durationMs));
      const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile };
      return {
        ...summarise(profile, opts.top ?? 20),
        service: "aegisops",
        type: "cpu",
        sampling_interval_us: this.samplingIntervalUs,
        ...(opts.raw ? { profile } : {}),
      };
    } finally {
      await session.post("Profiler.disable").catch(() => undefined);
      session.disconnect();
      this.running = false;
    }
  }
}

/** Self time per function, from the samples and their time deltas. */
export function summarise(
  profile: Profile,
  top: number,
): Pick<CpuProfileSummary, "duration_ms" | "samples" | "hot_functions"> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const hits = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0));
    hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  const totalUs = Math.max(1, profile.endTime - profile.startTime);
  const byFunction = new Map<string, HotFunction>();
  for (const [id, us] of selfUs) {
    const f = byId.get(id)?.callFrame;
    if (!f) continue;
    const name = f.functionName || "(anonymous)";
    const location = f.url ? `${f.url}:${f.lineNumber + 1}:${f.columnNumber + 1}` : "(native)";
    const key = `${name}\u0000${location}`;
    const prev = byFunction.get(key) ?? { function: name, location, self_ms: 0, self_percent: 0, samples: 0 };
    prev.self_ms += us / 1000;
    prev.samples += hits.get(id) ?? 0;
    byFunction.set(key, prev);
  }
  const hot = [...byFunction.values()]
    .map((h) => ({
      ...h,
      self_ms: Math.round(h.self_ms * 100) / 100,
      self_percent: Math.round((h.self_ms * 1000 * 1000) / totalUs) / 10,
    }))
    .sort((a, b) => b.self_ms - a.self_ms)
    .slice(0, top);
  return { duration_ms: Math.round(totalUs / 1000), samples: samples.length, hot_functions: hot };
}
