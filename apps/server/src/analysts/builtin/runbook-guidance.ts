import type { ActionType } from "@aegis/contracts";
import type { RunbookMatch } from "../../ports/knowledge-base.js";

export interface RunbookGuidance {
  /** The best runbook when it is a good match (medium or high confidence), else null. */
  runbook: RunbookMatch | null;
  /** The one runtime action its mitigation section calls for, when it clearly names exactly one. */
  implied: ActionType | null;
}

/** Headings of the section that says what to do. */
const MITIGATION_HEADING = /^(#{1,6})\s*(mitigation|remediation|resolution|how to fix|fix|solution)s?\b[^\n]*$/im;

/** Phrases that name a runtime action in a runbook's mitigation text. */
const ACTION_PHRASES: [ActionType, RegExp][] = [
  [
    "ROLLBACK",
    /\b(roll(?:ing|ed)?[ -]?back|revert(?:ing)? (?:the |a )?(?:deploy|release|change|rollout|version|config))/i,
  ],
  [
    "SCALE_UP",
    /\b(scal(?:e|ing) (?:it |the \w+ )?(?:up|out)|add(?:ing)? (?:more )?replicas|increas(?:e|ing) (?:the )?(?:number of )?replicas)\b/i,
  ],
  ["SCALE_DOWN", /\b(scal(?:e|ing) (?:it |the \w+ )?(?:down|in)|reduc(?:e|ing) (?:the )?(?:number of )?replicas)\b/i],
  ["RESTART", /\b(restart(?:ing)? (?:the |it|them|a )|delet(?:e|ing) the pod|bounc(?:e|ing) the)/i],
];

/**
 * What the best-matching runbook says about this incident: which one to cite (only a good match is
 * cited), and which action its mitigation names when it names exactly one. A runbook that mentions
 * both a restart and a rollback does not clearly imply either.
 */
export function runbookGuidance(runbooks: readonly RunbookMatch[] | undefined): RunbookGuidance {
  const best = runbooks?.[0];
  if (!best || best.confidence === "low") return { runbook: null, implied: null };
  return { runbook: best, implied: impliedAction(best.body) };
}

/** The single action a runbook's mitigation section names, or null (none, several, or no such section). */
export function impliedAction(body: string): ActionType | null {
  const heading = MITIGATION_HEADING.exec(body);
  if (!heading) return null;
  const rest = body.slice(heading.index + heading[0].length);
  // The section runs to the next heading of the same or a higher level (its subsections belong to it).
  const level = (heading[1] as string).length;
  const next = new RegExp(`^#{1,${level}}\\s`, "m").exec(rest);
  const section = next ? rest.slice(0, next.index) : rest;
  const named = ACTION_PHRASES.filter(([, re]) => re.test(section)).map(([a]) => a);
  return named.length === 1 ? (named[0] as ActionType) : null;
}

/** "Runbook: Title (id, high-confidence match)". */
export function citeRunbook(r: RunbookMatch): string {
  return `${r.title} (${r.id}, ${r.confidence}-confidence match, score ${r.score.toFixed(2)})`;
}
