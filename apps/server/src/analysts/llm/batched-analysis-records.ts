import type { AnalysisRecords, Citation, Hypothesis } from "../../ports/analysis-records.js";
import type { AnalysisRecordSet } from "../../store/analysis-record-store.js";

/**
 * Analysis records written in groups: the saves made while a write is in flight (or in the same tick)
 * go to the database together, in one transaction (`replaceMany`), instead of a transaction of ~6
 * statements per incident. Each `save` resolves once its own records are stored (or rejects with the
 * group's error), so a reader after the save sees them. A later save of the same incident in a group
 * replaces the earlier one, as it would have in the database.
 */
export class BatchedAnalysisRecords implements AnalysisRecords {
  private pending = new Map<
    string,
    { set: AnalysisRecordSet; waiters: { ok: () => void; fail: (e: unknown) => void }[] }
  >();
  private writing = false;
  private scheduled = false;

  constructor(private readonly write: (sets: AnalysisRecordSet[]) => Promise<void>) {}

  save(
    projectId: string,
    incidentId: string,
    provider: string,
    hypotheses: Hypothesis[],
    citations: Citation[],
  ): Promise<void> {
    return new Promise((ok, fail) => {
      const key = `${projectId}\u0000${incidentId}`;
      const waiters = this.pending.get(key)?.waiters ?? [];
      waiters.push({ ok, fail });
      // Re-inserted at the end: a group keeps the order in which incidents were last saved.
      this.pending.delete(key);
      this.pending.set(key, { set: { projectId, incidentId, provider, hypotheses, citations }, waiters });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.writing || this.pending.size === 0) return;
    this.writing = true;
    const group = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.write(group.map((g) => g.set));
      for (const g of group) for (const w of g.waiters) w.ok();
    } catch (err) {
      for (const g of group) for (const w of g.waiters) w.fail(err);
    } finally {
      this.writing = false;
      if (this.pending.size > 0) this.schedule();
    }
  }
}
