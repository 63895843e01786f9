import { isPaymentCardNumber } from "./payment-card.js";

/** One redaction rule: what it finds and the label its matches are replaced with. */
interface Rule {
  kind: string;
  pattern: RegExp;
  /** Replacement; `[REDACTED:kind]` by default. Groups keep the harmless part (a key's name). */
  replace?: string;
  /** A check the match must also pass (a checksum a regular expression cannot express). */
  accept?: (match: string) => boolean;
}

const SECRET_NAMES =
  "password|passwd|pwd|pass|secret|client[_-]?secret|token|access[_-]?token|refresh[_-]?token|auth[_-]?token|api[_-]?key|apikey|x-api-key|access[_-]?key(?:[_-]?id)?|secret[_-]?key|private[_-]?key|session[_-]?(?:id|token)|cookie|set-cookie|credentials?|signature";

/**
 * Patterns start at a fixed literal or a token boundary (lookbehind), so a long run of characters is
 * never rescanned from every position: hostile logs stay linear.
 */
const RULES: Rule[] = [
  {
    kind: "private_key",
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  },
  // user:password@host in URLs and DSNs (before e-mails, which it resembles).
  {
    kind: "url_credentials",
    pattern: /\b([a-z][a-z0-9+.-]{1,20}:\/\/)[^\s/:@]*:[^\s/@]+@/gi,
    replace: "$1[REDACTED:credentials]@",
  },
  { kind: "jwt", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { kind: "bearer", pattern: /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g, replace: "$1 [REDACTED:token]" },
  { kind: "aws_access_key", pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b/g },
  { kind: "github_token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})\b/g },
  { kind: "slack_token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: "api_key", pattern: /\bsk-(?:ant-|proj-|live-|test-)?[A-Za-z0-9_-]{16,}/g },
  { kind: "api_key", pattern: /\b[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { kind: "api_key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: "api_key", pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  {
    // 13–19 digits, contiguous or in the printed groupings (4-4-4-4, 4-4-4-4-3, Amex 4-6-5, Diners
    // 4-6-4) with one kind of separator, then an issuer length and Luhn check (isPaymentCardNumber).
    // Not a part of a longer token (hex ids, UUIDs, decimals, dashed ids), and not the value of an
    // `…_id` / `…Id` key: trace, span and order ids are numbers that pass Luhn one time in ten.
    kind: "card",
    pattern: new RegExp(
      `(?<![\\w.+-])(?<!(?:[_.-]id|[_.-]ID|[a-z]Id|[a-z]ID|\\bid|\\bID)["']?\\s{0,2}[=:]\\s{0,2}["']?)` +
        `(?:[2-6]\\d{12,18}|[2-6]\\d{3}([ -])\\d{4}\\1\\d{4}\\1\\d{4}(?:\\1\\d{3})?|3\\d{3}([ -])\\d{6}\\2\\d{4,5})` +
        `(?![\\w-]|[.,]\\d)`,
      "g",
    ),
    accept: isPaymentCardNumber,
  },
  {
    // US SSN, dashed only (nine bare digits are too common): never-issued areas 000, 666 and 900–999,
    // group 00 and serial 0000 excluded.
    kind: "national_id",
    pattern: /(?<![\w.-])(?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-]|[.,]\d)/g,
  },
  {
    // UK National Insurance number: two prefix letters (D, F, I, U, V never used; O never second;
    // BG, GB, KN, NK, NT, TN, ZZ never allocated), six digits in pairs, suffix A–D. Upper case only,
    // as HMRC prints them. Q is not issued either but is kept: QQ is the specimen prefix that forms
    // and test data (the usual way real-looking numbers reach logs) are filled in with.
    kind: "national_id",
    pattern:
      /(?<![A-Za-z0-9])(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-TW-Z][A-CEGHJ-NP-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])/g,
  },
  {
    // name=value, name: value, "name": "value" — the name stays, the value goes.
    kind: "secret",
    pattern: new RegExp(
      `(?<![A-Za-z0-9_-])((?:[A-Za-z0-9_-]*[_-])?(?:${SECRET_NAMES})["']?\\s*(?:=|:)\\s*["']?)(?!\\[REDACTED)([^\\s"',;&}]+)`,
      "gi",
    ),
    replace: "$1[REDACTED:secret]",
  },
  {
    kind: "email",
    pattern:
      /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b/g,
  },
  {
    kind: "ip",
    pattern: /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]*\d)/g,
  },
  { kind: "ip", pattern: /(?<![\w:])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\w:])/g },
  { kind: "ip", pattern: /(?<![\w:])(?:[0-9a-fA-F]{1,4}:){1,6}(?::[0-9a-fA-F]{1,4}){1,6}(?![\w:])/g },
  { kind: "ip", pattern: /(?<![\w:])::1(?![\w:])/g },
];

/** Texts up to this long have their redaction remembered (at most SHORT_KEPT of them). */
const SHORT = 48;
const SHORT_KEPT = 4096;

export interface Redaction {
  text: string;
  /** Matches per kind (for the timeline: "redacted 2 secret, 1 email"). */
  counts: Record<string, number>;
}

/**
 * Removes secrets, tokens, passwords, keys, payment card numbers, national ID numbers, e-mail
 * addresses and IP addresses from text before it leaves the process (prompts, tool results) or is
 * stored with an analysis. Extra patterns come from configuration (AEGIS_REDACT_PATTERNS).
 */
export class Redactor {
  private readonly rules: Rule[];
  private readonly short = new Map<string, string>();

  constructor(extraPatterns: readonly string[] = []) {
    this.rules = [...RULES, ...extraPatterns.map((p) => ({ kind: "custom", pattern: new RegExp(p, "g") }))];
  }

  redact(text: string): Redaction {
    const counts: Record<string, number> = {};
    let out = text;
    for (const rule of this.rules) {
      rule.pattern.lastIndex = 0;
      out = out.replace(rule.pattern, (...args: unknown[]) => {
        if (rule.accept && !rule.accept(args[0] as string)) return args[0] as string;
        counts[rule.kind] = (counts[rule.kind] ?? 0) + 1;
        if (!rule.replace) return `[REDACTED:${rule.kind}]`;
        return rule.replace.replace(/\$(\d)/g, (_, n: string) => String(args[Number(n)] ?? ""));
      });
    }
    return { text: out, counts };
  }

  /**
   * The redacted text only. Short texts (the words a stream emits, one at a time) repeat endlessly;
   * their answers are kept (the rules are fixed at construction, so the answer is too).
   */
  clean(text: string): string {
    if (text.length > SHORT) return this.redact(text).text;
    const known = this.short.get(text);
    if (known !== undefined) return known;
    const out = this.redact(text).text;
    if (this.short.size >= SHORT_KEPT) this.short.clear();
    this.short.set(text, out);
    return out;
  }
}

/** "2 secret, 1 email" — empty when nothing was redacted. */
export function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
}
