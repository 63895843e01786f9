import type { CouncilVote } from "@aegis/contracts";
import type { SQL } from "drizzle-orm";
import type { AnalysisInput, AnalystResult } from "../ports/analyst.js";
import { type IncidentBatchStore, rowKey } from "../store/incident-batch-store.js";
import type { IncidentRow } from "../store/incident-store.js";
import type { ClaimedJob } from "../store/job-queue.js";
import { FrameGate } from "./frame-gate.js";
import { dryRunStep, type Pipeline, proposalOf, REVIEWING, targetOf } from "./pipeline.js";
import type { PipelineDeps } from "./pipeline-deps.js";
import type { Change, IncidentChange } from "./recorder.js";

/** Stages of a batch computed within this long of each other share one commit (ADR 0025, fifth round). */
export const DEFAULT_FOLD_MS = 250;

/** A stage computed and not yet committed; `announced` runs once its frames are out. */
interface Pending {
  changes: IncidentChange[];
  announced?: () => void;
}

/** What a batch hands back: jobs past their decision that the single-incident pipeline continues (execution). */
export interface BatchResult {
  continuing: ClaimedJob[];
  done: number;
  parked: number;
  released: number;
}

interface Work {
  job: ClaimedJob;
  row: IncidentRow;
  input: AnalysisInput;
  /** Entries to add to this incident's next commit (a resume notice, or nothing). */
  pending: Change["steps"];
  proposal?: AnalystResult;
  /** Set when this incident failed inside the batch: the error it ends FAILED with. */
  error?: string;
}

/**
 * The remediation loop's analysis and council for many incidents at once (an alert storm). The rows
 * are read in one query; each stage runs for every incident in memory and is committed for the whole
 * batch in ONE transaction, and its frames go out after COMMIT:
 *   1. retrieval + ANALYSING,  2. diagnosis (AI_COMPLETE) + COUNCIL_REVIEW,
 *   3. the council's decision with its votes, a dry run's end, and the jobs settled (done / parked).
 * Persist-before-effects holds: nothing executes here; an approved action is executed by the single
 * pipeline (`Pipeline.run`) only after stage 3 committed its decision. Each stage skips what the rows
 * already hold, so a batch interrupted anywhere (crash, SIGKILL) resumes where it stopped, once.
 */
export class PipelineBatch {
  constructor(
    private readonly d: PipelineDeps,
    private readonly pipeline: Pipeline,
    private readonly store: IncidentBatchStore,
    /** A stage that ends within this long is committed with the next one (0: each stage alone). */
    private readonly foldMs = DEFAULT_FOLD_MS,
  ) {}

