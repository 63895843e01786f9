import { randomUUID } from "node:crypto";
import type { Logger } from "../shared/logger.js";
import type { Database } from "../store/database.js";
import type { ClaimedJob, JobQueue } from "../store/job-queue.js";
import type { Pipeline } from "./pipeline.js";
import type { PipelineBatch } from "./pipeline-batch.js";
import type { IncidentRecorder } from "./recorder.js";

export interface WorkerOptions {
  concurrency: number;
  leaseMs: number;
  /** Poll interval when nothing wakes the worker (jobs from other nodes, expired leases). */
  pollMs: number;
  /**
   * True while an alert storm is being ingested. Accepting alerts durably comes first: the worker then
   * runs one small batch (an eighth of `batch.size`) or a quarter of its concurrency at a time, at most
   * one launch per `pressurePaceMs`, and catches up when the storm passes.
   */
  underPressure?: () => boolean;
  /** Under pressure, the least time between two launches (default 250 ms). */
  pressurePaceMs?: number;
  /**
   * Analysis and council for many incidents at once, each stage one transaction (an alert storm);
   * with `batchSize` jobs claimed per batch and two batches in flight (one under pressure).
   * Absent: each job runs alone, `concurrency` at once.
   */
  batch?: { runner: PipelineBatch; size: number } | undefined;
}

/**
 * Claims pipeline jobs and runs them, up to `concurrency` at once, renewing their leases while they
 * run. Stop: claim nothing more, let running pipelines reach a persisted point, then return.
 */
