/** A ticket as the product asks an external ticketing system to open it. */
export interface TicketDraft {
  title: string;
  description: string;
  priority: "critical" | "high" | "medium" | "low";
  assignee?: string | undefined;
  incidentId?: string | undefined;
}

/** Where the ticketing system filed it: its key (e.g. `OPS-42`) and a URL a person can open. */
export interface FiledTicket {
  key: string;
  url: string;
}

/** Port: an external ticketing system (Jira Cloud today). */
export interface TicketSink {
  readonly kind: string;
  file(draft: TicketDraft): Promise<FiledTicket>;
}
