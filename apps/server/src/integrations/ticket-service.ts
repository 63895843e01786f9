import { randomBytes } from "node:crypto";
import type { TicketDraft, TicketSink } from "../ports/ticket-sink.js";
import { NotFoundError } from "../shared/errors.js";
import type { Database } from "../store/database.js";
import type { TicketRow, TicketStore } from "../store/ticket-store.js";

/** A ticket on the wire (seed 001's response, plus what was stored). */
export interface Ticket {
  ticket_id: string;
  ticket_url: string;
  created_at: string;
  incident_id: string | null;
  title: string;
  description: string;
  priority: string;
  assignee: string | null;
  sink: string;
}

/**
 * Seed 001 tickets. Every ticket is stored in the project first; with a sink configured it is also
 * filed there and its id and URL are the sink's (a Jira key and browse link). Without one, the URL is
 * the product's own `GET /api/v1/tickets/{id}`.
 */
export class TicketService {
  constructor(
    private readonly database: Database,
    private readonly store: TicketStore,
    private readonly sink: TicketSink | null,
    private readonly publicUrl: string,
    /** The project's own sink (its `jira` integration in the registry); wins over `sink` when it has one. */
    private readonly sinkOf: (projectId: string) => Promise<TicketSink | null> = async () => null,
  ) {}

  async create(projectId: string, draft: TicketDraft, now = new Date()): Promise<Ticket> {
    // Filed before it is stored: a sink failure is the caller's error, not a half-made ticket.
    const sink = (await this.sinkOf(projectId)) ?? this.sink;
    const filed = sink ? await sink.file(draft) : null;
    const row = await this.store.insert(this.database.db, {
      projectId,
      id: filed?.key ?? `TICKET-${randomBytes(5).toString("hex").toUpperCase()}`,
      incidentId: draft.incidentId ?? null,
      title: draft.title,
      description: draft.description,
      priority: draft.priority,
      assignee: draft.assignee ?? null,
      sink: sink?.kind ?? "local",
      externalKey: filed?.key ?? null,
      externalUrl: filed?.url ?? null,
      createdAt: now,
    });
    return this.wire(row);
  }

  async get(projectId: string, id: string): Promise<Ticket> {
    const row = await this.store.get(this.database.db, projectId, id);
    if (!row) throw new NotFoundError(`ticket ${id} not found`);
    return this.wire(row);
  }

  async list(projectId: string, limit: number, offset: number): Promise<{ tickets: Ticket[]; total: number }> {
    const { rows, total } = await this.store.list(this.database.db, projectId, limit, offset);
    return { tickets: rows.map((r) => this.wire(r)), total };
  }

  private wire(r: TicketRow): Ticket {
    return {
      ticket_id: r.id,
      ticket_url: r.externalUrl ?? `${this.publicUrl}/api/v1/tickets/${encodeURIComponent(r.id)}`,
      created_at: r.createdAt.toISOString(),
      incident_id: r.incidentId,
      title: r.title,
      description: r.description,
      priority: r.priority,
      assignee: r.assignee,
      sink: r.sink,
    };
  }
}
