import { hiddenTexts, visibleVariants } from "./decoded-views.js";
import { INJECTION_RULES, type InjectionKind, type InjectionLevel } from "./injection-rules.js";

export interface InjectionSignal {
  kind: InjectionKind;
  /** Short single-line excerpt of the matched text, for the vote's reasoning (never the whole payload). */
  excerpt: string;
}

/** Finds text that tries to instruct the agent or council. Logs are data, never instructions. */
export type InjectionDetector = (text: string) => InjectionSignal[];

const EXCERPT_CHARS = 80;

/**
 * Injection signals in `text` at the given strictness: the text as given, with JSON escapes and
 * percent-encoding undone, with invisible characters removed, and inside base64 runs or Unicode tag
 * characters (hidden directives). One signal per kind, the first found: the raw text before its views.
 */
export function detectInjection(text: string, level: InjectionLevel): InjectionSignal[] {
  const signals = new Map<InjectionKind, InjectionSignal>();
  const add = (signal: InjectionSignal): void => {
    if (!signals.has(signal.kind)) signals.set(signal.kind, signal);
  };
  for (const variant of visibleVariants(text)) {
    for (const signal of scan(variant, level)) add(signal);
  }
  for (const hidden of hiddenTexts(text)) {
    const inner = visibleVariants(hidden.text).flatMap((variant) => scan(variant, level));
    if (inner.length === 0) continue;
    const kinds = [...new Set(inner.map((s) => s.kind))].join(", ");
    add({ kind: "hidden_text", excerpt: `${hidden.encoding} hides "${clip(hidden.text)}" (${kinds})` });
  }
  return [...signals.values()];
}

/** Where the first marker of the level starts in the text as given, or -1. */
export function firstMarker(text: string, level: InjectionLevel): number {
  let first = -1;
  for (const rule of INJECTION_RULES) {
    if (!rule.levels.includes(level)) continue;
    const match = rule.pattern.exec(text);
    if (match && (first < 0 || match.index < first)) first = match.index;
  }
  return first;
}

function scan(text: string, level: InjectionLevel): InjectionSignal[] {
  const found: InjectionSignal[] = [];
  for (const rule of INJECTION_RULES) {
    if (!rule.levels.includes(level)) continue;
    const match = rule.pattern.exec(text);
    if (match)
      found.push({
        kind: rule.kind,
        excerpt: clip(text.slice(match.index, match.index + Math.max(match[0].length, 40))),
      });
  }
  return found;
}

function clip(text: string): string {
  // Control characters and newlines would let an excerpt forge extra lines in reasoning or the UI.
  const flat = text.replace(/[\p{Cc}\s]+/gu, " ").trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS - 1)}…` : flat;
}
