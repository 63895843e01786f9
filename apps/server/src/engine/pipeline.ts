import type { AIAnalysis, CouncilDecision, CouncilVote, RunbookEntry } from "@aegis/contracts";
import { withRuntimeEvidence } from "../evidence/runtime-evidence-text.js";
import { salientLogs } from "../evidence/salient-logs.js";
import type { AnalysisInput, AnalystResult } from "../ports/analyst.js";
import type { Executor } from "../ports/executor.js";
import type { RunbookMatch } from "../ports/knowledge-base.js";
import type { Db } from "../store/database.js";
import type { IncidentRow } from "../store/incident-store.js";
import type { ClaimedJob } from "../store/job-queue.js";
import { holdForMode } from "./automation-mode.js";
import { executeAction } from "./execute-action.js";
import type { FrameGate } from "./frame-gate.js";
import type { PipelineDeps } from "./pipeline-deps.js";
import type { Change, Step } from "./recorder.js";
import { DEFAULT_REOPEN_WINDOW_MS, type Recurrence, recurrenceMessage, reopenRecurrence } from "./recurrence.js";
import { type VerifyOptions, verifyHealth } from "./verifier.js";

/** The COUNCIL_REVIEW entry's message. */
export const REVIEWING = "Multi-Agent Council is reviewing the proposal…";

export interface PipelineOptions {
  logTruncateChars: number;
  maxReplicas: number;
  /** Restarts of one target per hour without a human (the council policy's value), enforced at execution. */
  restartBudgetPerHour: number;
  verify: VerifyOptions;
  /** Similar incidents retrieved for the analyst. */
  ragLimit: number;
  /** Runbook documents retrieved for the analyst. Default 3. */
  runbookLimit?: number;
  /**
   * A new alert for the same service and alert name (or diagnosis) this soon after an incident was
   * verified RESOLVED marks that fix REOPENED. Default 24 h (DEFAULT_REOPEN_WINDOW_MS); 0 disables.
   */
  reopenWindowMs?: number;
}

/** How a run ended for the worker: finished, parked for a human, or handed back (shutdown). */
export type RunOutcome = "done" | "parked" | "released";

/**
 * The remediation loop for one incident. Each stage reads what is already persisted and skips what
 * is done, so a run interrupted anywhere (crash, SIGKILL, shutdown) resumes where it stopped.
 */
export class Pipeline {
  constructor(
    private readonly d: PipelineDeps,
    private readonly o: PipelineOptions,
  ) {}

  async run(job: ClaimedJob, stopping: AbortSignal): Promise<RunOutcome> {
    const { projectId, incidentId } = job;
    const db = this.d.database.db;
    let row = await this.d.incidents.getRow(db, projectId, incidentId);
    if (!row || row.status === "RESOLVED" || row.status === "FAILED") return "done";
    if (row.status === "AWAITING_APPROVAL") return "parked";

    if (job.attempts > 1 && row.status !== "RECEIVED") {
      await this.d.recorder.commit(projectId, incidentId, {
        steps: [{ status: "RESUMED", message: `Resumed after an interruption during ${row.status}.`, agent: null }],
      });
    }
    const input = this.inputOf(row);
    if (!row.analysis || !row.councilDecision) await this.gatherRuntimeEvidence(row, input);

    if (!row.analysis) {
      if (stopping.aborted) return "released";
      await this.analyse(row, input);
      row = await this.mustGet(projectId, incidentId);
    }
    const proposal = proposalOf(row);

    if (!row.councilDecision) {
      if (stopping.aborted) return "released";
      const verdict = await this.review(row, input, proposal);
      if (verdict === "REJECTED") return "done";
      if (verdict === "NEEDS_REVIEW") return "parked";
      row = await this.mustGet(projectId, incidentId);
    }
    if (row.status === "AWAITING_APPROVAL") return "parked";

    if (row.dryRun) {
      // A run killed after this entry and before its job was settled must not write it again on resume.
      if (job.attempts <= 1 || !(await this.dryRunEnded(projectId, incidentId))) {
        await this.d.recorder.commit(projectId, incidentId, { steps: [dryRunStep(proposal)] });
      }
      return "done";
    }
    if (stopping.aborted) return "released";
    const action = proposal.analysis.action;
    if (this.d.automation && action !== "NOOP") {
      const held = await holdForMode(this.d.automation, this.d.recorder, row, action);
      if (held) return held;
    }
    return this.remediate(row, proposal);
  }

