import type { MessageTemplate } from "@aegis/contracts";

/** What a page's text is built from. */
export interface PageVars {
  reference: string;
  title: string;
  service: string;
  severity: string;
  status: string;
  level: number;
  policy: string;
  action: string;
  target: string;
  reason: string;
  url: string;
}

/**
 * The templates pages are rendered from, one per kind of page; `GET /api/v1/settings/templates` lists
 * exactly these. `{{name}}` is replaced by the page's variable of that name.
 */
export const PAGE_TEMPLATES = [
  {
    id: "escalation_page",
    event: "escalation_page",
    description: "An incident nobody has acknowledged yet: sent to each target of the escalation level due.",
    title: "[{{severity}}] {{reference}} {{title}} ({{service}})",
    body: "{{reference}} on {{service}} is {{status}} and not acknowledged. Escalation level {{level}} of policy {{policy}}. Acknowledge to stop further pages: {{url}}",
  },
  {
    id: "approval_requested",
    event: "approval_requested",
    description: "The council (or the automation mode) sent an action to a human: paged until someone decides.",
    title: "Approval needed: {{action}} on {{target}} ({{reference}})",
    body: "{{reference}} on {{service}} awaits a decision on {{action}} on {{target}}: {{reason}}. Approve or reject: {{url}}",
  },
] as const satisfies readonly Omit<MessageTemplate, "variables">[];

export type PageTemplateId = (typeof PAGE_TEMPLATES)[number]["id"];

export function render(id: PageTemplateId, vars: PageVars): { title: string; body: string } {
  const t = PAGE_TEMPLATES.find((x) => x.id === id) as (typeof PAGE_TEMPLATES)[number];
  const fill = (s: string) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k as keyof PageVars] ?? ""));
  return { title: fill(t.title), body: fill(t.body) };
}

/** The templates with the variables each uses, for the settings view. */
export function templateList(): MessageTemplate[] {
  return PAGE_TEMPLATES.map((t) => ({
    ...t,
    variables: [...new Set([...`${t.title} ${t.body}`.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] as string))],
  }));
}
