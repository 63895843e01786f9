import type { Citation, LlmCallLog, LlmCallRecord } from "../../ports/analysis-records.js";
import type { AnalysisInput, AnalysisSink } from "../../ports/analyst.js";
import type { DetailedResult, InvestigationTrace } from "./analysis-detail.js";
import { buildPrompt } from "./build-prompt.js";
import { DIAGNOSIS_JSON_SCHEMA, validateDiagnosis } from "./diagnosis-schema.js";
import { extractJson } from "./extract-json.js";
import type { Investigator } from "./investigator.js";
import { providerCallRecord } from "./llm-call-log.js";
import type { LlmMessage, LlmProvider, LlmRequest, LlmUsage } from "./llm-provider.js";
import type { PriceTable } from "./price-table.js";
import { ProviderError } from "./provider-error.js";
import { describeCounts, type Redactor } from "./redactor.js";
import { toDetailed } from "./to-detailed.js";

export interface LlmAnalystOptions {
  provider: LlmProvider;
  investigator: Investigator | null;
  redactor: Redactor;
  prices: PriceTable;
  calls: LlmCallLog;
  maxToolRounds: number;
  /** Tool calls honoured per round (a model asking for more gets the first ones). */
  maxToolCallsPerRound?: number;
  maxTokens?: number;
  projectId: string;
}

/** How one analysis is run and accounted for. */
export interface RunOptions {
  requestType: LlmCallRecord["requestType"];
  incidentId: string | null;
  /** The project the call is accounted to; absent: the engine's default project. */
  projectId?: string | undefined;
  trace: InvestigationTrace;
  /** Free text of an API request (seed 001 description and context), fenced like logs. */
  extraContext?: string | undefined;
}

/**
 * One model as an analyst: redacted, fenced prompt → bounded tool rounds → JSON answer validated
 * (one repair round) → detailed result. Any failure throws a ProviderError; the chain falls back.
 */
export class LlmAnalyst {
  readonly name: string;

  constructor(private readonly o: LlmAnalystOptions) {
    this.name = `${o.provider.kind}:${o.provider.model}`;
  }

  async analyse(input: AnalysisInput, sink: AnalysisSink, signal: AbortSignal, run: RunOptions) {
    const started = performance.now();
    const usage: LlmUsage = { promptTokens: 0, completionTokens: 0 };
    try {
      const result = await this.converse(input, sink, signal, run, usage);
      await this.account(run, usage, started, null);
      return result;
    } catch (err) {
      const e =
        err instanceof ProviderError
          ? err
          : new ProviderError(
              signal.aborted ? "aborted" : "invalid_output",
              err instanceof Error ? err.message : String(err),
            );
      await this.account(run, usage, started, e.message);
      throw e;
    }
  }

  private async converse(
    input: AnalysisInput,
    sink: AnalysisSink,
    signal: AbortSignal,
    run: RunOptions,
    usage: LlmUsage,
  ): Promise<DetailedResult> {
    const { provider, investigator, redactor } = this.o;
    const tools = investigator && this.o.maxToolRounds > 0 ? investigator.specs() : [];
    const prompt = buildPrompt(input, redactor, { tools: tools.length > 0, extraContext: run.extraContext });
    const redacted = describeCounts(prompt.redactions);
    sink.thinking(`${this.name}: diagnosing${redacted ? ` (redacted before sending: ${redacted})` : ""}.`);
    const messages: LlmMessage[] = [{ role: "user", content: prompt.user }];
    const citations: Citation[] = [];
    const onToken = (chunk: string) => sink.token(chunk);
    const ask = async (offer: boolean) => {
      const req: LlmRequest = {
        system: prompt.system,
        messages,
        tools: offer ? tools : [],
        responseSchema: { name: "diagnosis", schema: DIAGNOSIS_JSON_SCHEMA },
        maxTokens: this.o.maxTokens ?? 2000,
      };
      const turn = await provider.complete(req, onToken, signal);
      usage.promptTokens += turn.usage.promptTokens;
      usage.completionTokens += turn.usage.completionTokens;
      return turn;
    };

    let answer = "";
    for (let round = 0; ; round++) {
      const offer = tools.length > 0 && round < this.o.maxToolRounds;
      const turn = await ask(offer);
      if (!offer || turn.toolCalls.length === 0) {
        answer = turn.text;
        break;
      }
      const calls = turn.toolCalls.slice(0, this.o.maxToolCallsPerRound ?? 4);
      messages.push({ role: "assistant", content: turn.text, toolCalls: calls });
      for (const call of calls) {
        signal.throwIfAborted();
        sink.thinking(`${this.name} investigates: ${call.name}(${redactor.clean(call.arguments).slice(0, 120)})`);
        const out = await (investigator as Investigator).call(call, input, run.trace, signal);
        citations.push(...out.citations);
        messages.push({
          role: "tool",
          toolCallId: call.id,
          name: call.name,
          content: prompt.fence.wrap(`tool:${call.name}`, out.content),
        });
      }
    }

    let checked = validateDiagnosis(extractJson(answer), input.maxReplicas);
    if (!checked.ok) {
      const problems = checked.problems.slice(0, 8).join("; ");
      sink.thinking(`${this.name}: answer rejected (${problems}); asking once for a corrected JSON object.`);
      messages.push(
        { role: "assistant", content: answer || "(empty answer)" },
        {
          role: "user",
          content: `Your answer is not valid: ${problems}. Reply with only the corrected JSON object matching the schema.`,
        },
      );
      const repaired = await ask(false);
      checked = validateDiagnosis(extractJson(repaired.text), input.maxReplicas);
      if (!checked.ok) {
        throw new ProviderError(
          "invalid_output",
          `invalid answer after one repair: ${checked.problems.slice(0, 3).join("; ")}`,
        );
      }
    }
    return toDetailed(checked.diagnosis, this.name, citations, redactor);
  }

  private async account(run: RunOptions, usage: LlmUsage, started: number, error: string | null) {
    await this.o.calls.record(
      providerCallRecord({
        projectId: run.projectId ?? this.o.projectId,
        incidentId: run.incidentId,
        requestType: run.requestType,
        provider: this.o.provider,
        prices: this.o.prices,
        usage,
        startedAt: started,
        error,
      }),
    );
  }
}
