import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { InProcessEventBus } from "../events/event-bus.js";
import { ScheduleService } from "../oncall/schedule-service.js";
import type { Notifier, PageDelivery, PageMessage, PageTarget } from "../ports/notifier.js";
import type { SilenceChecker } from "../ports/silences.js";
import { createLogger } from "../shared/logger.js";
import { type Database, openDatabase, DEFAULT_PROJECT_ID as P } from "../store/database.js";
import { EscalationStore } from "../store/escalation-store.js";
import { IncidentResourceStore } from "../store/incident-resource-store.js";
import { IncidentStore, type NewIncident } from "../store/incident-store.js";
import { OnCallStore } from "../store/oncall-store.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { DEFAULT_ESCALATION_OPTIONS, EscalationEngine, type EscalationOptions } from "./escalation-engine.js";
import { IncidentResource } from "./incident-resource.js";
import { IncidentRecorder } from "./recorder.js";

const incident = (id: string, service = "checkout"): NewIncident => ({
  projectId: P,
  id,
  alertType: "High error rate",
  logs: "ERROR 500s",
  containerName: service,
  severity: "CRITICAL",
  alertTimestamp: null,
  context: null,
  dryRun: false,
});

/** A notifier that records every page and answers `sent`. */
class RecordingNotifier implements Notifier {
  readonly pages: { targets: PageTarget[]; message: PageMessage }[] = [];
  async notify(_p: string, targets: PageTarget[], message: PageMessage): Promise<PageDelivery[]> {
    this.pages.push({ targets, message });
    return targets.map((target, i) => ({
      id: `d${this.pages.length}-${i}`,
      target,
      channel: "fake",
      status: "sent",
      attempts: 1,
      at: new Date().toISOString(),
    }));
  }
  users(): string[][] {
    return this.pages.map((p) => p.targets.map((t) => (t.kind === "user" ? t.userId : t.channel)));
  }
}

const owner = { kind: "api_key" as const, id: "admin", displayName: "admin", role: "owner" as const };

