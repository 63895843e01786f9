/** Servers the predictive monitor tracks from which the process runs with the large-fleet heap growth. */
export const LARGE_FLEET_SERVERS = 2_000;

/**
 * The heap-growing percent `aegis start` runs with, chosen from the workload (ADR 0023, seventh round).
 * One factor cannot serve both: a small one keeps an incident storm's backlog small (issue #17), while a
 * monitor of thousands of servers holds a large live heap that a small factor collects in full again and
 * again, with long pauses (issue #18). The process starts at `base`; once the monitor tracks
 * `LARGE_FLEET_SERVERS` servers it moves to `largeFleet` for good (servers are never forgotten, so the
 * fleet does not shrink). `largeFleet` 0 keeps `base` at any size. V8 reads the factor each time it sets
 * the next collection's limit, so a change applies from the next full collection on.
 */
export class HeapGrowthPolicy {
  private current: number;

  constructor(
    private readonly base: number,
    private readonly largeFleet: number,
    private readonly apply: (percent: number) => void,
  ) {
    this.current = base;
  }

  /** The factor now in force (percent; 0: V8's own). */
  get percent(): number {
    return this.current;
  }

  /** Called with the number of servers the monitor tracks; true when the factor changed. */
  observe(serversTracked: number): boolean {
    if (this.largeFleet === 0 || this.current === this.largeFleet || serversTracked < LARGE_FLEET_SERVERS) return false;
    this.current = this.largeFleet;
    this.apply(this.largeFleet);
    return true;
  }
}
