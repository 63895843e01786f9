import type { KindConfig } from "@aegis/contracts";
import type { PageMessage } from "../ports/notifier.js";
import { postJson, type SendOutcome } from "./channel-outcome.js";
import { headline, plainText } from "./page-text.js";

export const SLACK_APPROVE = "aegis_approve";
export const SLACK_REJECT = "aegis_reject";

/** Block Kit of a page: a header, the body, facts, and for an approval request Approve / Reject buttons. */
export function slackBlocks(m: PageMessage): unknown[] {
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: headline(m).slice(0, 150), emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: (m.body || m.title).slice(0, 3000) } },
  ];
  const fields = [
    m.incidentId ? `*Incident*\n${m.incidentId}` : null,
    m.severity ? `*Severity*\n${m.severity}` : null,
    m.approval ? `*Action*\n${m.approval.action} on ${m.approval.target}` : null,
    m.level ? `*Escalation level*\n${m.level}` : null,
  ].filter((f): f is string => f !== null);
  if (fields.length > 0) blocks.push({ type: "section", fields: fields.map((text) => ({ type: "mrkdwn", text })) });
  if (m.approval)
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `Why: ${m.approval.reason}`.slice(0, 2000) }] });
  const buttons: unknown[] = [];
  if (m.kind === "approval_request" && m.incidentId) {
    const value = JSON.stringify({ incident_id: m.incidentId });
    buttons.push(
      {
        type: "button",
        action_id: SLACK_APPROVE,
        style: "primary",
        text: { type: "plain_text", text: "Approve" },
        value,
      },
      {
        type: "button",
        action_id: SLACK_REJECT,
        style: "danger",
        text: { type: "plain_text", text: "Reject" },
        value,
        confirm: {
          title: { type: "plain_text", text: "Reject this action?" },
          text: { type: "mrkdwn", text: "The incident ends FAILED and nothing is executed." },
          confirm: { type: "plain_text", text: "Reject" },
          deny: { type: "plain_text", text: "Cancel" },
        },
      },
    );
  }
  if (m.url)
    buttons.push({ type: "button", action_id: "aegis_open", text: { type: "plain_text", text: "Open" }, url: m.url });
  if (buttons.length > 0) blocks.push({ type: "actions", block_id: "aegis_actions", elements: buttons });
  return blocks;
}

/**
 * Slack: `chat.postMessage` through the Web API when a bot token is set (a user's DM when the recipient
 * has a mapped Slack id, else the configured channel), otherwise the incoming webhook.
 */
export async function sendSlack(
  c: KindConfig<"slack">,
  m: PageMessage,
  opts: { timeoutMs: number; slackUserId?: string | undefined },
): Promise<SendOutcome> {
  const text = plainText(m);
  const blocks = slackBlocks(m);
  if (c.bot_token && (opts.slackUserId || c.channel)) {
    return postMessage(c, { channel: opts.slackUserId ?? c.channel, text, blocks }, opts.timeoutMs);
  }
  if (!c.webhook_url)
    return { ok: false, status: null, error: "slack: no webhook_url and no bot_token", retryable: false };
  // Incoming webhooks answer 200 `ok`, or 4xx with a plain-text reason (`invalid_payload`, `channel_not_found`…).
  return postJson(c.webhook_url, { text, blocks }, { timeoutMs: opts.timeoutMs });
}

/** Web API call: HTTP 200 with `{ok: false, error}` is a refusal; 429 carries `Retry-After`. */
export async function slackApi(
  c: KindConfig<"slack">,
  method: string,
  body: unknown,
  timeoutMs: number,
): Promise<SendOutcome & { json: Record<string, unknown> | null }> {
  const out = await postJson(`${c.api_url.replace(/\/+$/, "")}/${method}`, body, {
    headers: { authorization: `Bearer ${c.bot_token ?? ""}` },
    timeoutMs,
    judge: (status, text) => {
      if (status !== 200) return `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}`;
      const j = parse(text);
      return j?.ok === true ? null : `slack ${method}: ${String(j?.error ?? "no ok in answer")}`;
    },
  });
  return { ...out, json: parse(out.text) };
}

function postMessage(c: KindConfig<"slack">, body: Record<string, unknown>, timeoutMs: number) {
  return slackApi(c, "chat.postMessage", body, timeoutMs);
}

function parse(text: string): Record<string, unknown> | null {
  try {
    const j = JSON.parse(text) as unknown;
    return typeof j === "object" && j !== null ? (j as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