  private async dryRunEnded(projectId: string, incidentId: string): Promise<boolean> {
    const found = await this.d.incidents.get(this.d.database.db, projectId, incidentId);
    return found?.timeline.some((t) => t.message.startsWith(DRY_RUN_PREFIX)) ?? false;
  }

  private async analyse(row: IncidentRow, input: AnalysisInput): Promise<void> {
    const { projectId, id } = row;
    const retrieved = await this.retrieval(row, input);
    await this.d.recorder.commit(projectId, id, retrieved.change);
    await this.d.recorder.commit(projectId, id, await this.diagnosis(row, input, retrieved.recurrence));
  }

  /**
   * Retrieval before analysis (an earlier fix this recurs, similar incidents, runbooks) and the
   * ANALYSING transition: the change to commit before the analyst runs.
   */
  async retrieval(row: IncidentRow, input: AnalysisInput): Promise<{ change: Change; recurrence: Recurrence | null }> {
    const { projectId, id } = row;
    // Before retrieval, so the analyst already sees the earlier fix as REOPENED.
    const recurrence = await this.noteRecurrence(row, null);
    const query = `${row.alertType}\n${input.logs}`;
    const [similar, runbooks] = await Promise.all([
      this.d.knowledge.similar(projectId, query, this.o.ragLimit),
      this.runbooksFor(projectId, query),
    ]);
    input.similar = similar;
    input.runbooks = runbooks;
    const best = similar[0];
    const ragMessage =
      similar.length === 0
        ? "No similar past incidents in the knowledge base."
        : `Retrieved ${similar.length} similar past incident${similar.length === 1 ? "" : "s"} (best match: ${(
            (best?.similarity_score ?? 0) * 100
          ).toFixed(1)}%)`;
    const goodRunbook = runbooks.find((r) => r.confidence !== "low");
    const runbookMessage =
      runbooks.length === 0
        ? null
        : goodRunbook
          ? `Best runbook: ${goodRunbook.title} (${goodRunbook.id}, ${goodRunbook.confidence} confidence, score ${goodRunbook.score.toFixed(2)})`
          : "No runbook is a good match for this incident.";
    const change: Change = {
      steps: [
        ...(recurrence ? [recurrence.step] : []),
        { status: "RAG_RETRIEVAL", message: ragMessage, agent: "RAG_ENGINE" },
        ...(runbookMessage ? [{ status: "RAG_RETRIEVAL" as const, message: runbookMessage, agent: "RAG_ENGINE" }] : []),
        { status: "ANALYSING", message: "AI SRE Agent is analysing the incident…", agent: "SRE_AGENT" },
      ],
      patch: { status: "ANALYSING" },
      frames: [{ type: "ai.thinking", data: { incident_id: id, message: ragMessage } }],
    };
    return { change, recurrence: recurrence?.found ?? null };
  }

  /**
   * The analyst's diagnosis (streamed as progress frames): the AI_COMPLETE change to commit. With
   * `coalesceTokens` (the storm batch), tokens the analyst emits in one go become ONE `ai.stream` frame
   * (same wire: `chunk` is their text, `full_text` the text so far): a word-per-frame stream of a
   * hundred incidents at once is read by no one, and each frame is serialised, NOTIFY'd and parsed by
   * every process. Tokens arriving apart (a model streaming) still go out as they come. With `gate`
   * (the batch, while the change before this one is not yet announced) progress frames wait for it.
   */
  async diagnosis(
    row: IncidentRow,
    input: AnalysisInput,
    recurrence: Recurrence | null,
    opts: { coalesceTokens?: boolean; gate?: FrameGate } = {},
  ): Promise<Change> {
    const { projectId, id } = row;
    const rec = this.d.recorder;
    const gate = opts.gate;
    const stream = (chunk: string, full_text: string) => {
      const send = () => rec.publish(projectId, "ai.stream", id, { incident_id: id, chunk, full_text });
      gate ? gate.run(send) : send();
    };
    let fullText = "";
    let held = "";
    const flush = () => {
      if (held === "") return;
      stream(held, fullText);
      held = "";
    };
    const result = await this.d.analyst.analyse(input, {
      thinking: (message) => {
        flush();
        const send = () => rec.publish(projectId, "ai.thinking", id, { incident_id: id, message });
        gate ? gate.run(send) : send();
      },
      token: (chunk) => {
        fullText += chunk;
        if (!opts.coalesceTokens) {
          stream(chunk, fullText);
          return;
        }
        if (held === "") queueMicrotask(flush);
        held += chunk;
      },
    });
    flush();
    const analysis = clampAnalysis(result.analysis, this.o.maxReplicas);
    // Same service and same diagnosis counts too, once the diagnosis is known.
    const later = recurrence ? null : await this.noteRecurrence(row, result.category);
    return {
      steps: [
        ...(later ? [later.step] : []),
        {
          status: "AI_COMPLETE",
          message: `Root cause: ${analysis.root_cause} → ${analysis.action} (confidence ${analysis.confidence.toFixed(2)}, ${result.provider})`,
          agent: "SRE_AGENT",
        },
      ],
      patch: { analysis, category: result.category, evidence: result.evidence, provider: result.provider },
      frames: [{ type: "ai.complete", data: { incident_id: id, analysis } }],
    };
  }

