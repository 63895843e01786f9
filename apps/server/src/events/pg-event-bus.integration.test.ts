import type { WsFrame } from "@aegis/contracts";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../shared/logger.js";
import { freshDatabase, type TestDatabase, testDatabaseKinds } from "../testing/test-databases.js";
import { FRAME_CHANNEL, PACK_BYTES, PgEventBus } from "./pg-event-bus.js";
import { PgLeaderLock } from "./pg-leader-lock.js";

const logger = createLogger("silent");
const until = async (ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
};

describe.skipIf(!testDatabaseKinds().includes("postgres"))(
  "frames and leadership across processes on PostgreSQL",
  () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await freshDatabase("postgres");
    });
    afterAll(() => db?.cleanup());

    it("a frame reaches the other bus once, with its project; the publisher delivers its own once; local sees only own", async () => {
      const url = db.url as string;
      const [a, b] = await Promise.all([PgEventBus.connect(url, logger), PgEventBus.connect(url, logger)]);
      const atA: [WsFrame, string][] = [];
      const atB: [WsFrame, string][] = [];
      const localB: WsFrame[] = [];
      a.subscribe((f, p) => atA.push([f, p]));
      b.subscribe((f, p) => atB.push([f, p]));
      b.local.subscribe((f) => localB.push(f));
      a.publish("tenant-1", "resolved", "inc-1", { incident_id: "inc-1", resolved_at: "2026-12-06T00:00:00.000Z" });
      // A frame far over NOTIFY's 8000-byte limit, with multi-byte characters.
      const chunk = "é€😀".repeat(4000);
      a.publish("tenant-2", "ai.stream", "inc-2", { incident_id: "inc-2", chunk, full_text: chunk });
      await a.flush();
      await until(() => atB.length >= 2);
      await new Promise((r) => setTimeout(r, 200));
      expect(atA.map(([f]) => f.type)).toEqual(["resolved", "ai.stream"]);
      expect(atB.map(([f, p]) => `${f.type}@${p}`)).toEqual(["resolved@tenant-1", "ai.stream@tenant-2"]);
      expect(atB[1]?.[0]).toEqual(atA[1]?.[0]);
      expect(localB).toEqual([]);
      await Promise.all([a.close(), b.close()]);
    });

    it("frames published together travel packed in few notifications, in order, around a chunked one", async () => {
      const url = db.url as string;
      const [a, b] = await Promise.all([PgEventBus.connect(url, logger), PgEventBus.connect(url, logger)]);
      const raw = new pg.Client({ connectionString: url });
      await raw.connect();
      const payloads: string[] = [];
      raw.on("notification", (m) => payloads.push(m.payload ?? ""));
      await raw.query(`listen ${FRAME_CHANNEL}`);
      const atB: string[] = [];
      b.subscribe((f, p) => atB.push(`${f.incident_id}@${p}`));
      const sent: string[] = [];
      const small = (i: number) => {
        a.publish(`tenant-${i % 3}`, "failed", `inc-${i}`, {
          incident_id: `inc-${i}`,
          error: `upstream timeout ${i} — ü`,
        });
        sent.push(`inc-${i}@tenant-${i % 3}`);
      };
      for (let i = 0; i < 300; i++) small(i);
      // One frame over a payload's size between small ones: sent alone in chunks, order kept.
      const chunk = "é€😀".repeat(3000);
      a.publish("tenant-big", "ai.stream", "inc-big", { incident_id: "inc-big", chunk, full_text: chunk });
      sent.push("inc-big@tenant-big");
      for (let i = 300; i < 320; i++) small(i);
      await a.flush();
      await until(() => atB.length >= sent.length);
      expect(atB).toEqual(sent);
      // 320 small frames of ~150 bytes: a handful of packed payloads, not one notification each.
      const packed = payloads.filter((x) => x.split("|")[3] === "1");
      expect(packed.length).toBeLessThanOrEqual(10);
      for (const x of payloads) expect(Buffer.byteLength(x)).toBeLessThan(8000);
      expect(Math.max(...packed.map((x) => Buffer.byteLength(x)))).toBeLessThanOrEqual(PACK_BYTES + 40);
      await raw.end();
      await Promise.all([a.close(), b.close()]);
    });

    it("a listener whose connection is killed reconnects and receives again", async () => {
      const url = db.url as string;
      const [a, b] = await Promise.all([PgEventBus.connect(url, logger), PgEventBus.connect(url, logger)]);
      const atB: string[] = [];
      b.subscribe((f) => atB.push(f.incident_id ?? ""));
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const killed = await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()",
      );
      await admin.end();
      expect(killed.rowCount).toBeGreaterThanOrEqual(2);
      // Frames sent while the listener is down are lost (ADR 0019); keep sending until one arrives.
      for (let i = 0; i < 100 && atB.length === 0; i++) {
        a.publish("p", "failed", `after-${i}`, { incident_id: `after-${i}`, error: "x" });
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(atB.length).toBeGreaterThan(0);
      await Promise.all([a.close(), b.close()]);
    });

    it("one process leads at a time; when the leader goes, another takes over", async () => {
      const url = db.url as string;
      const key = 900_000 + Math.floor(Math.random() * 1000);
      const one = new PgLeaderLock(url, key, logger, 100);
      const two = new PgLeaderLock(url, key, logger, 100);
      await one.start();
      await two.start();
      expect([one.isLeader, two.isLeader]).toEqual([true, false]);
      await one.stop();
      await until(() => two.isLeader);
      expect(two.isLeader).toBe(true);
      await two.stop();
    });
  },
);
