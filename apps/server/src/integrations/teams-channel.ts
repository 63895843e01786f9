import type { KindConfig } from "@aegis/contracts";
import type { PageMessage } from "../ports/notifier.js";
import { postJson, type SendOutcome } from "./channel-outcome.js";
import { headline } from "./page-text.js";

/** `data.aegis_action` of the card's Action.Submit buttons, echoed back in the callback's `value`. */
export const TEAMS_ACTION_FIELD = "aegis_action";

/** An Adaptive Card 1.4 for a page; an approval request adds Approve / Reject (Action.Submit). */
export function adaptiveCard(m: PageMessage): Record<string, unknown> {
  const facts = [
    m.incidentId ? { title: "Incident", value: m.incidentId } : null,
    m.severity ? { title: "Severity", value: m.severity } : null,
    m.approval ? { title: "Action", value: `${m.approval.action} on ${m.approval.target}` } : null,
    m.approval ? { title: "Why", value: m.approval.reason } : null,
    m.level ? { title: "Escalation level", value: String(m.level) } : null,
  ].filter((f) => f !== null);
  const actions: unknown[] = [];
  if (m.kind === "approval_request" && m.incidentId) {
    for (const [title, decision, style] of [
      ["Approve", "approve", "positive"],
      ["Reject", "reject", "destructive"],
    ] as const) {
      actions.push({
        type: "Action.Submit",
        title,
        style,
        data: { [TEAMS_ACTION_FIELD]: decision, incident_id: m.incidentId },
      });
    }
  }
  if (m.url) actions.push({ type: "Action.OpenUrl", title: "Open", url: m.url });
  return {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    body: [
      {
        type: "TextBlock",
        text: headline(m),
        weight: "Bolder",
        size: "Medium",
        wrap: true,
        color: m.severity === "critical" ? "Attention" : "Default",
      },
      { type: "TextBlock", text: m.body || m.title, wrap: true },
      ...(facts.length > 0 ? [{ type: "FactSet", facts }] : []),
    ],
    ...(actions.length > 0 ? { actions } : {}),
  };
}

/**
 * Microsoft Teams incoming webhook (connector or Workflows): a `message` whose attachment is the card.
 * Connectors answer 200 `1`; Workflows answer 202; a refusal comes back as 4xx text.
 */
export function sendTeams(c: KindConfig<"teams">, m: PageMessage, opts: { timeoutMs: number }): Promise<SendOutcome> {
  return postJson(
    c.webhook_url,
    {
      type: "message",
      attachments: [
        { contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: adaptiveCard(m) },
      ],
    },
    { timeoutMs: opts.timeoutMs },
  );
}