export class PipelineWorker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<number, Promise<void>>();
  private readonly stopping = new AbortController();
  private wakeTimer: NodeJS.Timeout | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private polling = false;
  private pollAgain = false;
  /** When the last batch or job was launched under pressure. */
  private pressedLaunchAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly database: Database,
    private readonly queue: JobQueue,
    private readonly pipeline: Pipeline,
    private readonly recorder: IncidentRecorder,
    private readonly logger: Logger,
    private readonly opts: WorkerOptions,
  ) {}

  async start(): Promise<void> {
    if (this.database.exclusive) {
      const n = await this.queue.reclaimOrphans();
      if (n > 0) this.logger.warn({ jobs: n }, "resuming pipelines interrupted by a previous run");
    }
    this.renewTimer = setInterval(() => void this.renew(), Math.max(250, this.opts.leaseMs / 3));
    this.renewTimer.unref();
    this.schedulePoll(0);
  }

  /** Something was queued: look for work now. */
  wake(): void {
    if (this.stopping.signal.aborted) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.schedulePoll(0);
  }

  get inFlight(): number {
    return this.running.size;
  }

  async stop(deadlineMs: number): Promise<void> {
    this.stopping.abort();
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    const all = Promise.allSettled([...this.running.values()]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, deadlineMs)))]);
    if (timer) clearTimeout(timer);
    if (this.renewTimer) clearInterval(this.renewTimer);
    if (this.running.size > 0)
      this.logger.warn({ jobs: this.running.size }, "stopping with pipelines still running; their leases will expire");
  }

  private schedulePoll(delay: number): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => void this.poll(), delay);
  }

  private async poll(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    this.polling = true;
    let paced = 0;
    try {
      do {
        this.pollAgain = false;
        const free = this.limit() - this.running.size;
        if (free <= 0) break;
        // Under an ingest storm, launches are paced by time, not by arrivals: the pipeline's CPU and
        // connections go to accepting alerts first, while incidents still move (ADR 0025, fourth round).
        const pressed = this.opts.underPressure?.() ?? false;
        if (pressed) {
          const wait = this.pressedLaunchAt + (this.opts.pressurePaceMs ?? 250) - performance.now();
          if (wait > 0) {
            paced = wait;
            break;
          }
        }
        const batch = this.opts.batch;
        const jobs = await this.queue.claim(this.id, batch ? Math.min(free, batch.size) : free, this.opts.leaseMs);
        if (batch && jobs.length > 1) this.launchBatch(batch.runner, jobs);
        else for (const job of jobs) this.launch(job);
        if (pressed && jobs.length > 0) this.pressedLaunchAt = performance.now();
        if (jobs.length > 0 && jobs.length === Math.min(free, batch?.size ?? free)) this.pollAgain = true;
      } while (this.pollAgain && !this.stopping.signal.aborted && this.running.size < this.limit());
    } catch (err) {
      this.logger.error({ err }, "claiming jobs failed");
    } finally {
      this.polling = false;
    }
    // Under pressure, look again soon: the storm may be over and there is a backlog to drain.
    if (!this.stopping.signal.aborted)
      this.schedulePoll(paced > 0 ? Math.ceil(paced) : this.opts.underPressure?.() ? 300 : this.opts.pollMs);
  }

  /** Jobs in flight at most: two batches (one eighth of a batch under pressure), or `concurrency` single runs (a quarter). */
  private limit(): number {
    const pressed = this.opts.underPressure?.() ?? false;
    if (this.opts.batch) return pressed ? Math.max(2, Math.floor(this.opts.batch.size / 8)) : this.opts.batch.size * 2;
    return pressed ? Math.max(1, Math.floor(this.opts.concurrency / 4)) : this.opts.concurrency;
  }

  private launchBatch(runner: PipelineBatch, jobs: ClaimedJob[]): void {
    const p: Promise<void> = this.runBatch(runner, jobs).finally(() => {
      for (const j of jobs) if (this.running.get(j.id) === p) this.running.delete(j.id);
      this.wake();
    });
    for (const j of jobs) this.running.set(j.id, p);
  }

  private async runBatch(runner: PipelineBatch, jobs: ClaimedJob[]): Promise<void> {
    let continuing: ClaimedJob[];
    try {
      continuing = (await runner.run(jobs, this.stopping.signal)).continuing;
    } catch (err) {
      // A stage's commit failed (the database): each job alone resumes from what was committed.
      this.logger.error({ err, jobs: jobs.length }, "pipeline batch failed; running its jobs one by one");
      continuing = jobs;
    }
    for (const job of continuing) this.launch(job);
  }

  private launch(job: ClaimedJob): void {
    const p: Promise<void> = this.runOne(job).finally(() => {
      if (this.running.get(job.id) === p) this.running.delete(job.id);
      this.wake();
    });
    this.running.set(job.id, p);
  }

  private async runOne(job: ClaimedJob): Promise<void> {
    const db = this.database.db;
    try {
      const outcome = await this.pipeline.run(job, this.stopping.signal);
      if (outcome === "done") await this.queue.complete(db, job.id);
      else if (outcome === "parked") await this.queue.park(db, job.id);
      else await this.queue.release(job.id);
    } catch (err) {
      // An unexpected error (a bug, the database gone): fail the incident visibly rather than loop.
      const error = `pipeline error: ${err instanceof Error ? err.message : String(err)}`;
      this.logger.error({ err, incident_id: job.incidentId }, "pipeline crashed");
      try {
        await this.recorder.commit(job.projectId, job.incidentId, {
          steps: [{ status: "FAILED", message: error, agent: null }],
          patch: { status: "FAILED", error },
        });
        await this.queue.complete(db, job.id);
      } catch (inner) {
        this.logger.error({ err: inner, incident_id: job.incidentId }, "could not record pipeline failure");
      }
    }
  }

  /** Renew our leases, and requeue jobs whose worker stopped renewing theirs (it died). */
  private async renew(): Promise<void> {
    try {
      await this.queue.renew(this.id, [...this.running.keys()], this.opts.leaseMs);
      const reaped = await this.queue.reapExpired();
      if (reaped > 0) {
        this.logger.warn({ jobs: reaped }, "took over pipelines whose worker stopped renewing its lease");
        this.wake();
      }
    } catch (err) {
      this.logger.warn({ err }, "lease renewal failed");
    }
  }
}