  private async review(row: IncidentRow, input: AnalysisInput, proposal: AnalystResult) {
    const { projectId, id } = row;
    await this.d.recorder.transition(projectId, id, "COUNCIL_REVIEW", REVIEWING);
    const { change, verdict } = await this.councilReview(row, input, proposal);
    await this.d.recorder.commit(projectId, id, change);
    return verdict;
  }

  /**
   * The council's review of a proposal: the change recording its votes and decision (and the votes
   * themselves as `extra`, unless `votesOut` collects them for a batch insert), with its verdict.
   * `restarts` may answer the restart count (a batch reads it once per target).
   */
  async councilReview(
    row: IncidentRow,
    input: AnalysisInput,
    proposal: AnalystResult,
    restarts?: (projectId: string, target: string) => Promise<number>,
    votesOut?: CouncilVote[][],
  ): Promise<{ change: Change; verdict: CouncilDecision["final_verdict"] }> {
    const { projectId, id } = row;
    const target = targetOf(row, this.d.executor);
    const known = target !== null && this.d.executor.has(target);
    const facts = {
      target,
      restartsLastHour: target ? await (restarts ?? this.restartsLastHour)(projectId, target) : 0,
      rollbackAvailable: known && target ? this.d.executor.canRollback(target) : null,
      currentReplicas: known && target ? this.d.executor.replicaCount(target) : null,
    };
    input.similar = [];
    const votes: CouncilVote[] = [];
    const decision = await this.d.council.review({ incident: input, proposal, facts }, (v) => votes.push(v));
    const verdictStep =
      decision.final_verdict === "APPROVED"
        ? { status: "APPROVED" as const, message: "Council approved the action." }
        : decision.final_verdict === "REJECTED"
          ? { status: "REJECTED" as const, message: `Council rejected the action: ${decision.summary}` }
          : {
              status: "AWAITING_APPROVAL" as const,
              message: `Awaiting human approval (POST /api/v1/incidents/${id}/approve or /reject): ${decision.summary}`,
            };
    const rejectedError = `Council rejected ${proposal.analysis.action}: ${reasonOf(decision)}`;
    votesOut?.push(decision.votes);
    const change: Change = {
      steps: [
        ...decision.votes.map((v) => ({
          status: "COUNCIL_VOTE" as const,
          message: `${v.role}: ${v.verdict} – ${v.reasoning}`,
          agent: v.role,
        })),
        { status: "COUNCIL_DECISION", message: decision.summary, agent: null },
        { ...verdictStep, agent: null },
        ...(decision.final_verdict === "REJECTED"
          ? [{ status: "FAILED" as const, message: rejectedError, agent: null }]
          : []),
      ],
      patch: {
        councilDecision: decision,
        status: decision.final_verdict === "REJECTED" ? "FAILED" : verdictStep.status,
        ...(decision.final_verdict === "REJECTED" ? { error: rejectedError } : {}),
      },
      ...(votesOut ? {} : { extra: (tx: Db) => this.d.incidents.recordVotes(tx, projectId, id, decision.votes) }),
      frames: [
        ...decision.votes.map((vote) => ({ type: "council.vote" as const, data: { incident_id: id, vote } })),
        { type: "council.decision", data: { incident_id: id, decision } },
      ],
    };
    return { change, verdict: decision.final_verdict };
  }