  async run(jobs: ClaimedJob[], stopping: AbortSignal): Promise<BatchResult> {
    const db = this.d.database.db;
    const rows = await this.store.getRows(
      db,
      jobs.map((j) => ({ projectId: j.projectId, incidentId: j.incidentId })),
    );
    const done: number[] = [];
    const parked: number[] = [];
    const continuing: ClaimedJob[] = [];
    let work: Work[] = [];
    for (const job of jobs) {
      const row = rows.get(rowKey(job.projectId, job.incidentId));
      if (!row || row.status === "RESOLVED" || row.status === "FAILED") done.push(job.id);
      else if (row.status === "AWAITING_APPROVAL") parked.push(job.id);
      // Decided already (a resume after the decision, or a human approved): execution is the single path's.
      else if (row.analysis && row.councilDecision) continuing.push(job);
      else {
        const resumed =
          job.attempts > 1 && row.status !== "RECEIVED"
            ? [
                {
                  status: "RESUMED" as const,
                  message: `Resumed after an interruption during ${row.status}.`,
                  agent: null,
                },
              ]
            : [];
        work.push({ job, row, input: this.pipeline.inputOf(row), pending: resumed });
      }
    }
    await Promise.all(work.map((w) => this.pipeline.gatherRuntimeEvidence(w.row, w.input)));
    const gate = new FrameGate();

    // 1. Retrieval and ANALYSING for those without a diagnosis.
    if (stopping.aborted) return this.stop(work, done, parked, continuing, []);
    const recurrences = new Map<Work, Awaited<ReturnType<Pipeline["retrieval"]>>["recurrence"]>();
    const stage1 = await this.each(work, async (w) => {
      if (w.row.analysis) return w.pending?.length ? { steps: w.pending } : null;
      const r = await this.pipeline.retrieval(w.row, w.input);
      recurrences.set(w, r.recurrence);
      return { ...r.change, steps: [...(w.pending ?? []), ...(r.change.steps ?? [])] };
    });
    // The analysis' progress frames wait until ANALYSING has been announced.
    let pending: Pending[] = [{ changes: stage1, announced: () => gate.open() }];
    work = this.settleFailed(work, done);

    // 2. The diagnosis, committed with the start of the council's review.
    if (stopping.aborted) return this.stop(work, done, parked, continuing, pending);
    const diagnosed = this.each(work, async (w) => {
      if (w.row.analysis) {
        w.proposal = proposalOf(w.row);
        return {
          steps: [{ status: "COUNCIL_REVIEW", message: REVIEWING, agent: null }],
          patch: { status: "COUNCIL_REVIEW" },
        };
      }
      const diagnosed = await this.pipeline.diagnosis(w.row, w.input, recurrences.get(w) ?? null, {
        coalesceTokens: true,
        gate,
      });
      w.proposal = proposalOf({ ...w.row, ...diagnosed.patch } as IncidentRow);
      return {
        ...diagnosed,
        steps: [...(diagnosed.steps ?? []), { status: "COUNCIL_REVIEW", message: REVIEWING, agent: null }],
        patch: { ...diagnosed.patch, status: "COUNCIL_REVIEW" },
      };
    });
    const stage2 = await this.fold(pending, diagnosed);
    pending = [...stage2.pending, { changes: stage2.value }];
    work = this.settleFailed(work, done);

    // 3. The council's decisions, with their votes; a dry run ends here; jobs settled in the same commit.
    if (stopping.aborted) return this.stop(work, done, parked, continuing, pending);
    const votes: { projectId: string; incidentId: string; votes: CouncilVote[] }[] = [];
    const reviewed = (async () => {
      const restarts = await this.restartsLastHour(work);
      const restartsOf = async (projectId: string, target: string) =>
        restarts.get(rowKey(projectId, target)) ??
        this.d.actions.restartsSince(this.d.database.db, projectId, target, new Date(Date.now() - 3_600_000));
      return this.each(work, async (w) => {
        const proposal = w.proposal as AnalystResult;
        const collected: CouncilVote[][] = [];
        const { change, verdict } = await this.pipeline.councilReview(w.row, w.input, proposal, restartsOf, collected);
        votes.push({ projectId: w.row.projectId, incidentId: w.row.id, votes: collected[0] ?? [] });
        if (verdict === "REJECTED") done.push(w.job.id);
        else if (verdict === "NEEDS_REVIEW") parked.push(w.job.id);
        else if (w.row.dryRun) {
          done.push(w.job.id);
          return { ...change, steps: [...(change.steps ?? []), dryRunStep(proposal)] };
        } else continuing.push({ ...w.job, attempts: 1 });
        return change;
      });
    })();
    const stage3 = await this.fold(pending, reviewed);
    for (const w of work) if (w.error) done.push(w.job.id);
    await this.commit(
      [...stage3.pending, { changes: stage3.value }],
      [...this.store.recordAllVotesStatements(votes), ...this.d.jobs.settleManyStatements(db, done, parked)],
    );
    return { continuing, done: done.length, parked: parked.length, released: 0 };
  }

