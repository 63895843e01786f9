import type { CouncilVote } from "@aegis/contracts";
import { and, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import type { IncidentPatch, IncidentRow, TimelineInput } from "./incident-store.js";
import { councilVotes, incidents, timelineEntries } from "./schema.js";
import { textColumn } from "./text-array.js";

/** Patch fields `updateAllStatements` writes in one statement; a patch with others is written row by row. */
const BATCHED = new Set<keyof IncidentPatch>([
  "status",
  "analysis",
  "category",
  "evidence",
  "provider",
  "councilDecision",
  "error",
]);

export interface RowPatch {
  projectId: string;
  incidentId: string;
  patch: IncidentPatch;
}

export interface IncidentVotes {
  projectId: string;
  incidentId: string;
  votes: CouncilVote[];
}

export interface RowEntries {
  projectId: string;
  incidentId: string;
  entries: TimelineInput[];
}

/**
 * Writes of many incidents in a constant number of statements, for the batched pipeline: one read of
 * every row, one insert of every timeline entry (in order), one update of every patch, one insert of
 * every vote. Writes are statements built, not run: the batch's commit sends them as one transaction
 * at once (`runAtomically`).
 */
export class IncidentBatchStore {
  async getRows(db: Db, keys: { projectId: string; incidentId: string }[]): Promise<Map<string, IncidentRow>> {
    const out = new Map<string, IncidentRow>();
    if (keys.length === 0) return out;
    const byProject = new Map<string, string[]>();
    for (const k of keys) byProject.set(k.projectId, [...(byProject.get(k.projectId) ?? []), k.incidentId]);
    const where = or(
      ...[...byProject].map(([p, ids]) => and(sql`${incidents.projectId} = ${p}`, inArray(incidents.id, ids))),
    );
    for (const row of await db.select().from(incidents).where(where)) out.set(rowKey(row.projectId, row.id), row);
    return out;
  }

  /**
   * Every entry of every incident in ONE statement of array parameters (`insert … select … from unnest`,
   * as `createBatch` does): Drizzle builds a multi-row `values` list in time proportional to its rows
   * (~0.03 ms of server-thread CPU per entry, ADR 0025 fifth round), an array parameter in constant time.
   * The sequence keeps their order (`with ordinality … order by`).
   */
  appendAllStatements(all: RowEntries[]): SQL[] {
    const now = new Date().toISOString();
    const projects: string[] = [];
    const ids: string[] = [];
    const at: string[] = [];
    const statuses: string[] = [];
    const messages: string[] = [];
    const agents: (string | null)[] = [];
    for (const r of all) {
      for (const e of r.entries) {
        projects.push(r.projectId);
        ids.push(r.incidentId);
        at.push(e.ts ? e.ts.toISOString() : now);
        statuses.push(e.status);
        messages.push(e.message);
        agents.push(e.agent ?? null);
      }
    }
    if (projects.length === 0) return [];
    return [
      sql`
      insert into ${timelineEntries} (project_id, incident_id, ts, status, message, agent)
      select project_id, incident_id, ts::timestamptz, status, message, agent
      from unnest(${sql.param(projects)}::text[], ${sql.param(ids)}::text[], ${sql.param(at)}::text[],
                  ${sql.param(statuses)}::text[], ${sql.param(messages)}::text[], ${sql.param(agents)}::text[])
        with ordinality as t(project_id, incident_id, ts, status, message, agent, n)
      order by n`,
    ];
  }

  /**
   * Every patch in one `UPDATE … FROM unnest(…)`; a field a patch leaves out keeps its value. A patch
   * with fields outside the batched set gets its own statement (`db` builds it), before that one.
   */
  updateAllStatements(db: Db, patches: RowPatch[]): SQL[] {
    const lean = patches.filter((p) => Object.keys(p.patch).every((k) => BATCHED.has(k as keyof IncidentPatch)));
    const out: SQL[] = patches
      .filter((p) => !lean.includes(p))
      .map((p) =>
        db
          .update(incidents)
          .set({ ...p.patch, updatedAt: new Date() })
          .where(and(sql`${incidents.projectId} = ${p.projectId}`, sql`${incidents.id} = ${p.incidentId}`))
          .getSQL(),
      );
    if (lean.length === 0) return out;
    const col = (f: (p: IncidentPatch) => string | null | undefined) => textColumn(lean, (p) => f(p.patch));
    const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
    // Which fields each patch sets (a set field may be set to null): one letter each.
    const mask = lean.map((p) =>
      [
        "analysis" in p.patch ? "a" : "",
        "category" in p.patch ? "c" : "",
        "evidence" in p.patch ? "e" : "",
        "provider" in p.patch ? "p" : "",
        "councilDecision" in p.patch ? "d" : "",
        "error" in p.patch ? "r" : "",
      ].join(""),
    );
    out.push(sql`
      update ${incidents} as i set
        status = coalesce(v.status, i.status),
        analysis = case when strpos(v.mask, 'a') > 0 then v.analysis::jsonb else i.analysis end,
        category = case when strpos(v.mask, 'c') > 0 then v.category else i.category end,
        evidence = case when strpos(v.mask, 'e') > 0 then v.evidence::jsonb else i.evidence end,
        provider = case when strpos(v.mask, 'p') > 0 then v.provider else i.provider end,
        council_decision = case when strpos(v.mask, 'd') > 0 then v.decision::jsonb else i.council_decision end,
        error = case when strpos(v.mask, 'r') > 0 then v.error else i.error end,
        updated_at = ${new Date()}
      from unnest(
        ${sql.param(lean.map((p) => p.projectId))}::text[], ${sql.param(lean.map((p) => p.incidentId))}::text[],
        ${sql.param(mask)}::text[], ${col((p) => p.status)}::text[], ${col((p) => json(p.analysis))}::text[],
        ${col((p) => p.category)}::text[], ${col((p) => json(p.evidence))}::text[], ${col((p) => p.provider)}::text[],
        ${col((p) => json(p.councilDecision))}::text[], ${col((p) => p.error)}::text[]
      ) as v(project_id, id, mask, status, analysis, category, evidence, provider, decision, error)
      where i.project_id = v.project_id and i.id = v.id`);
    return out;
  }

  /** Every vote of every incident in one statement of array parameters, in order (as `appendAllStatements`). */
  recordAllVotesStatements(all: IncidentVotes[]): SQL[] {
    const projects: string[] = [];
    const ids: string[] = [];
    const roles: string[] = [];
    const verdicts: string[] = [];
    const reasons: string[] = [];
    const at: string[] = [];
    for (const r of all) {
      for (const v of r.votes) {
        projects.push(r.projectId);
        ids.push(r.incidentId);
        roles.push(v.role);
        verdicts.push(v.verdict);
        reasons.push(v.reasoning);
        at.push(new Date(v.timestamp).toISOString());
      }
    }
    if (projects.length === 0) return [];
    return [
      sql`
      insert into ${councilVotes} (project_id, incident_id, role, verdict, reasoning, ts)
      select project_id, incident_id, role, verdict, reasoning, ts::timestamptz
      from unnest(${sql.param(projects)}::text[], ${sql.param(ids)}::text[], ${sql.param(roles)}::text[],
                  ${sql.param(verdicts)}::text[], ${sql.param(reasons)}::text[], ${sql.param(at)}::text[])
        with ordinality as t(project_id, incident_id, role, verdict, reasoning, ts, n)
      order by n`,
    ];
  }
}

export const rowKey = (projectId: string, id: string) => `${projectId}\u0000${id}`;
