import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { InProcessEventBus } from "../events/event-bus.js";
import type { AlertIncident } from "../ingest/alert-item.js";
import { IngestJournal } from "../ingest/ingest-journal.js";
import { JournaledIngest } from "../ingest/journaled-ingest.js";
import { createLogger } from "../shared/logger.js";
import { AlertStore } from "../store/alert-store.js";
import { openDatabase, DEFAULT_PROJECT_ID as P } from "../store/database.js";
import { IncidentStore } from "../store/incident-store.js";
import { JobQueue } from "../store/job-queue.js";
import { silences } from "../store/schema-alerts.js";
import { startRoundTripCounter } from "../testing/round-trip-counter.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { AlertGrouper, fingerprintOf } from "./alert-grouping.js";
import { IncidentService } from "./incident-service.js";
import { IncidentRecorder } from "./recorder.js";

const alert = (id: string, service = "checkout", over: Partial<AlertIncident> = {}): AlertIncident => ({
  projectId: P,
  id,
  alertType: "High CPU 97%",
  logs: "cpu saturated",
  containerName: service,
  severity: "CRITICAL",
  alertTimestamp: null,
  context: null,
  dryRun: false,
  ...over,
});

describe.each(testDatabaseKinds())("alert grouping on %s", (kind) => {
  let t: TestDatabase;
  let dir: string;
  afterEach(async () => {
    await t?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  async function setup(windowMs = 300_000) {
    t = await freshDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), "aegis-grouping-"));
    const incidents = new IncidentStore();
    const alerts = new AlertStore();
    const bus = new InProcessEventBus();
    const frames: { type: string; incidentId: string; message?: string }[] = [];
    bus.subscribe((f) =>
      frames.push({ type: f.type, incidentId: f.incident_id, message: (f.data as { message?: string }).message }),
    );
    const recorder = new IncidentRecorder(t.database, incidents, bus);
    const grouper = new AlertGrouper(incidents, alerts, recorder, { windowMs });
    const make = () =>
      new JournaledIngest(
        t.database,
        incidents,
        new IngestJournal(dir),
        createLogger("error"),
        () => undefined,
        () => undefined,
        {
          store: grouper.store,
        },
      );
    const ingest = make();
    await ingest.recover();
    const service = new IncidentService(
      t.database,
      incidents,
      new JobQueue(t.database.db),
      recorder,
      ingest,
      () => undefined,
      alerts,
    );
    return { incidents, alerts, ingest, service, frames, make, grouper };
  }

  /** A silence (or maintenance window) of one matcher, in force for the next minute. */
  async function silenceNow(
    id: string,
    kind: "silence" | "maintenance",
    name: string | null,
    matcher: { name: string; value: string; isRegex: boolean; isEqual: boolean },
  ) {
    const now = Date.now();
    await t.database.db.insert(silences).values({
      projectId: P,
      id,
      kind,
      name,
      matchers: [matcher],
      startsAt: new Date(now - 1000),
      endsAt: new Date(now + 60_000),
      createdBy: "alice",
      createdAt: new Date(now),
      updatedAt: new Date(now),
    });
  }

  it("200 identical alerts for one service open ONE incident with one pipeline job; 199 attach to it", async () => {
    const { ingest, service, alerts, frames } = await setup();
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, k) =>
        service.receive(P, {
          incident_id: `storm-${k}`,
          alert_type: `High CPU ${90 + (k % 9)}%`,
          logs: "cpu",
          container_name: "checkout",
        }),
      ),
    );
    // Every webhook still answers with its own id.
    expect(new Set(answers.map((a) => a.incident.incident_id)).size).toBe(200);
    await ingest.settled();
    expect(await new JobQueue(t.database.db).pending()).toBe(1);
    const counts = await alerts.counts(t.database.db, P);
    expect(counts).toEqual({ groups: 1, followers: 199, alerts: 200 });

    const leader = (await service.list(P, { limit: 500, offset: 0 })).find((i) => !i.grouped_into);
    expect(leader?.incident_id).toBe("storm-0");
    const follower = await service.get(P, "storm-150");
    expect(follower.grouped_into).toBe("storm-0");
    expect(follower.timeline.map((e) => e.message)).toEqual([
      "Incident received via webhook.",
      expect.stringMatching(/^Grouped into incident storm-0 \(alert \d+ of its group/),
    ]);
    const leaderTimeline = (await service.get(P, "storm-0")).timeline;
    expect(leaderTimeline.filter((e) => e.message.startsWith("Alert storm-")).length).toBe(199);
    expect(leaderTimeline.at(-1)?.message).toMatch(/200 alerts in this group/);
    // The attachment entries were published after commit, on the leader.
    expect(frames.filter((f) => f.type === "status.update" && f.incidentId === "storm-0").length).toBe(199);

    // The follower follows its leader's status.
    await t.database.db.execute("update incidents set status = 'ANALYSING' where id = 'storm-0'");
    expect((await service.get(P, "storm-150")).status).toBe("ANALYSING");
  });

  it("another service, another signature or a dry run opens its own incident", async () => {
    const { ingest, service } = await setup();
    await service.receive(P, { incident_id: "a", alert_type: "High CPU", logs: "", container_name: "checkout" });
    await service.receive(P, { incident_id: "b", alert_type: "High CPU", logs: "", container_name: "payments" });
    await service.receive(P, { incident_id: "c", alert_type: "Memory Leak", logs: "", container_name: "checkout" });
    await service.receive(P, {
      incident_id: "d",
      alert_type: "High CPU",
      logs: "",
      container_name: "checkout",
      dry_run: true,
    });
    await service.receive(P, { incident_id: "e", alert_type: "high  cpu", logs: "", container_name: "checkout" });
    await ingest.settled();
    expect(await new JobQueue(t.database.db).pending()).toBe(4);
    expect((await service.get(P, "e")).grouped_into).toBe("a");
  });

  it("an incident whose automation gave up takes alerts within the window; a fix, a resolved lifecycle or a quiet window opens a new one", async () => {
    const { ingest, service } = await setup(60_000);
    await service.receive(P, { incident_id: "w1", alert_type: "Disk full", logs: "", container_name: "db" });
    await ingest.settled();
    await t.database.db.execute("update incidents set status = 'FAILED' where id = 'w1'");
    await service.receive(P, { incident_id: "w2", alert_type: "Disk full", logs: "", container_name: "db" });
    await ingest.settled();
    expect((await service.get(P, "w2")).grouped_into).toBe("w1");
    // Quiet past the window after the pipeline finished: a new incident.
    await t.database.db.execute("update alert_groups set last_seen_at = now() - interval '2 minutes'");
    await service.receive(P, { incident_id: "w3", alert_type: "Disk full", logs: "", container_name: "db" });
    await ingest.settled();
    expect((await service.get(P, "w3")).grouped_into ?? null).toBeNull();
    // A person resolved it: the next alert opens a new incident even while its pipeline runs.
    await t.database.db.execute("update incidents set lifecycle = 'resolved' where id = 'w3'");
    await service.receive(P, { incident_id: "w4", alert_type: "Disk full", logs: "", container_name: "db" });
    await ingest.settled();
    expect((await service.get(P, "w4")).grouped_into ?? null).toBeNull();
    // Fixed (RESOLVED): the same alert again is a recurrence, a new incident with its own pipeline.
    await t.database.db.execute("update incidents set status = 'RESOLVED', lifecycle = 'detected' where id = 'w4'");
    await service.receive(P, { incident_id: "w5", alert_type: "Disk full", logs: "", container_name: "db" });
    await ingest.settled();
    expect((await service.get(P, "w5")).grouped_into ?? null).toBeNull();
    expect(await new JobQueue(t.database.db).pending()).toBe(4);
  });

  it("a replay of the journal after a crash groups exactly once", async () => {
    const { make, alerts } = await setup();
    const journal = new IngestJournal(dir);
    await journal.append([alert("r1"), alert("r2"), alert("r3")]);
    await journal.append([alert("r2"), alert("r4")]);
    await journal.close();
    const ingest = make();
    expect(await ingest.recover()).toBe(4);
    // A second start finds nothing left to load, and nothing changes.
    await journal.append([alert("r1"), alert("r4")]);
    await journal.close();
    expect(await make().recover()).toBe(0);
    expect(await new JobQueue(t.database.db).pending()).toBe(1);
    expect(await alerts.counts(t.database.db, P)).toEqual({ groups: 1, followers: 3, alerts: 4 });
  });

  it("a silenced alert is still recorded and grouped; its timeline names the silence", async () => {
    const { ingest, service, alerts } = await setup();
    await silenceNow("s-1", "maintenance", "db upgrade", {
      name: "service",
      value: "check.*",
      isRegex: true,
      isEqual: true,
    });
    await service.receive(P, { incident_id: "m1", alert_type: "High CPU", logs: "", container_name: "checkout" });
    await service.receive(P, { incident_id: "m2", alert_type: "High CPU", logs: "", container_name: "checkout" });
    await service.receive(P, { incident_id: "n1", alert_type: "High CPU", logs: "", container_name: "billing" });
    await ingest.settled();
    const m1 = await service.get(P, "m1");
    expect(m1.timeline.some((e) => /Paging suppressed by maintenance window db upgrade s-1/.test(e.message))).toBe(
      true,
    );
    expect((await service.get(P, "m2")).timeline.at(-1)?.message).toMatch(/maintenance window db upgrade/);
    expect((await service.get(P, "n1")).timeline.some((e) => /suppressed/.test(e.message))).toBe(false);
    const listed = await alerts.listAlerts(t.database.db, P, {}, 10, 0);
    expect(
      listed.rows
        .filter((r) => r.suppressedBy === "s-1")
        .map((r) => r.id)
        .sort(),
    ).toEqual(["m1", "m2"]);
    const [row] = await t.database.db.select().from(silences);
    expect(row?.suppressed).toBe(2);
  });

  it.runIf(kind === "postgres")(
    "on PostgreSQL a load is four round trips (BEGIN, the reads, the writes, COMMIT), and its writes keep their order",
    async () => {
      const { grouper, alerts, service } = await setup();
      await silenceNow("s-quiet", "silence", null, {
        name: "service",
        value: "billing",
        isRegex: false,
        isEqual: true,
      });
      // An open group (checkout) and a stale one (db: its leader was fixed).
      await grouper.store(t.database.db, [alert("open-1", "checkout"), alert("old-1", "db")]);
      await t.database.db.execute("update incidents set status = 'RESOLVED' where id = 'old-1'");

      const url = new URL(t.url as string);
      const counter = await startRoundTripCounter({ host: url.hostname, port: Number(url.port || 5432) });
      url.hostname = "127.0.0.1";
      url.port = String(counter.port);
      const proxied = await openDatabase({ url: url.toString(), poolSize: 1 });
      try {
        await proxied.db.execute("select 1");
        counter.reset();
        const created = await grouper.store(proxied.db, [
          alert("join-1", "checkout"), // follows the open group
          alert("new-1", "payments"), // a new leader…
          alert("new-2", "payments"), // …and its follower in the same load
          alert("old-2", "db"), // the stale group closes; a new one opens on this alert
          alert("quiet-1", "billing"), // a silenced leader (its note), and the silence's count
          alert("quiet-2", "billing"),
          alert("open-1", "checkout"), // already stored: left alone
        ]);
        expect(counter.flights()).toBe(4);
        expect(created.size).toBe(6);
      } finally {
        await proxied.close();
        await counter.close();
      }
      expect((await service.get(P, "join-1")).grouped_into).toBe("open-1");
      expect((await service.get(P, "new-2")).grouped_into).toBe("new-1");
      expect((await service.get(P, "old-2")).grouped_into ?? null).toBeNull();
      expect((await service.get(P, "quiet-2")).grouped_into).toBe("quiet-1");
      expect(
        (await service.get(P, "quiet-1")).timeline.some((e) => /Paging suppressed by silence s-quiet/.test(e.message)),
      ).toBe(true);
      const [quiet] = await t.database.db.select().from(silences);
      expect(quiet?.suppressed).toBe(2);
      // Groups: checkout (open), db (closed) and db again, payments, billing; one received alert per new id.
      expect(await alerts.counts(t.database.db, P)).toEqual({ groups: 5, followers: 3, alerts: 8 });
      expect(await new JobQueue(t.database.db).pending()).toBe(5);
    },
  );

  it.runIf(kind === "postgres")(
    "a dry run takes no fingerprint lock: it is stored while another session holds its group's lock; a real alert waits",
    async () => {
      const { grouper } = await setup();
      const dry = alert("dry-1", "checkout", { dryRun: true });
      const real = alert("real-1", "checkout");
      const other = new pg.Client({ connectionString: t.url });
      await other.connect();
      try {
        for (const a of [dry, real])
          await other.query("select pg_advisory_lock(hashtext($1))", [`${P}|${fingerprintOf(a)}`]);
        const dryStored = await Promise.race([
          grouper.store(t.database.db, [dry]),
          new Promise<null>((r) => setTimeout(() => r(null), 5_000)),
        ]);
        expect(dryStored ? [...dryStored] : dryStored).toEqual([`${P}\u0000dry-1`]);
        let realDone = false;
        const realStored = grouper.store(t.database.db, [real]).then((x) => {
          realDone = true;
          return x;
        });
        await new Promise((r) => setTimeout(r, 500));
        expect(realDone).toBe(false);
        await other.query("select pg_advisory_unlock_all()");
        expect([...(await realStored)]).toEqual([`${P}\u0000real-1`]);
      } finally {
        await other.end();
      }
    },
  );
});
