import type { IncidentResult } from "@aegis/contracts";
import type { EventBus } from "../ports/event-bus.js";
import type { Notifier, PageMessage, PageTarget } from "../ports/notifier.js";
import { AegisError, AuthError, ConflictError, NotFoundError } from "../shared/errors.js";
import type { Logger } from "../shared/logger.js";
import type { AccountStore } from "../store/account-store.js";
import type { Database } from "../store/database.js";
import type { IncidentStore } from "../store/incident-store.js";
import { REPLAY_WINDOW_SECS, SeenWithin, verifySlackSignature, verifyTeamsSignature } from "./chat-signatures.js";
import type { IntegrationRegistry, OpenedIntegration } from "./integration-registry.js";
import { SLACK_APPROVE, SLACK_REJECT } from "./slack-channel.js";
import { TEAMS_ACTION_FIELD } from "./teams-channel.js";

/** The human decision use case (the incident service): the council's rules and the timeline apply there. */
export interface ApprovalDecider {
  approve(projectId: string, idOrRef: string, by: string, note?: string): Promise<IncidentResult>;
  reject(projectId: string, idOrRef: string, by: string, note?: string): Promise<IncidentResult>;
}

/** What the chat user is told, and what happened. */
export interface ChatReply {
  outcome: "approved" | "rejected" | "refused" | "already_decided" | "ignored";
  text: string;
}

type Decision = "approve" | "reject";

/** How long a project's chat integrations are reused by approval requests. */
const CHATS_TTL_MS = 1000;

/**
 * Approve or reject from chat. When the council sends a proposal to a human (an incident enters
 * AWAITING_APPROVAL), the request goes to every enabled Slack and Teams integration of its project, with
 * buttons. A click comes back signed (Slack signing secret; Teams HMAC), within the replay window and
 * once; the chat user is mapped (`user_map`) to a product user, whose role in the project decides
 * (viewers cannot approve), and the decision goes through the incident service as that user. Each
 * callback is recorded in the integration's log.
 */
export class ChatApprovals {
  private readonly seen = new SeenWithin();
  private unsubscribe: (() => void) | null = null;
  /**
   * Each project's chat integrations, read once per second at most: an alert storm's batch of decisions
   * asks for approval many times at once, and each ask read the integrations table (issue #17). A chat
   * integration added or changed reaches approval requests within a second.
   */
  private readonly chats = new Map<string, { at: number; list: Promise<OpenedIntegration[]> }>();

  constructor(
    private readonly d: {
      database: Database;
      registry: Pick<IntegrationRegistry, "openAll" | "openGlobal" | "log" | "logOnce">;
      notifier: Notifier;
      accounts: AccountStore;
      incidents: IncidentStore;
      decider: ApprovalDecider;
      logger: Logger;
      /** Links to an incident: `${publicUrl}/api/v1/incidents/{id}`. */
      publicUrl: string;
      timeoutMs: number;
    },
  ) {}

