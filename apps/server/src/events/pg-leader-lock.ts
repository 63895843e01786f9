import pg from "pg";
import type { Logger } from "../shared/logger.js";

/**
 * The advisory lock key of the leader, which collects metrics and starts new incidents' escalations (any
 * constant shared by every process of one product).
 */
export const LEADER_KEY = 727_019;

/**
 * Leadership among the processes sharing one PostgreSQL database: whoever holds the session-level
 * advisory lock `pg_try_advisory_lock(key)` leads. The lock lives as long as the session, so a leader
 * that dies (or loses its connection) frees it and the next try elsewhere takes over.
 */
export class PgLeaderLock {
  private client: pg.Client | null = null;
  private leader = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly key: number,
    private readonly logger: Logger,
    private readonly retryMs = 2000,
  ) {}

  get isLeader(): boolean {
    return this.leader;
  }

  async start(): Promise<void> {
    await this.attempt();
    this.timer = setInterval(() => void this.attempt(), this.retryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.leader = false;
    // Ending the session releases the lock for the others.
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private async attempt(): Promise<void> {
    if (this.leader || this.stopped) return;
    try {
      if (!this.client) {
        const client = new pg.Client({ connectionString: this.url });
        client.on("error", (err) => {
          if (this.leader) this.logger.warn({ err }, "lost the leader session; another process will lead");
          this.leader = false;
          this.client = null;
          client.end().catch(() => undefined);
        });
        await client.connect();
        this.client = client;
      }
      const r = await this.client.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [this.key]);
      this.leader = r.rows[0]?.locked === true;
      if (this.leader)
        this.logger.info({ key: this.key }, "this process now leads (metrics collection, new escalations)");
    } catch (err) {
      this.logger.warn({ err }, "leader election attempt failed");
    }
  }
}