  private readonly restartsLastHour = (projectId: string, target: string) =>
    this.d.actions.restartsSince(this.d.database.db, projectId, target, new Date(Date.now() - 3_600_000));

  private async remediate(row: IncidentRow, proposal: AnalystResult): Promise<RunOutcome> {
    const { projectId, id } = row;
    const analysis = proposal.analysis;
    if (analysis.action === "NOOP") {
      await this.resolve(row, proposal, "No remediation needed (NOOP): the incident is resolved without action.");
      return "done";
    }
    const target = targetOf(row, this.d.executor);
    if (!target || !this.d.executor.has(target)) {
      await this.fail(
        row,
        proposal,
        `Target "${target ?? "(none)"}" is not managed by the ${this.d.executor.kind} executor.`,
        false,
      );
      return "done";
    }
    const outcome = await executeAction(this.d, {
      projectId,
      incidentId: id,
      target,
      analysis,
      maxReplicas: this.o.maxReplicas,
      restartBudgetPerHour: this.o.restartBudgetPerHour,
    });
    if (!outcome.ok) {
      if (outcome.parked) return "parked";
      await this.fail(row, proposal, outcome.error, true);
      return "done";
    }
    await this.d.recorder.transition(projectId, id, "VERIFYING", "Running health checks…");
    const check = await verifyHealth(this.d.executor, target, this.o.verify, (attempt, healthy) =>
      this.d.recorder.publish(projectId, "health.check", id, { incident_id: id, attempt, healthy }),
    );
    if (check.healthy) {
      await this.resolve(
        row,
        proposal,
        `Service is healthy! Incident resolved (health check passed on attempt ${check.attempts}).`,
      );
    } else {
      await this.fail(row, proposal, `Health check failed after ${check.attempts} attempts: ${check.detail}`, true);
    }
    return "done";
  }

  private async resolve(row: IncidentRow, proposal: AnalystResult, message: string): Promise<void> {
    const resolvedAt = new Date();
    const entry = this.entryOf(row, proposal, "RESOLVED", resolvedAt);
    await this.d.recorder.commit(row.projectId, row.id, {
      steps: [{ status: "RESOLVED", message, agent: null }],
      patch: { status: "RESOLVED", resolvedAt, error: null },
    });
    await this.learn(row.projectId, entry);
  }

  private async fail(row: IncidentRow, proposal: AnalystResult, error: string, learn: boolean): Promise<void> {
    await this.d.recorder.commit(row.projectId, row.id, {
      steps: [{ status: "FAILED", message: error, agent: null }],
      patch: { status: "FAILED", error },
    });
    if (learn) await this.learn(row.projectId, this.entryOf(row, proposal, "FAILED", null));
  }

  /** An earlier fix this incident is a recurrence of (now marked REOPENED), with the entry saying so. */
  private async noteRecurrence(
    row: IncidentRow,
    category: string | null,
  ): Promise<{ found: Recurrence; step: Step } | null> {
    const windowMs = this.o.reopenWindowMs ?? DEFAULT_REOPEN_WINDOW_MS;
    const receivedAt = row.createdAt;
    try {
      const found = await reopenRecurrence(
        {
          knowledge: this.d.knowledge,
          categoryOf: async (incidentId) =>
            (await this.d.incidents.getRow(this.d.database.db, row.projectId, incidentId))?.category ?? null,
        },
        row.projectId,
        { id: row.id, alertType: row.alertType, containerName: row.containerName, receivedAt },
        category,
        windowMs,
      );
      if (!found) return null;
      return {
        found,
        step: { status: "RAG_RETRIEVAL", message: recurrenceMessage(found, receivedAt), agent: "RAG_ENGINE" },
      };
    } catch (err) {
      // Bookkeeping about an earlier incident must not stop this one's remediation.
      this.d.logger.error({ err, incident_id: row.id }, "failed to check for a recurrence");
      return null;
    }
  }

  private async runbooksFor(projectId: string, query: string): Promise<RunbookMatch[]> {
    try {
      return await this.d.knowledge.runbooks(projectId, query, this.o.runbookLimit ?? 3);
    } catch (err) {
      this.d.logger.error({ err }, "runbook retrieval failed");
      return [];
    }
  }