  start(bus: EventBus): void {
    this.unsubscribe = bus.subscribe((frame, projectId) => {
      if (frame.type !== "status.update" || frame.data.status !== "AWAITING_APPROVAL") return;
      this.requestApproval(projectId, frame.data.incident_id, frame.data.message).catch((err: unknown) =>
        this.d.logger.warn({ err, incident: frame.data.incident_id }, "approval request to chat failed"),
      );
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Posts the approval request with buttons to the project's chat channels; returns how many were sent. */
  async requestApproval(projectId: string, incidentId: string, why: string): Promise<number> {
    const chats = await this.chatsOf(projectId);
    if (chats.length === 0) return 0;
    const incident = await this.d.incidents.get(this.d.database.db, projectId, incidentId);
    if (!incident) return 0;
    // Once per incident and chat, whichever server saw the hand-off first (and not again after a restart).
    const channels: PageTarget[] = [];
    for (const i of chats) {
      const claimed = await this.d.registry.logOnce(i.row, `approval-request:${i.row.id}:${incidentId}`, {
        event: "approval_request",
        level: "info",
        status: "claimed",
        message: `approval request for ${incidentId}`,
        incidentId,
      });
      if (claimed) channels.push({ kind: "channel", channel: i.row.id });
    }
    if (channels.length === 0) return 0;
    const message: PageMessage = {
      kind: "approval_request",
      incidentId,
      title: `${incident.alert_type}${incident.container_name ? ` on ${incident.container_name}` : ""}`,
      body: incident.analysis?.root_cause ?? why,
      severity: severityOf(incident.severity),
      url: `${this.d.publicUrl}/api/v1/incidents/${encodeURIComponent(incidentId)}`,
      approval: {
        action: incident.analysis?.action ?? "unknown",
        target: incident.container_name ?? "unknown",
        reason: incident.council_decision?.summary ?? why,
      },
    };
    const sent = await this.d.notifier.notify(projectId, channels, message);
    return sent.filter((s) => s.status === "sent").length;
  }

  private chatsOf(projectId: string): Promise<OpenedIntegration[]> {
    const now = performance.now();
    const hit = this.chats.get(projectId);
    if (hit && now - hit.at < CHATS_TTL_MS) return hit.list;
    const list = this.d.registry.openAll(projectId, ["slack", "teams"]);
    this.chats.set(projectId, { at: now, list });
    // A failed read is not kept: the next request reads again.
    list.catch(() => {
      if (this.chats.get(projectId)?.list === list) this.chats.delete(projectId);
    });
    return list;
  }

  /** Slack interactivity (`application/x-www-form-urlencoded`, `payload=` a `block_actions` JSON). */
  async slack(
    integrationId: string,
    rawBody: string,
    headers: { timestamp: string | undefined; signature: string | undefined },
  ): Promise<ChatReply> {
    const i = await this.integration(integrationId, "slack");
    if (i.kind !== "slack" || !i.config.signing_secret)
      throw new AuthError("this Slack integration has no signing_secret");
    const verdict = verifySlackSignature(i.config.signing_secret, headers, rawBody);
    if (verdict === "stale")
      throw new AuthError(`X-Slack-Request-Timestamp missing or outside the ${REPLAY_WINDOW_SECS} s window`);
    if (verdict === "bad_signature") throw new AuthError("X-Slack-Signature does not match");
    const payload = slackPayload(rawBody);
    const action = payload?.actions?.[0];
    const decision =
      action?.action_id === SLACK_APPROVE ? "approve" : action?.action_id === SLACK_REJECT ? "reject" : null;
    const incidentId = incidentOf(action?.value);
    if (!payload || !decision || !incidentId)
      return { outcome: "ignored", text: "Nothing to do for this interaction." };
    const once = payload.trigger_id ?? `${payload.user?.id}:${action?.action_ts}`;
    const chatUser = payload.user?.id ?? "";
    const reply = this.seen.first(`slack:${once}`)
      ? await this.decide(i, decision, incidentId, chatUser, `Slack ${payload.user?.username ?? chatUser}`)
      : { outcome: "ignored" as const, text: "This click was already handled." };
    if (payload.response_url) await this.respondSlack(payload.response_url, reply);
    return reply;
  }

  /**
   * Teams: the Adaptive Card's Action.Submit as a Bot Framework activity (`value` carries the card's data),
   * relayed to us signed like a Teams outgoing webhook (`Authorization: HMAC …`).
   */
  async teams(integrationId: string, rawBody: string, authorization: string | undefined): Promise<ChatReply> {
    const i = await this.integration(integrationId, "teams");
    if (i.kind !== "teams" || !i.config.callback_secret)
      throw new AuthError("this Teams integration has no callback_secret");
    if (!verifyTeamsSignature(i.config.callback_secret, authorization, rawBody)) {
      throw new AuthError("Authorization HMAC does not match");
    }
    const activity = teamsActivity(rawBody);
    const at = Date.parse(activity?.timestamp ?? "");
    if (Number.isNaN(at) || Math.abs(Date.now() - at) > REPLAY_WINDOW_SECS * 1000) {
      throw new AuthError(`activity timestamp missing or outside the ${REPLAY_WINDOW_SECS} s window`);
    }
    const value = activity?.value ?? {};
    const decision =
      value[TEAMS_ACTION_FIELD] === "approve" || value[TEAMS_ACTION_FIELD] === "reject"
        ? value[TEAMS_ACTION_FIELD]
        : null;
    const incidentId = typeof value.incident_id === "string" ? value.incident_id : null;
    if (!activity || !decision || !incidentId) return { outcome: "ignored", text: "Nothing to do for this activity." };
    const chatUser = activity.from?.aadObjectId ?? activity.from?.id ?? "";
    if (!this.seen.first(`teams:${activity.id ?? `${chatUser}:${activity.timestamp}`}`)) {
      return { outcome: "ignored", text: "This click was already handled." };
    }
    return this.decide(i, decision as Decision, incidentId, chatUser, `Teams ${activity.from?.name ?? chatUser}`);
  }

  private async integration(id: string, kind: "slack" | "teams"): Promise<OpenedIntegration> {
    const i = await this.d.registry.openGlobal(id);
    if (!i || i.kind !== kind) throw new NotFoundError(`no ${kind} integration ${id}`);
    if (!i.row.enabled) throw new NotFoundError(`integration ${id} is disabled`);
    return i;
  }

  /** Acts as the product user mapped to `chatUser`, with that user's role in the integration's project. */
  private async decide(
    i: OpenedIntegration,
    decision: Decision,
    incidentId: string,
    chatUser: string,
    via: string,
  ): Promise<ChatReply> {
    const projectId = i.row.projectId;
    const map = i.kind === "slack" || i.kind === "teams" ? (i.config.user_map ?? {}) : {};
    const email = map[chatUser]?.toLowerCase();
    const db = this.d.database.db;
    const user = email ? await this.d.accounts.userByEmail(db, email) : null;
    const role = user ? await this.d.accounts.roleOf(db, projectId, user.id) : null;
    let reply: ChatReply;
    if (!email || !user) {
      reply = {
        outcome: "refused",
        text: `Your ${via.split(" ")[0]} account is not mapped to an AegisOps user; ask an admin to add it to the integration's user_map.`,
      };
    } else if (!role || role === "viewer") {
      reply = {
        outcome: "refused",
        text: `${email} cannot ${decision} in this project: it needs the member role or above (has ${role ?? "none"}).`,
      };
    } else {
      reply = await this.apply(projectId, decision, incidentId, `${email} (via ${via})`);
    }
    await this.d.registry.log(i.row, {
      event: "callback",
      level: reply.outcome === "refused" ? "warning" : "info",
      status: reply.outcome,
      message: `${decision} ${incidentId} by chat user ${chatUser}${email ? ` (${email})` : ""}: ${reply.text}`,
      incidentId,
      detail: { decision, chat_user: chatUser, user_id: user?.id ?? null, role },
    });
    return reply;
  }

  private async apply(projectId: string, decision: Decision, incidentId: string, by: string): Promise<ChatReply> {
    try {
      if (decision === "approve") {
        await this.d.decider.approve(projectId, incidentId, by, "from chat");
        return { outcome: "approved", text: `✅ ${incidentId} approved by ${by}.` };
      }
      await this.d.decider.reject(projectId, incidentId, by, "from chat");
      return { outcome: "rejected", text: `⛔ ${incidentId} rejected by ${by}.` };
    } catch (err) {
      if (err instanceof ConflictError) return { outcome: "already_decided", text: err.message };
      if (err instanceof AegisError) return { outcome: "refused", text: err.message };
      throw err;
    }
  }

  /** Updates the original message after a decision; a refusal is shown to the clicker only. */
  private async respondSlack(responseUrl: string, reply: ChatReply): Promise<void> {
    const decided = reply.outcome === "approved" || reply.outcome === "rejected";
    const body = decided
      ? { replace_original: true, text: reply.text }
      : { replace_original: false, response_type: "ephemeral", text: reply.text };
    try {
      const res = await fetch(responseUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.d.timeoutMs),
      });
      await res.body?.cancel();
    } catch (err) {
      this.d.logger.warn({ err }, "Slack response_url did not take the answer");
    }
  }
}

interface SlackBlockActions {
  type?: string;
  trigger_id?: string;
  response_url?: string;
  user?: { id?: string; username?: string };
  actions?: { action_id?: string; value?: string; action_ts?: string }[];
}

function slackPayload(rawBody: string): SlackBlockActions | null {
  const payload = new URLSearchParams(rawBody).get("payload");
  if (!payload) return null;
  try {
    const p = JSON.parse(payload) as SlackBlockActions;
    return p.type === "block_actions" ? p : null;
  } catch {
    return null;
  }
}

interface TeamsActivity {
  id?: string;
  type?: string;
  timestamp?: string;
  from?: { id?: string; aadObjectId?: string; name?: string };
  value?: Record<string, unknown>;
}

function teamsActivity(rawBody: string): TeamsActivity | null {
  try {
    const a = JSON.parse(rawBody) as TeamsActivity;
    return typeof a === "object" && a !== null ? a : null;
  } catch {
    return null;
  }
}

function incidentOf(value: string | undefined): string | null {
  try {
    const v = JSON.parse(value ?? "") as { incident_id?: unknown };
    return typeof v.incident_id === "string" ? v.incident_id : null;
  } catch {
    return null;
  }
}

function severityOf(s: string | null | undefined): PageMessage["severity"] {
  const v = s?.toLowerCase();
  if (v === "critical") return "critical";
  if (v === "high" || v === "error") return "high";
  if (v === "medium" || v === "warning") return "medium";
  if (v === "low" || v === "info") return "low";
  return undefined;
}
