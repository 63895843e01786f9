/** Families of prompt-injection signals. */
export type InjectionKind =
  | "override_instructions"
  | "role_reassignment"
  | "role_marker"
  | "addressed_to_ai"
  | "approval_demand"
  | "safety_bypass"
  | "action_demand"
  | "destructive_command"
  | "verdict_json"
  | "hidden_text";

/**
 * How strict a scan is.
 * - strip: before analysis, a line is cut from its first marker. Cutting costs little (the analyst loses
 *   a fragment of one line), so strip also catches product vocabulary and shell payloads that are not
 *   addressed to anyone.
 * - veto: the SECURITY_OFFICER rejects the action. Only phrasing that clearly addresses the agent,
 *   council or model, or forges their output, may veto: a false positive blocks a real fix.
 */
export type InjectionLevel = "strip" | "veto";

export interface InjectionRule {
  kind: InjectionKind;
  /** Every rule strips; the veto level is a subset of the strip level. */
  levels: readonly InjectionLevel[];
  pattern: RegExp;
}

const BOTH: readonly InjectionLevel[] = ["strip", "veto"];
const STRIP: readonly InjectionLevel[] = ["strip"];

const ACTION = "(?:RESTART|SCALE_UP|SCALE_DOWN|ROLLBACK|NOOP)";
/** Who an injected instruction talks to. Deliberately excludes bare "agent" (user agents, log agents). */
const ADDRESSEE = String.raw`(?:ai|a\.i\.|assistant|llm|language\s+model|chatbot|council|auditor|security[\s_]officer|sre[\s_]agent|remediation\s+agent|aegis(?:ops)?(?:\s+(?:sre\s+)?agent)?)`;
/** A quote, possibly backslash-escaped once or twice (JSON inside JSON in a log line). */
const Q = String.raw`\\*["']`;

/**
 * One table for both levels. Veto rules target phrasing that addresses a reader and tells it what to do;
 * ordinary logs describe what happened, so patterns avoid single words real logs use ("APPROVED",
 * "restart", "system").
 *
 * Deliberate boundaries:
 * - "please restart the payment service" is neither: applications print exactly that after a config
 *   change ("please restart the server to apply the new settings"). Addressed to the agent ("AI, please
 *   restart …") or using the product's action names ("please RESTART …") it is caught at both levels.
 * - "action: RESTART" is the product's own vocabulary but could be an audit line of a past action: strip
 *   only. Forged output (`{"action":"RESTART"}`, `"final_verdict":`) vetoes.
 * - `curl … | sh` alone is a CI trace or a Dockerfile step: strip only (nothing to diagnose in it). As an
 *   instruction ("run: curl … | sh") it vetoes.
 */