  /**
   * Runs a stage while the stages before it wait uncommitted: if the stage ends within `foldMs`, they
   * are committed with it (one transaction, one row update per incident); if it takes longer (a model
   * thinking), they are committed now, while it runs, so what they hold is durable and visible.
   */
  private async fold<T>(pending: Pending[], stage: Promise<T>): Promise<{ value: T; pending: Pending[] }> {
    if (pending.length === 0) return { value: await stage, pending };
    let timer: NodeJS.Timeout | undefined;
    const late =
      this.foldMs <= 0
        ? Promise.resolve(true)
        : new Promise<boolean>((r) => (timer = setTimeout(r, this.foldMs, true)));
    const slow = await Promise.race([
      stage.then(
        () => false,
        () => false,
      ),
      late,
    ]);
    clearTimeout(timer);
    if (!slow) return { value: await stage, pending };
    const [value] = await Promise.all([stage, this.commit(pending)]);
    return { value, pending: [] };
  }

  /** Stages of the batch in one transaction, each announced in turn after COMMIT. */
  private commit(pending: Pending[], extra: readonly SQL[] = []): Promise<void> {
    return this.d.recorder.commitStages(
      pending.map((p) => p.changes),
      extra,
      (i) => pending[i]?.announced?.(),
    );
  }

  /** Restarts in the last hour of every target in the batch: one query per project. */
  private async restartsLastHour(work: Work[]): Promise<Map<string, number>> {
    const targets = new Map<string, Set<string>>();
    for (const w of work) {
      const target = targetOf(w.row, this.d.executor);
      if (!target) continue;
      const set = targets.get(w.row.projectId) ?? new Set<string>();
      set.add(target);
      targets.set(w.row.projectId, set);
    }
    const out = new Map<string, number>();
    const since = new Date(Date.now() - 3_600_000);
    for (const [projectId, set] of targets) {
      const counts = await this.d.actions.restartsSinceAll(this.d.database.db, projectId, [...set], since);
      for (const [target, n] of counts) out.set(rowKey(projectId, target), n);
    }
    return out;
  }

  /**
   * One stage's change for every incident, computed concurrently. An incident whose stage throws
   * ends FAILED in this same commit (as the single pipeline's worker would record it).
   */
  private async each(work: Work[], stage: (w: Work) => Promise<Change | null>): Promise<IncidentChange[]> {
    const changes = await Promise.all(
      work.map(async (w): Promise<IncidentChange | null> => {
        let change: Change | null;
        try {
          change = await stage(w);
        } catch (err) {
          w.error = `pipeline error: ${err instanceof Error ? err.message : String(err)}`;
          this.d.logger.error({ err, incident_id: w.row.id }, "pipeline crashed");
          change = {
            steps: [...(w.pending ?? []), { status: "FAILED", message: w.error, agent: null }],
            patch: { status: "FAILED", error: w.error },
          };
        }
        w.pending = [];
        return change ? { projectId: w.row.projectId, incidentId: w.row.id, change } : null;
      }),
    );
    return changes.filter((c): c is IncidentChange => c !== null);
  }

  /** Incidents that failed in the last stage leave the batch; their jobs end with it. */
  private settleFailed(work: Work[], done: number[]): Work[] {
    for (const w of work) if (w.error) done.push(w.job.id);
    return work.filter((w) => !w.error);
  }

  /** Shutdown mid-batch: commit what was computed with the settled jobs, hand the rest back to the queue. */
  private async stop(
    work: Work[],
    done: number[],
    parked: number[],
    continuing: ClaimedJob[],
    pending: Pending[],
  ): Promise<BatchResult> {
    await this.commit(pending, this.d.jobs.settleManyStatements(this.d.database.db, done, parked));
    const released = [...work.map((w) => w.job.id), ...continuing.map((j) => j.id)];
    await this.d.jobs.releaseMany(released);
    return { continuing: [], done: done.length, parked: parked.length, released: released.length };
  }
}
