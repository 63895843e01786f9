import type {
  CreateIncidentV1,
  Hypothesis,
  IncidentActionInput,
  IncidentSummaryV1,
  IncidentV1,
  LifecycleState,
  StateChangedV1,
  TimelineEntry,
  UpdateIncidentV1,
  WorkflowV1,
  WsFrame,
} from "@aegis/contracts";
import type { Seed003Envelope, Seed003Page } from "./auth-types.js";
import type { IncidentList, IncidentListInput } from "./copilot-types.js";
import type { HttpCore } from "./http-core.js";
import { openFrameStream } from "./open-frame-stream.js";
import { queryString, seg } from "./query-string.js";

export type CreateIncidentInput = Omit<CreateIncidentV1, "severity" | "dry_run"> &
  Partial<Pick<CreateIncidentV1, "severity" | "dry_run">>;

/** The `/api/v1/incidents` resource (seeds 001, 002, 003 merged) and the live frames of its incidents. */
export class IncidentsApi {
  constructor(private readonly http: HttpCore) {}

  /** Seed 001's list `{incidents, total, limit, offset}`, newest first. */
  list(query: IncidentListInput = {}): Promise<IncidentList> {
    return this.http.call("GET", `/api/v1/incidents${queryString({ limit: 20, offset: 0, ...query })}`);
  }

  /** Seed 003's pages (`data` of its envelope). */
  async page(
    query: {
      page?: number;
      page_size?: number;
      status?: string;
      state?: LifecycleState;
      severity?: string;
      service?: string;
    } = {},
  ): Promise<Seed003Page<IncidentSummaryV1>> {
    const q = { page: 1, page_size: 20, ...query };
    return (
      await this.http.call<Seed003Envelope<Seed003Page<IncidentSummaryV1>>>("GET", `/api/v1/incidents${queryString(q)}`)
    ).data;
  }

  /** One incident by id or `INC-<n>` reference. */
  get(id: string): Promise<IncidentV1> {
    return this.http.call("GET", `/api/v1/incidents/${seg(id)}`);
  }

  /** Opens an incident by hand; a dry run (proposal only) unless `dry_run: false`. */
  create(input: CreateIncidentInput): Promise<IncidentV1> {
    return this.http.call("POST", "/api/v1/incidents", input);
  }

  update(id: string, patch: UpdateIncidentV1): Promise<IncidentV1> {
    return this.http.call("PATCH", `/api/v1/incidents/${seg(id)}`, patch);
  }

  changeState(id: string, state: LifecycleState, note?: string): Promise<StateChangedV1> {
    return this.http.call("PATCH", `/api/v1/incidents/${seg(id)}/state`, note ? { state, note } : { state });
  }

  async acknowledge(id: string, user?: string): Promise<StateChangedV1 & { acknowledged_by: string | null }> {
    const path = `/api/v1/incidents/${seg(id)}/acknowledge${queryString({ user })}`;
    return (await this.http.call<Seed003Envelope<StateChangedV1 & { acknowledged_by: string | null }>>("POST", path))
      .data;
  }

  async resolve(
    id: string,
    resolution?: string,
    user?: string,
  ): Promise<StateChangedV1 & { resolved_by: string | null }> {
    const path = `/api/v1/incidents/${seg(id)}/resolve${queryString({ resolution, user })}`;
    return (await this.http.call<Seed003Envelope<StateChangedV1 & { resolved_by: string | null }>>("POST", path)).data;
  }

  /** Asks for a remediation action; it goes through the council like any proposal. */
  async requestAction(id: string, action: IncidentActionInput): Promise<unknown> {
    return (await this.http.call<Seed003Envelope<unknown>>("POST", `/api/v1/incidents/${seg(id)}/actions`, action))
      .data;
  }

  async timeline(id: string): Promise<TimelineEntry[]> {
    const path = `/api/v1/incidents/${seg(id)}/timeline`;
    return (await this.http.call<Seed003Envelope<{ items: TimelineEntry[] }>>("GET", path)).data.items;
  }

  async related(id: string, limit?: number): Promise<unknown[]> {
    const path = `/api/v1/incidents/${seg(id)}/related${queryString({ limit })}`;
    return (await this.http.call<Seed003Envelope<{ items: unknown[] }>>("GET", path)).data.items;
  }

  workflow(id: string): Promise<WorkflowV1> {
    return this.http.call("GET", `/api/v1/incidents/${seg(id)}/workflow`);
  }

  hypotheses(id: string): Promise<Hypothesis[]> {
    return this.http.call("GET", `/api/v1/incidents/${seg(id)}/hypotheses`);
  }

  /**
   * Opens seed 000's `/ws` and resolves once it is open: every frame from then on (none published after this
   * resolves is missed, even before the loop starts), the live
   * frames of the project's incidents, or only of `incidentId`, for `for await`. Heartbeats and fleet frames
   * (`metrics`, `container.list`) are left out. Leaving the loop (`break`, `return`, a throw) closes the socket;
   * `close()` closes it without iterating.
   */
  async live(incidentId?: string): Promise<LiveFrames> {
    const stream = await openFrameStream(this.http.url, this.http.apiKey, this.http.token());
    const frames = async function* (): AsyncGenerator<WsFrame, void, undefined> {
      try {
        for await (const frame of stream.since(0)) {
          if (frame.type === "heartbeat" || frame.type === "metrics" || frame.type === "container.list") continue;
          if (incidentId && frame.incident_id !== incidentId) continue;
          yield frame;
        }
      } finally {
        await stream.close();
      }
    };
    return Object.assign(frames(), { close: () => stream.close() });
  }
}

/** `IncidentsApi.live()`: an async iterator of frames that closes its socket when the loop ends. */
export type LiveFrames = AsyncGenerator<WsFrame, void, undefined> & { close(): Promise<void> };