describe.each(testDatabaseKinds())("escalation engine on %s", (kind) => {
  let t: TestDatabase;
  let reopened: Database | null = null;
  afterEach(async () => {
    await reopened?.close();
    reopened = null;
    await t?.cleanup();
  });

  function wire(
    database: Database,
    notifier: Notifier,
    clock: () => Date,
    silences?: SilenceChecker,
    options: EscalationOptions = DEFAULT_ESCALATION_OPTIONS,
    leads?: () => boolean,
  ) {
    const incidents = new IncidentStore();
    const recorder = new IncidentRecorder(database, incidents, new InProcessEventBus());
    const oncall = new OnCallStore();
    const engine = new EscalationEngine(
      {
        database,
        store: new EscalationStore(),
        oncall,
        schedules: new ScheduleService(database, oncall),
        incidents,
        recorder,
        notifier,
        silences,
        logger: createLogger("silent"),
        clock,
        leads,
      },
      options,
    );
    const resource = new IncidentResource(database, new IncidentResourceStore(), incidents, recorder, {
      open: async () => undefined,
    });
    return { engine, resource, incidents, oncall };
  }

  async function setUp(database: Database) {
    const oncall = new OnCallStore();
    const schedules = new ScheduleService(database, oncall);
    const sched = await schedules.create(P, {
      name: "Primary",
      time_zone: "UTC",
      layers: [
        { name: "l1", users: ["alice"], rotation_type: "weekly", handoff_time: "09:00", start_date: "2026-01-05" },
      ],
      overrides: [],
    });
    await oncall.insertPolicy(database.db, {
      projectId: P,
      id: "pol",
      name: "Default",
      service: null,
      trigger: "incident_opened",
      repeat: 0,
      levels: [
        { delay_minutes: 5, targets: [{ type: "schedule", id: sched.id }] },
        { delay_minutes: 10, targets: [{ type: "user", id: "bob" }] },
      ],
    });
  }

  it("pages level 2 when level 1 does not acknowledge; acknowledging stops further pages", async () => {
    t = await freshDatabase(kind);
    await setUp(t.database);
    let now = new Date();
    const notifier = new RecordingNotifier();
    const { engine, resource, incidents } = wire(t.database, notifier, () => now);
    await incidents.createBatch(t.database.db, [incident("i1")]);

    await engine.sweep();
    expect(notifier.users()).toEqual([["alice"]]);
    expect(notifier.pages[0]?.message).toMatchObject({ kind: "trigger", incidentId: "i1", level: 1 });
    now = new Date(now.getTime() + 4 * 60_000);
    await engine.sweep();
    expect(notifier.pages).toHaveLength(1);
    now = new Date(now.getTime() + 60_000);
    await engine.sweep();
    expect(notifier.users()).toEqual([["alice"], ["bob"]]);

    await resource.changeState(P, owner, "i1", "acknowledged");
    // Stopped at the next sweep, not only when level 2's delay runs out.
    now = new Date(now.getTime() + 60_000);
    await engine.sweep();
    expect(await engine.status(P, "i1")).toMatchObject({ state: "stopped", level: 2, pages_sent: 2 });
    now = new Date(now.getTime() + 60 * 60_000);
    await engine.sweep();
    expect(notifier.pages).toHaveLength(2);
    const timeline = (await incidents.get(t.database.db, P, "i1"))?.timeline ?? [];
    const paged = timeline.filter((e) => e.status === "PAGED").map((e) => e.message);
    expect(paged).toHaveLength(3);
    expect(paged[0]).toContain("Escalation level 1 of policy Default (page): alice via fake: sent");
    expect(paged[1]).toContain("level 2");
    expect(paged[2]).toContain("Escalation stopped: the incident was acknowledged");
  });

  it("continues from the stored state after a restart, and ends when nobody acknowledges", async () => {
    t = await freshDatabase(kind);
    await setUp(t.database);
    let now = new Date();
    const first = new RecordingNotifier();
    const a = wire(t.database, first, () => now);
    await a.incidents.createBatch(t.database.db, [incident("i2")]);
    await a.engine.sweep();
    expect(first.users()).toEqual([["alice"]]);
    await t.database.close();

    // A new server process on the same database.
    reopened = await openDatabase(t.pgliteDir ? { pgliteDir: t.pgliteDir } : { url: t.url });
    const second = new RecordingNotifier();
    const b = wire(reopened, second, () => now);
    await b.engine.sweep();
    expect(second.pages).toHaveLength(0);
    now = new Date(now.getTime() + 5 * 60_000);
    await b.engine.sweep();
    expect(second.users()).toEqual([["bob"]]);
    now = new Date(now.getTime() + 10 * 60_000);
    await b.engine.sweep();
    expect(second.pages).toHaveLength(1);
    expect(await b.engine.status(P, "i2")).toMatchObject({ state: "exhausted", next_at: null });
    const timeline = (await b.incidents.get(reopened.db, P, "i2"))?.timeline ?? [];
    expect(timeline.at(-1)?.message).toContain("Escalation exhausted");
  });

  it("records a silence's suppression on the timeline and pages nobody", async () => {
    t = await freshDatabase(kind);
    await setUp(t.database);
    const notifier = new RecordingNotifier();
    const silences: SilenceChecker = {
      suppression: async (_p, q) =>
        q.service === "checkout"
          ? { kind: "maintenance", id: "mw-1", reason: "DB upgrade", endsAt: "2099-01-01T00:00:00Z" }
          : null,
    };
    const { engine, incidents } = wire(t.database, notifier, () => new Date(), silences);
    await incidents.createBatch(t.database.db, [incident("i3"), incident("i4", "search")]);
    await engine.sweep();
    expect(notifier.pages).toHaveLength(1);
    expect(notifier.pages[0]?.message.incidentId).toBe("i4");
    expect(await engine.status(P, "i3")).toMatchObject({ state: "suppressed", pages_sent: 0 });
    const timeline = (await incidents.get(t.database.db, P, "i3"))?.timeline ?? [];
    expect(timeline.at(-1)).toMatchObject({ status: "PAGED" });
    expect(timeline.at(-1)?.message).toContain("suppressed by maintenance mw-1");
  });

  it("lets two servers sweep one database without paging a level twice", async () => {
    t = await freshDatabase(kind);
    await setUp(t.database);
    const now = new Date();
    const notifier = new RecordingNotifier();
    const a = wire(t.database, notifier, () => now);
    const b = wire(t.database, notifier, () => now);
    await a.incidents.createBatch(
      t.database.db,
      ["c1", "c2", "c3", "c4"].map((id) => incident(id)),
    );
    await Promise.all([a.engine.sweep(), b.engine.sweep()]);
    await Promise.all([a.engine.sweep(), b.engine.sweep()]);
    const ids = notifier.pages.map((p) => p.message.incidentId).sort();
    expect(ids).toEqual(["c1", "c2", "c3", "c4"]);
  });

  it("of several servers only the leader starts new incidents' escalations; every one pages what it claims", async () => {
    t = await freshDatabase(kind);
    await setUp(t.database);
    let now = new Date();
    const toA = new RecordingNotifier();
    const toB = new RecordingNotifier();
    let aLeads = false;
    const a = wire(
      t.database,
      toA,
      () => now,
      undefined,
      DEFAULT_ESCALATION_OPTIONS,
      () => aLeads,
    );
    const b = wire(
      t.database,
      toB,
      () => now,
      undefined,
      DEFAULT_ESCALATION_OPTIONS,
      () => !aLeads,
    );
    const escalations = async () =>
      (await t.database.db.execute(sql`select count(*)::int as n from escalations`)).rows[0]?.n;
    const paged = (n: RecordingNotifier) => n.pages.map((p) => p.message.incidentId).sort();
    await a.incidents.createBatch(t.database.db, [incident("l1"), incident("l2")]);
    await a.engine.sweep();
    expect(await escalations()).toBe(0);
    await b.engine.sweep();
    expect(await escalations()).toBe(2);
    expect(paged(toB)).toEqual(["l1", "l2"]);
    // Leadership moves: the new leader starts what appeared since; the old one no longer does.
    aLeads = true;
    await a.incidents.createBatch(t.database.db, [incident("l3")]);
    await b.engine.sweep();
    expect(await escalations()).toBe(2);
    await a.engine.sweep();
    expect(await escalations()).toBe(3);
    expect(paged(toA)).toEqual(["l3"]);
    // Level 2 is due after 5 minutes: a server that does not lead pages every due one it claims.
    now = new Date(now.getTime() + 5 * 60_000);
    await b.engine.sweep();
    expect(toB.users().slice(2)).toEqual([["bob"], ["bob"], ["bob"]]);
    expect(paged(toB)).toEqual(["l1", "l1", "l2", "l2", "l3"]);
  });

  it("starts each new incident of a sweep under its service's own policy, else the project's default", async () => {
    t = await freshDatabase(kind);
    await setUp(t.database);
    await new OnCallStore().insertPolicy(t.database.db, {
      projectId: P,
      id: "pay",
      name: "Payments",
      service: "payments",
      trigger: "incident_opened",
      repeat: 0,
      levels: [{ delay_minutes: 5, targets: [{ type: "user", id: "dave" }] }],
    });
    const now = new Date();
    const notifier = new RecordingNotifier();
    const { engine, incidents } = wire(t.database, notifier, () => now);
    await incidents.createBatch(t.database.db, [
      incident("s1", "payments"),
      incident("s2", "checkout"),
      incident("s3", "payments"),
    ]);
    await engine.sweep();
    expect(await engine.status(P, "s1")).toMatchObject({ policy_id: "pay" });
    expect(await engine.status(P, "s2")).toMatchObject({ policy_id: "pol" });
    expect(await engine.status(P, "s3")).toMatchObject({ policy_id: "pay" });
    expect(notifier.users().sort()).toEqual([["alice"], ["dave"], ["dave"]]);
  });

  it("waits for a needs-human policy until automation hands over, then repeats its levels and ends", async () => {
    t = await freshDatabase(kind);
    const oncall = new OnCallStore();
    await oncall.insertPolicy(t.database.db, {
      projectId: P,
      id: "nh",
      name: "When automation stops",
      service: "payments",
      trigger: "needs_human",
      repeat: 1,
      levels: [{ delay_minutes: 3, targets: [{ type: "user", id: "carol" }] }],
    });
    let now = new Date();
    const notifier = new RecordingNotifier();
    const { engine, incidents } = wire(t.database, notifier, () => now);
    await incidents.createBatch(t.database.db, [incident("w1", "payments"), incident("w2", "unowned")]);
    await engine.sweep();
    expect(notifier.pages).toHaveLength(0);
    expect(await engine.status(P, "w1")).toMatchObject({ state: "waiting", policy_id: "nh" });
    expect(await engine.status(P, "w2")).toMatchObject({ state: "no_policy" });

    await incidents.update(t.database.db, P, "w1", { status: "FAILED", error: "health check failed" });
    now = new Date(now.getTime() + 10_000);
    await engine.sweep();
    expect(notifier.users()).toEqual([["carol"]]);
    now = new Date(now.getTime() + 3 * 60_000);
    await engine.sweep();
    expect(notifier.users()).toEqual([["carol"], ["carol"]]);
    expect(await engine.status(P, "w1")).toMatchObject({ state: "active", level: 1, round: 1 });
    now = new Date(now.getTime() + 3 * 60_000);
    await engine.sweep();
    expect(notifier.pages).toHaveLength(2);
    const timeline = (await incidents.get(t.database.db, P, "w1"))?.timeline ?? [];
    expect(timeline.filter((e) => e.status === "PAGED").map((e) => e.message)).toEqual([
      expect.stringContaining("round 1 of 2 (page): carol via fake: sent"),
      expect.stringContaining("round 2 of 2 (page): carol via fake: sent"),
      expect.stringContaining("Escalation exhausted: nobody acknowledged after 1 level × 2 rounds"),
    ]);
  });

  it("reads only the incidents opened since its last read, and the whole look-back again every full-sweep period", async () => {
    t = await freshDatabase(kind);
    await setUp(t.database);
    const notifier = new RecordingNotifier();
    let now = new Date();
    const options = { ...DEFAULT_ESCALATION_OPTIONS, overlapMs: 1_000 };
    const { engine, incidents } = wire(t.database, notifier, () => now, undefined, options);
    await incidents.createBatch(t.database.db, [incident("n1")]);
    await engine.sweep();
    expect(await engine.status(P, "n1")).toMatchObject({ state: "active", level: 1 });

    // Two incidents become visible after that read: one opened now, one whose transaction began (and
    // stamped it) a minute ago. The next sweep reads only since the last read (database time), less the overlap.
    await incidents.createBatch(t.database.db, [incident("n2"), incident("late")]);
    await t.database.db.execute(
      sql`update incidents set created_at = now() - interval '1 minute' where project_id = ${P} and id = 'late'`,
    );
    now = new Date(now.getTime() + 1_000);
    await engine.sweep();
    expect(await engine.status(P, "n2")).toMatchObject({ state: "active" });
    expect(await engine.status(P, "late")).toBeNull();

    // Once the full-sweep period has passed, a sweep reads the whole look-back again.
    now = new Date(now.getTime() + options.fullSweepMs);
    await engine.sweep();
    expect(await engine.status(P, "late")).toMatchObject({ state: "active", level: 1 });
    expect(notifier.pages.map((p) => p.message.incidentId).sort()).toEqual(["late", "n1", "n2"]);
  });
});
