import type { PageMessage } from "../ports/notifier.js";

/** One line naming the page: `[CRITICAL] title`. */
export function headline(m: PageMessage): string {
  const sev = m.severity ? `[${m.severity.toUpperCase()}] ` : "";
  const what = m.kind === "approval_request" ? "Approval needed: " : m.kind === "resolve" ? "Resolved: " : "";
  return `${sev}${what}${m.title}`;
}

/** The page as plain text (email bodies, fallbacks of rich chat messages). */
export function plainText(m: PageMessage): string {
  const lines = [headline(m), "", m.body];
  if (m.approval)
    lines.push("", `Proposed action: ${m.approval.action} on ${m.approval.target}`, `Why: ${m.approval.reason}`);
  if (m.incidentId) lines.push("", `Incident: ${m.incidentId}`);
  if (m.url) lines.push(m.url);
  return lines.join("\n");
}
