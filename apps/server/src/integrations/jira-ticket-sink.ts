import type { FiledTicket, TicketDraft, TicketSink } from "../ports/ticket-sink.js";
import { UpstreamError } from "../shared/errors.js";

export interface JiraSettings {
  baseUrl: string;
  email: string;
  apiToken: string;
  projectKey: string;
  issueType: string;
  timeoutMs: number;
}

/** Seed 001 priorities onto Jira's default priority scheme. */
const PRIORITY: Record<TicketDraft["priority"], string> = {
  critical: "Highest",
  high: "High",
  medium: "Medium",
  low: "Low",
};

/** Jira Cloud REST v3 `POST /rest/api/3/issue`, basic auth with an account email and API token. */
export class JiraTicketSink implements TicketSink {
  readonly kind = "jira";

  constructor(private readonly s: JiraSettings) {}

  async file(draft: TicketDraft): Promise<FiledTicket> {
    const base = this.s.baseUrl.replace(/\/+$/, "");
    const auth = Buffer.from(`${this.s.email}:${this.s.apiToken}`).toString("base64");
    const res = await fetch(`${base}/rest/api/3/issue`, {
      method: "POST",
      headers: { authorization: `Basic ${auth}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ fields: this.fields(draft) }),
      signal: AbortSignal.timeout(this.s.timeoutMs),
    }).catch((err: unknown) => {
      throw new UpstreamError(`Jira unreachable: ${(err as Error).message}`, "ticket_sink_unreachable");
    });
    const body = (await res.json().catch(() => null)) as JiraCreated | JiraErrors | null;
    if (res.status !== 201 || !body || !("key" in body)) {
      throw new UpstreamError(`Jira refused the issue (HTTP ${res.status}): ${describe(body)}`, "ticket_sink_refused");
    }
    return { key: body.key, url: `${base}/browse/${body.key}` };
  }

  private fields(d: TicketDraft): Record<string, unknown> {
    const text = d.incidentId ? `${d.description}\n\nAegisOps incident: ${d.incidentId}` : d.description;
    return {
      project: { key: this.s.projectKey },
      issuetype: { name: this.s.issueType },
      summary: d.title.slice(0, 255), // Jira's summary limit
      // v3 takes descriptions in Atlassian Document Format, not plain text.
      description: { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text }] }] },
      priority: { name: PRIORITY[d.priority] },
      ...(d.assignee ? { assignee: { id: d.assignee } } : {}),
    };
  }
}

interface JiraCreated {
  id: string;
  key: string;
  self: string;
}

interface JiraErrors {
  errorMessages?: string[];
  errors?: Record<string, string>;
}

function describe(body: JiraCreated | JiraErrors | null): string {
  if (!body || "key" in body) return "no error body";
  const fields = Object.entries(body.errors ?? {}).map(([k, v]) => `${k}: ${v}`);
  return [...(body.errorMessages ?? []), ...fields].join("; ") || "no error body";
}