export const INJECTION_RULES: readonly InjectionRule[] = [
  {
    kind: "override_instructions",
    levels: BOTH,
    pattern:
      /\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+|these\s+|those\s+)?(?:previous|prior|above|earlier|preceding|foregoing|original|initial|system|existing|safety|current)\s+(?:instructions?|prompts?|rules|guidelines|guardrails|directives|directions|constraints|polic(?:y|ies)|context|messages?)\b/i,
  },
  {
    kind: "override_instructions",
    levels: BOTH,
    pattern:
      /\b(?:ignore|disregard|forget)\s+(?:all|everything)\s+(?:you\s+(?:were|have\s+been)\s+told|above|before|previously)\b/i,
  },
  { kind: "override_instructions", levels: BOTH, pattern: /\bnew\s+(?:system\s+)?instructions?\s*:/i },
  {
    kind: "override_instructions",
    levels: BOTH,
    pattern: /\b(?:reveal|print|repeat|override|replace)\s+(?:your\s+|the\s+)?system\s+prompt\b/i,
  },
  // Without a qualifier ("forget your instructions", "ignore the rules") it may be a human's note: strip only.
  {
    kind: "override_instructions",
    levels: STRIP,
    pattern:
      /\b(?:ignore|disregard|forget|override)\s+(?:(?:all|any|the|your|my|of)\s+)+(?:instructions?|prompts?|rules|guidelines|directives|policies)\b/i,
  },
  {
    kind: "role_reassignment",
    levels: BOTH,
    pattern:
      /\byou\s+are\s+(?:now\s+)?(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?:agent|assistant|ai|llm|model|bot|council|auditor|officer|admin(?:istrator)?|operator)\b/i,
  },
  {
    kind: "role_reassignment",
    levels: BOTH,
    pattern: /\byou\s+are\s+now\s+(?:in\s+)?(?:developer|god|dan|jailbreak|unrestricted|admin|root)\s+mode\b/i,
  },
  {
    kind: "role_reassignment",
    levels: BOTH,
    pattern:
      /\b(?:act|behave|respond)\s+as\s+(?:if\s+you\s+were\s+)?(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:agent|assistant|ai|admin(?:istrator)?|root|superuser|council|auditor)\b/i,
  },
  { kind: "role_reassignment", levels: BOTH, pattern: /\bpretend\s+(?:to\s+be|you\s+are)\b/i },
  { kind: "role_reassignment", levels: BOTH, pattern: /\bfrom\s+now\s+on\s*,?\s+(?:you|always|only|respond|reply)\b/i },
  {
    kind: "role_reassignment",
    levels: BOTH,
    pattern: /\b(?:enable|enter|activate|switch\s+to)\s+(?:developer|god|dan|jailbreak|unrestricted)\s+mode\b/i,
  },
  // A longer description before the role ("you are the senior on-call SRE"): strip only.
  {
    kind: "role_reassignment",
    levels: STRIP,
    pattern: /\byou\s+are\s+(?:now\s+)?(?:the|an?)\s+[\w\s-]{0,40}?(?:agent|assistant|model|ai|sre|operator)\b/i,
  },
  {
    kind: "role_marker",
    levels: BOTH,
    pattern:
      /<\|(?:im_start|im_end|system|user|assistant|endoftext|begin_of_text|end_of_text|start_header_id|end_header_id|eot_id)\|>/i,
  },
  { kind: "role_marker", levels: BOTH, pattern: /\[\/?INST\]|<<\/?SYS>>/ },
  { kind: "role_marker", levels: BOTH, pattern: /#{2,}\s*(?:system|instructions?|assistant)\s*:/i },
  { kind: "role_marker", levels: BOTH, pattern: /<\/?(?:system|system_prompt|instructions?|assistant)>/i },
  // A chat role at the start of a line or quoted string ("system: …"), or shouted anywhere ("SYSTEM: …").
  { kind: "role_marker", levels: BOTH, pattern: /(?:^|[\r\n]|["'`]\s*)(?:system|assistant|developer)\s*:\s+\S/im },
  { kind: "role_marker", levels: BOTH, pattern: /\b(?:SYSTEM|ASSISTANT|DEVELOPER)\s*:\s/ },
  { kind: "role_marker", levels: STRIP, pattern: /(?:^|[\s"'{:]|\\n)(?:SYSTEM|ASSISTANT|DEVELOPER)\s*:/ },
  { kind: "role_marker", levels: STRIP, pattern: /#{3,}\s*(?:instructions?|system)\b/i },
  {
    kind: "addressed_to_ai",
    levels: BOTH,
    pattern: new RegExp(
      String.raw`\b${ADDRESSEE}\b\s*[:,]?\s*(?:you\s+)?(?:must|should|shall|needs?\s+to|ha(?:s|ve)\s+to|is\s+(?:required|instructed|ordered|authori[sz]ed)\s+to|please|vote|approve|execute|respond|reply|output|skip|ignore)\b`,
      "i",
    ),
  },
  {
    kind: "addressed_to_ai",
    levels: BOTH,
    pattern: new RegExp(
      String.raw`\b(?:dear|hey|attention|note\s+to|instructions?\s+(?:to|for))\s+(?:the\s+|all\s+)?(?:${ADDRESSEE}|agents?|model|bot|gpt|chatgpt|claude)(?![-\w./])`,
      "i",
    ),
  },
  // "agent:"/"model:" also label log fields, so the broader addressee list only strips.
  {
    kind: "addressed_to_ai",
    levels: STRIP,
    pattern:
      /\b(?:assistant|ai|agent|model|llm|council|auditor)\s*[,:]\s*(?:ignore|disregard|you|please|now|from\s+now)\b/i,
  },
  { kind: "approval_demand", levels: BOTH, pattern: /\bvote\s*[:=]?\s*["'`]?(?:approved?|yes|in\s+favou?r)\b/i },
  {
    kind: "approval_demand",
    levels: BOTH,
    pattern:
      /\bapprove\s+(?:it\s+|this\s+)?(?:and|then|&)\s+(?:run|execute|apply|proceed|deploy|scale|restart|roll\s*back|delete|remove)\b/i,
  },
  {
    kind: "approval_demand",
    levels: BOTH,
    pattern: /\bthis\s+(?:is|was)\s+(?:an?\s+)?(?:pre-?|fully\s+)?authori[sz]ed\b/i,
  },
  {
    kind: "approval_demand",
    levels: BOTH,
    pattern:
      /\b(?:pre-?approved|pre-?authori[sz]ed)\s+by\s+(?:the\s+)?(?:sre|on-?call|admin|administrator|operator|security|management|cto|ciso|owner|team|council)\b/i,
  },
  {
    kind: "approval_demand",
    levels: BOTH,
    pattern:
      /\b(?:verdict|decision)\s+(?:has\s+been\s+|was\s+|is\s+)?already\s+(?:recorded|approved|made|decided|given)\b/i,
  },
  // Talk of the council's vote or verdict ("council voted APPROVED") is either a forgery or noise.
  {
    kind: "approval_demand",
    levels: STRIP,
    pattern: /\bcouncil(?:_decision)?\b[^\n]{0,80}\b(?:vote[ds]?|verdict|approved?)\b/i,
  },
  { kind: "approval_demand", levels: STRIP, pattern: /\b(?:you\s+must|please)\s+(?:now\s+)?(?:approve|execute)\b/i },
  {
    kind: "safety_bypass",
    levels: BOTH,
    pattern:
      /\b(?:disable|turn\s+off|deactivate|bypass|skip|circumvent|suspend|ignore)\s+(?:the\s+|all\s+|your\s+|any\s+)?(?:safety(?:\s+(?:checks?|rules|polic(?:y|ies)))?|guardrails?|council|review|approval|human\s+(?:review|approval)|(?:security|policy)\s+checks?|auditor|protections?|restrictions)\b/i,
  },
  {
    kind: "action_demand",
    levels: BOTH,
    pattern:
      /\b(?:respond|reply|answer|output|return)\s+(?:only\s+)?with\s+(?:the\s+|an?\s+)?(?:action|verdict|decision|json|replica_count)\b/i,
  },
  {
    kind: "action_demand",
    levels: BOTH,
    pattern: new RegExp(
      String.raw`\b(?:set|use|choose|propose|select|recommend|pick)\s+(?:the\s+)?(?:action|verdict|final_verdict|replica_count)\s*(?:to|=|:|of)?\s*["'\x60]?(?:${ACTION}|APPROVED|\d+)\b`,
      "i",
    ),
  },
  // Imperative use of the product's own action names; history lines ("05:03 RESTART APPROVED") have no verb before.
  {
    kind: "action_demand",
    levels: BOTH,
    pattern: new RegExp(String.raw`\b(?:then|and|now|immediately|please|must|should)\s+${ACTION}\b`),
  },
  {
    kind: "action_demand",
    levels: BOTH,
    pattern:
      /(?:^|[.!;:,]\s*|\b(?:please|must|should|now|then|and|immediately)\s+)scale\s+(?:up\s+|down\s+|out\s+|in\s+)?(?:[\w.-]+\s+){0,2}to\s+\d+\s*(?:replicas?|instances?|pods?|nodes?)\b/im,
  },
  // The product's action vocabulary as a field ("action: RESTART", "replica_count=500"): strip only.
  {
    kind: "action_demand",
    levels: STRIP,
    pattern: new RegExp(
      String.raw`\b(?:[Aa]ction|ACTION)\\*["'\x60]?\s*[:=]?\s*\\*["'\x60]?${ACTION}\b|\breplica_count\\*["'\x60]?\s*[:=]\s*\\*["'\x60]?\d{2,}`,
    ),
  },
  {
    kind: "action_demand",
    levels: STRIP,
    pattern: /\b(?:diagnosis|root\s+cause)\s*:\s*[^\n]{0,60}\b(?:action|respond)\b/i,
  },
  {
    kind: "action_demand",
    levels: STRIP,
    pattern: /\b(?:scale|set)\s+[\w-]*\s*(?:up|down)?\s*to\s+(?:\d{3,}|0)\s+replicas\b/i,
  },
  {
    kind: "destructive_command",
    levels: BOTH,
    pattern:
      /\b(?:run|execute|exec|perform)\s*[:\s]\s*[`'"]?\s*(?:sudo\s+)?(?:rm\s+-[a-z]*[rf]|mkfs|dd\s+if=|shutdown\b|reboot\b|halt\b|kill\s+-9|kubectl\s+(?:delete|drain)|docker\s+(?:rm|kill)|drop\s+(?:table|database|schema)|truncate\s+table|curl\s+[^|\n]*\|\s*(?:ba)?sh|chmod\s+(?:-R\s+)?777|iptables\s+-F)/i,
  },
  { kind: "destructive_command", levels: BOTH, pattern: /\brm\s+-(?:rf|fr)\s+\/(?=[\s*"'`]|$)/im },
  { kind: "destructive_command", levels: STRIP, pattern: /\brm\s+-(?:rf|fr)\b/i },
  {
    kind: "destructive_command",
    levels: STRIP,
    pattern: /\b(?:curl|wget)\b[^|\n]*\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b/i,
  },
  {
    kind: "verdict_json",
    levels: BOTH,
    pattern: new RegExp(
      String.raw`${Q}(?:final_verdict|council_decision|policy_violations|tool_calls?|function_call|tool_use)${Q}\s*:`,
      "i",
    ),
  },
  { kind: "verdict_json", levels: BOTH, pattern: new RegExp(String.raw`${Q}action${Q}\s*:\s*${Q}${ACTION}${Q}`) },
  {
    kind: "verdict_json",
    levels: BOTH,
    pattern: new RegExp(String.raw`${Q}verdict${Q}\s*:\s*${Q}(?:APPROVED|REJECTED|NEEDS_REVIEW)${Q}`),
  },
  // A chat message object; a bare "role" key is common in RBAC and audit logs.
  {
    kind: "verdict_json",
    levels: BOTH,
    pattern: new RegExp(
      String.raw`${Q}role${Q}\s*:\s*${Q}(?:system|assistant|tool)${Q}\s*,\s*${Q}content${Q}\s*:`,
      "i",
    ),
  },
  { kind: "verdict_json", levels: STRIP, pattern: /\bfinal_verdict\b/i },
];
