/** Families of prompt-injection signals the detector recognises. */
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

export interface InjectionSignal {
  kind: InjectionKind;
  /** Short single-line excerpt of the matched text, for the vote's reasoning (never the whole payload). */
  excerpt: string;
}

/** Finds text that tries to instruct the agent or council. Logs are data, never instructions. */
export type InjectionDetector = (text: string) => InjectionSignal[];

interface Rule {
  kind: InjectionKind;
  pattern: RegExp;
}

const ACTION = "(?:RESTART|SCALE_UP|SCALE_DOWN|ROLLBACK|NOOP)";
/** Who an injected instruction talks to. Deliberately excludes bare "agent" (user agents, log agents). */
const ADDRESSEE = String.raw`(?:ai|a\.i\.|assistant|llm|language\s+model|chatbot|council|auditor|security[\s_]officer|sre[\s_]agent|remediation\s+agent|aegis(?:ops)?(?:\s+(?:sre\s+)?agent)?)`;
/** A quote, possibly backslash-escaped once or twice (JSON inside JSON in a log line). */
const Q = String.raw`\\*["']`;

// Each rule targets phrasing that addresses a reader and tells it what to do; ordinary logs describe
// what happened. Patterns avoid single words that real logs use ("APPROVED", "restart", "system").
const RULES: readonly Rule[] = [
  {
    kind: "override_instructions",
    pattern:
      /\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+|these\s+|those\s+)?(?:previous|prior|above|earlier|preceding|foregoing|original|initial|system|existing|safety|current)\s+(?:instructions?|prompts?|rules|guidelines|guardrails|directives|directions|constraints|polic(?:y|ies)|context|messages?)\b/i,
  },
  {
    kind: "override_instructions",
    pattern:
      /\b(?:ignore|disregard|forget)\s+(?:all|everything)\s+(?:you\s+(?:were|have\s+been)\s+told|above|before|previously)\b/i,
  },
  { kind: "override_instructions", pattern: /\bnew\s+(?:system\s+)?instructions?\s*:/i },
  {
    kind: "override_instructions",
    pattern: /\b(?:reveal|print|repeat|override|replace)\s+(?:your\s+|the\s+)?system\s+prompt\b/i,
  },
  {
    kind: "role_reassignment",
    pattern:
      /\byou\s+are\s+(?:now\s+)?(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?:agent|assistant|ai|llm|model|bot|council|auditor|officer|admin(?:istrator)?|operator)\b/i,
  },
  {
    kind: "role_reassignment",
    pattern: /\byou\s+are\s+now\s+(?:in\s+)?(?:developer|god|dan|jailbreak|unrestricted|admin|root)\s+mode\b/i,
  },
  {
    kind: "role_reassignment",
    pattern:
      /\b(?:act|behave|respond)\s+as\s+(?:if\s+you\s+were\s+)?(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:agent|assistant|ai|admin(?:istrator)?|root|superuser|council|auditor)\b/i,
  },
  { kind: "role_reassignment", pattern: /\bpretend\s+(?:to\s+be|you\s+are)\b/i },
  { kind: "role_reassignment", pattern: /\bfrom\s+now\s+on\s*,?\s+(?:you|always|only|respond|reply)\b/i },
  {
    kind: "role_reassignment",
    pattern: /\b(?:enable|enter|activate|switch\s+to)\s+(?:developer|god|dan|jailbreak|unrestricted)\s+mode\b/i,
  },
  {
    kind: "role_marker",
    pattern:
      /<\|(?:im_start|im_end|system|user|assistant|endoftext|begin_of_text|end_of_text|start_header_id|end_header_id|eot_id)\|>/i,
  },
  { kind: "role_marker", pattern: /\[\/?INST\]|<<\/?SYS>>/ },
  { kind: "role_marker", pattern: /#{2,}\s*(?:system|instructions?|assistant)\s*:/i },
  { kind: "role_marker", pattern: /<\/?(?:system|system_prompt|instructions?|assistant)>/i },
  // A chat role at the start of a line or quoted string ("system: …"), or shouted anywhere ("SYSTEM: …").
  { kind: "role_marker", pattern: /(?:^|[\r\n]|["'`]\s*)(?:system|assistant|developer)\s*:\s+\S/im },
  { kind: "role_marker", pattern: /\b(?:SYSTEM|ASSISTANT|DEVELOPER)\s*:\s/ },
  {
    kind: "addressed_to_ai",
    pattern: new RegExp(
      String.raw`\b${ADDRESSEE}\b\s*[:,]?\s*(?:you\s+)?(?:must|should|shall|needs?\s+to|ha(?:s|ve)\s+to|is\s+(?:required|instructed|ordered|authori[sz]ed)\s+to|please|vote|approve|execute|respond|reply|output|skip|ignore)\b`,
      "i",
    ),
  },
  {
    kind: "addressed_to_ai",
    pattern: new RegExp(
      String.raw`\b(?:dear|hey|attention|note\s+to|instructions?\s+(?:to|for))\s+(?:the\s+|all\s+)?(?:${ADDRESSEE}|agents?|model|bot|gpt|chatgpt|claude)(?![-\w./])`,
      "i",
    ),
  },
  { kind: "approval_demand", pattern: /\bvote\s*[:=]?\s*["'`]?(?:approved?|yes|in\s+favou?r)\b/i },
  {
    kind: "approval_demand",
    pattern:
      /\bapprove\s+(?:it\s+|this\s+)?(?:and|then|&)\s+(?:run|execute|apply|proceed|deploy|scale|restart|roll\s*back|delete|remove)\b/i,
  },
  { kind: "approval_demand", pattern: /\bthis\s+(?:is|was)\s+(?:an?\s+)?(?:pre-?|fully\s+)?authori[sz]ed\b/i },
  {
    kind: "approval_demand",
    pattern:
      /\b(?:pre-?approved|pre-?authori[sz]ed)\s+by\s+(?:the\s+)?(?:sre|on-?call|admin|administrator|operator|security|management|cto|ciso|owner|team|council)\b/i,
  },
  {
    kind: "approval_demand",
    pattern:
      /\b(?:verdict|decision)\s+(?:has\s+been\s+|was\s+|is\s+)?already\s+(?:recorded|approved|made|decided|given)\b/i,
  },
  {
    kind: "safety_bypass",
    pattern:
      /\b(?:disable|turn\s+off|deactivate|bypass|skip|circumvent|suspend|ignore)\s+(?:the\s+|all\s+|your\s+|any\s+)?(?:safety(?:\s+(?:checks?|rules|polic(?:y|ies)))?|guardrails?|council|review|approval|human\s+(?:review|approval)|(?:security|policy)\s+checks?|auditor|protections?|restrictions)\b/i,
  },
  {
    kind: "action_demand",
    pattern:
      /\b(?:respond|reply|answer|output|return)\s+(?:only\s+)?with\s+(?:the\s+|an?\s+)?(?:action|verdict|decision|json|replica_count)\b/i,
  },
  {
    kind: "action_demand",
    pattern: new RegExp(
      String.raw`\b(?:set|use|choose|propose|select|recommend|pick)\s+(?:the\s+)?(?:action|verdict|final_verdict|replica_count)\s*(?:to|=|:|of)?\s*["'\x60]?(?:${ACTION}|APPROVED|\d+)\b`,
      "i",
    ),
  },
  // Imperative use of the product's own action names; history lines ("05:03 RESTART APPROVED") have no verb before.
  {
    kind: "action_demand",
    pattern: new RegExp(String.raw`\b(?:then|and|now|immediately|please|must|should)\s+${ACTION}\b`),
  },
  {
    kind: "action_demand",
    pattern:
      /(?:^|[.!;:,]\s*|\b(?:please|must|should|now|then|and|immediately)\s+)scale\s+(?:up\s+|down\s+|out\s+|in\s+)?(?:[\w.-]+\s+){0,2}to\s+\d+\s*(?:replicas?|instances?|pods?|nodes?)\b/im,
  },
  {
    kind: "destructive_command",
    pattern:
      /\b(?:run|execute|exec|perform)\s*[:\s]\s*[`'"]?\s*(?:sudo\s+)?(?:rm\s+-[a-z]*[rf]|mkfs|dd\s+if=|shutdown\b|reboot\b|halt\b|kill\s+-9|kubectl\s+(?:delete|drain)|docker\s+(?:rm|kill)|drop\s+(?:table|database|schema)|truncate\s+table|curl\s+[^|\n]*\|\s*(?:ba)?sh|chmod\s+(?:-R\s+)?777|iptables\s+-F)/i,
  },
  { kind: "destructive_command", pattern: /\brm\s+-(?:rf|fr)\s+\/(?=[\s*"'`]|$)/im },
  {
    kind: "verdict_json",
    pattern: new RegExp(
      String.raw`${Q}(?:final_verdict|council_decision|policy_violations|tool_calls?|function_call|tool_use)${Q}\s*:`,
      "i",
    ),
  },
  { kind: "verdict_json", pattern: new RegExp(String.raw`${Q}action${Q}\s*:\s*${Q}${ACTION}${Q}`) },
  {
    kind: "verdict_json",
    pattern: new RegExp(String.raw`${Q}verdict${Q}\s*:\s*${Q}(?:APPROVED|REJECTED|NEEDS_REVIEW)${Q}`),
  },
  // A chat message object; a bare "role" key is common in RBAC and audit logs.
  {
    kind: "verdict_json",
    pattern: new RegExp(
      String.raw`${Q}role${Q}\s*:\s*${Q}(?:system|assistant|tool)${Q}\s*,\s*${Q}content${Q}\s*:`,
      "i",
    ),
  },
];

const EXCERPT_CHARS = 80;
const ZERO_WIDTH = /[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g;
/** Unicode "tag" characters mirror ASCII invisibly (ASCII smuggling). */
const TAG_CHARS = /[\u{e0020}-\u{e007e}]/gu;
const BASE64_RUN = /[A-Za-z0-9+/_-]{24,}={0,2}/g;

/**
 * Default detector: scans the text as given, with JSON escapes and percent-encoding undone, with
 * invisible characters removed, and inside base64 runs or Unicode tag characters (hidden directives).
 */
export const detectInjection: InjectionDetector = (text) => {
  // One signal per kind, the first found: the raw text is scanned before its decoded views.
  const signals = new Map<InjectionKind, InjectionSignal>();
  const add = (signal: InjectionSignal): void => {
    if (!signals.has(signal.kind)) signals.set(signal.kind, signal);
  };
  for (const variant of visibleVariants(text)) {
    for (const signal of scan(variant)) add(signal);
  }
  for (const hidden of hiddenTexts(text)) {
    const inner = visibleVariants(hidden.text).flatMap(scan);
    if (inner.length === 0) continue;
    const kinds = [...new Set(inner.map((s) => s.kind))].join(", ");
    add({ kind: "hidden_text", excerpt: `${hidden.encoding} hides "${clip(hidden.text)}" (${kinds})` });
  }
  return [...signals.values()];
};

function scan(text: string): InjectionSignal[] {
  const found: InjectionSignal[] = [];
  for (const rule of RULES) {
    const match = rule.pattern.exec(text);
    if (match) found.push({ kind: rule.kind, excerpt: excerptAround(text, match.index, match[0].length) });
  }
  return found;
}

/** The text plus decoded views of it, so escaping or invisible padding cannot hide a directive. */
function visibleVariants(text: string): string[] {
  const variants = new Set<string>([text]);
  let unescaped = text;
  for (let pass = 0; pass < 2; pass += 1) unescaped = unescapeJson(unescaped);
  variants.add(unescaped);
  const cleaned = unescaped.replace(ZERO_WIDTH, "").normalize("NFKC");
  variants.add(cleaned);
  variants.add(percentDecode(cleaned));
  return [...variants];
}

function unescapeJson(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replace(/\\[nr]/g, "\n")
    .replace(/\\t/g, " ")
    .replace(/\\(["'\\/])/g, "$1");
}

function percentDecode(text: string): string {
  if (!/%[0-9a-fA-F]{2}/.test(text)) return text;
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

interface HiddenText {
  encoding: "base64" | "unicode tags";
  text: string;
}

function hiddenTexts(text: string): HiddenText[] {
  const hidden: HiddenText[] = [];
  const tags = text.match(TAG_CHARS);
  if (tags && tags.length > 0) {
    hidden.push({
      encoding: "unicode tags",
      text: tags.map((ch) => String.fromCharCode((ch.codePointAt(0) ?? 0xe0020) - 0xe0000)).join(""),
    });
  }
  for (const run of text.match(BASE64_RUN) ?? []) {
    const decoded = decodeBase64Text(run);
    if (decoded !== null) hidden.push({ encoding: "base64", text: decoded });
  }
  return hidden;
}

/** Decoded text when the run is base64 of mostly printable ASCII; binary blobs and ids yield null. */
function decodeBase64Text(run: string): string | null {
  const decoded = Buffer.from(run.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("latin1");
  if (decoded.length < 16) return null;
  let printable = 0;
  for (const ch of decoded) {
    const code = ch.charCodeAt(0);
    if ((code >= 0x20 && code < 0x7f) || code === 0x0a || code === 0x0d || code === 0x09) printable += 1;
  }
  return printable / decoded.length >= 0.95 ? decoded : null;
}

function excerptAround(text: string, index: number, length: number): string {
  return clip(text.slice(index, index + Math.max(length, 40)));
}

function clip(text: string): string {
  // Control characters and newlines would let an excerpt forge extra lines in reasoning or the UI.
  const flat = text.replace(/[\p{Cc}\s]+/gu, " ").trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS - 1)}…` : flat;
}
