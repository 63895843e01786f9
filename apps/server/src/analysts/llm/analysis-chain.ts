import type { AnalysisRecords, LlmCallLog } from "../../ports/analysis-records.js";
import type { AnalysisInput, AnalysisSink, Analyst } from "../../ports/analyst.js";
import type { Logger } from "../../shared/logger.js";
import { chunks } from "../builtin/stream.js";
import type { AnalysisCache } from "./analysis-cache.js";
import type { DetailedResult } from "./analysis-detail.js";
import { emptyTrace } from "./analysis-detail.js";
import { analysisSignature } from "./analysis-signature.js";
import type { RunOptions } from "./llm-analyst.js";
import { ProviderError } from "./provider-error.js";

/** One entry of the chain: a model (LlmAnalyst) or the builtin analyst (BuiltinLink). */
export interface ChainLink {
  readonly name: string;
  analyse(input: AnalysisInput, sink: AnalysisSink, signal: AbortSignal, run: RunOptions): Promise<DetailedResult>;
}

export interface ChainOptions {
  /** Time each model link gets; the builtin link is not timed (it is local and fast). */
  timeoutMs: number;
  cache: AnalysisCache<DetailedResult> | null;
  calls: LlmCallLog;
  records: AnalysisRecords | null;
  logger: Logger;
  projectId: string;
}

/** Which answers the cache may reuse: model answers only (pipeline), all (API), or none. */
export type CachePolicy = "models" | "all" | "off";

/**
 * The configured providers in order, each with its own time limit, falling back to the next on any
 * failure and ending with the builtin analyst. The answering provider and every failure reason are
 * reported as thinking and in the result's `provider`, which the pipeline puts on the timeline.
 */
export class AnalysisChain implements Analyst {
  readonly name: string;

  constructor(
    private readonly links: ChainLink[],
    private readonly o: ChainOptions,
  ) {
    if (links.length === 0 || links[links.length - 1]?.name !== "builtin") {
      throw new Error("an analysis chain ends with the builtin analyst");
    }
    this.name = links.map((l) => l.name).join(" → ");
  }

  /** The pipeline's diagnosis: hypotheses and citations are stored with the incident. */
  async analyse(input: AnalysisInput, sink: AnalysisSink, signal?: AbortSignal): Promise<DetailedResult> {
    const projectId = input.projectId ?? this.o.projectId;
    const result = await this.run(input, sink, signal ?? new AbortController().signal, {
      requestType: "hypothesis",
      incidentId: input.incidentId,
      projectId,
      trace: emptyTrace(),
      cache: "models",
    });
    await this.o.records?.save(projectId, input.incidentId, result.provider, result.hypotheses, result.citations);
    return result;
  }

  async run(
    input: AnalysisInput,
    sink: AnalysisSink,
    signal: AbortSignal,
    run: RunOptions & { cache: CachePolicy },
  ): Promise<DetailedResult> {
    const key =
      run.cache === "off" || !this.o.cache
        ? null
        : analysisSignature(
            // A cached answer may cite a project's own past incidents: it is reused within that project only.
            `${run.projectId ?? this.o.projectId}/${run.requestType}`,
            input.alertType,
            input.logs,
            input.containerName,
            input.context ? JSON.stringify(input.context) : null,
            run.extraContext,
          );
    const hit = key ? this.o.cache?.get(key) : undefined;
    if (hit) return this.replay(hit.value, hit.ageMs, sink, run);

    const failures: DetailedResult["failures"] = [];
    for (const [i, link] of this.links.entries()) {
      const next = this.links[i + 1]?.name;
      try {
        const timed = link.name !== "builtin";
        const result = await this.attempt(link, input, sink, signal, run, timed);
        const provider =
          failures.length === 0
            ? result.provider
            : `${result.provider} (after ${failures.map((f) => `${f.provider} failed: ${f.reason}`).join("; ")})`;
        sink.thinking(
          `Diagnosis by ${result.provider}${failures.length ? ` after ${failures.length} failed provider(s)` : ""}.`,
        );
        const final = { ...result, provider, failures };
        if (key && (run.cache === "all" || link.name !== "builtin")) this.o.cache?.set(key, final);
        return final;
      } catch (err) {
        if (signal.aborted) throw signal.reason ?? err;
        const reason = reasonOf(err);
        failures.push({ provider: link.name, reason });
        this.o.logger.warn({ provider: link.name, reason, incident_id: input.incidentId }, "analysis provider failed");
        if (!next) throw err;
        sink.thinking(`${link.name} failed (${reason}); falling back to ${next}.`);
      }
    }
    throw new Error("unreachable: the chain ends with builtin");
  }

  private async attempt(
    link: ChainLink,
    input: AnalysisInput,
    sink: AnalysisSink,
    outer: AbortSignal,
    run: RunOptions,
    timed: boolean,
  ): Promise<DetailedResult> {
    const ctl = new AbortController();
    const onOuter = () => ctl.abort(outer.reason);
    outer.addEventListener("abort", onOuter, { once: true });
    const secs = this.o.timeoutMs / 1000;
    const timer = timed
      ? setTimeout(() => ctl.abort(new ProviderError("timeout", `timed out after ${secs} s`)), this.o.timeoutMs)
      : undefined;
    // An abandoned attempt must not keep streaming into the incident's frames.
    let live = true;
    const gated: AnalysisSink = {
      thinking: (m) => live && sink.thinking(m),
      token: (c) => live && sink.token(c),
    };
    const stopped = new Promise<never>((_, reject) => {
      ctl.signal.addEventListener("abort", () => reject(ctl.signal.reason), { once: true });
    });
    stopped.catch(() => undefined);
    try {
      return await Promise.race([link.analyse(input, gated, ctl.signal, run), stopped]);
    } finally {
      live = false;
      clearTimeout(timer);
      outer.removeEventListener("abort", onOuter);
      if (!ctl.signal.aborted) ctl.abort(new Error("attempt finished"));
    }
  }

  private async replay(cached: DetailedResult, ageMs: number, sink: AnalysisSink, run: RunOptions) {
    const [kind, ...model] = cached.provider.split(" ")[0]?.split(":") ?? ["builtin"];
    sink.thinking(
      `Analysis cache hit: an identical signature was analysed by ${cached.provider} ${Math.round(ageMs / 1000)} s ago; reusing it.`,
    );
    for (const c of chunks(cached.analysis.justification)) sink.token(c);
    await this.o.calls.record({
      projectId: run.projectId ?? this.o.projectId,
      incidentId: run.incidentId,
      requestType: run.requestType,
      provider: kind ?? "builtin",
      model: model.join(":") || "builtin",
      promptTokens: 0,
      completionTokens: 0,
      latencyMs: 0,
      costUsd: 0,
      cacheHit: true,
      ok: true,
      error: null,
    });
    return { ...cached, cacheHit: true };
  }
}

function reasonOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.length > 160 ? `${msg.slice(0, 160)}…` : msg;
}