  private async learn(projectId: string, entry: RunbookEntry): Promise<void> {
    try {
      await this.d.knowledge.learn(projectId, entry);
    } catch (err) {
      // The incident's outcome is already committed; a lost lesson must be visible, not fatal.
      this.d.logger.error({ err, incident_id: entry.incident_id }, "failed to record knowledge entry");
    }
  }

  private entryOf(row: IncidentRow, p: AnalystResult, outcome: "RESOLVED" | "FAILED", at: Date | null): RunbookEntry {
    return {
      incident_id: row.id,
      alert_type: row.alertType,
      logs: row.logs,
      container_name: row.containerName,
      severity: row.severity,
      root_cause: p.analysis.root_cause,
      action: p.analysis.action,
      justification: p.analysis.justification,
      confidence: p.analysis.confidence,
      council_approved: true,
      replicas_used: p.analysis.action === "SCALE_UP" ? p.analysis.replica_count : 0,
      resolved_at: at ? at.toISOString() : null,
      outcome,
    };
  }

  inputOf(row: IncidentRow): AnalysisInput {
    return {
      incidentId: row.id,
      projectId: row.projectId,
      alertType: row.alertType,
      logs: salientLogs(row.logs, this.o.logTruncateChars),
      containerName: row.containerName,
      severity: row.severity,
      context: row.context,
      similar: [],
      runbooks: [],
      maxReplicas: this.o.maxReplicas,
      alertTimestamp: row.alertTimestamp,
    };
  }

  /** Appends what the runtime shows about the target (describe, events, logs, node conditions) to the input. */
  async gatherRuntimeEvidence(row: IncidentRow, input: AnalysisInput): Promise<void> {
    const source = this.d.runtimeEvidence;
    const target = source ? targetOf(row, this.d.executor) : null;
    if (!source || !target) return;
    try {
      const evidence = await source.gatherEvidence(target);
      if (!evidence) return;
      withRuntimeEvidence(input, evidence);
      this.d.recorder.publish(row.projectId, "ai.thinking", row.id, {
        incident_id: row.id,
        message: `Read the runtime's view of ${evidence.subject}: state, events, logs (and the previous container's), node conditions.`,
      });
    } catch (err) {
      // The alert's own evidence is still there: analyse with it rather than not at all.
      this.d.logger.warn({ err, incident_id: row.id, target }, "could not gather runtime evidence");
    }
  }

  private async mustGet(projectId: string, id: string): Promise<IncidentRow> {
    const row = await this.d.incidents.getRow(this.d.database.db, projectId, id);
    if (!row) throw new Error(`incident ${id} disappeared`);
    return row;
  }
}

const DRY_RUN_PREFIX = "Dry run:";

/** A dry run's last entry: the approved action was not executed. */
export function dryRunStep(proposal: AnalystResult): Step {
  return {
    status: "APPROVED",
    message: `${DRY_RUN_PREFIX} ${proposal.analysis.action} was approved but nothing was executed.`,
    agent: null,
  };
}

export function proposalOf(row: IncidentRow): AnalystResult {
  if (!row.analysis) throw new Error(`incident ${row.id} has no analysis after the analysis step`);
  return {
    analysis: row.analysis,
    category: row.category ?? "unknown",
    evidence: row.evidence ?? [],
    provider: row.provider ?? "unknown",
  };
}

/** The incident's target: its container, else the executor's first declared service. */
export function targetOf(row: Pick<IncidentRow, "containerName">, executor: Executor): string | null {
  return row.containerName ?? executor.targets()[0] ?? null;
}

function clampAnalysis(a: AIAnalysis, maxReplicas: number): AIAnalysis {
  // Never clamp silently: an over-cap SCALE_UP goes to the council as proposed and is rejected there.
  return { ...a, replica_count: a.action === "SCALE_UP" ? a.replica_count : Math.min(a.replica_count, maxReplicas) };
}

function reasonOf(decision: CouncilDecision): string {
  const violations = decision.policy_violations ?? [];
  if (violations.length > 0) return violations.join("; ");
  const rejecting = decision.votes.filter((v) => v.verdict === "REJECTED").map((v) => `${v.role}: ${v.reasoning}`);
  return rejecting.join("; ") || decision.summary;
}
