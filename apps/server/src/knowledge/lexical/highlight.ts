import { analyze, type Token } from "./tokenize.js";

export interface HighlightOptions {
  /** Target excerpt length in source characters. Default 240. */
  maxLength?: number;
  /** Must match the index's analyzer so terms line up. Default: the built-in analyzer. */
  analyze?: (text: string) => Token[];
}

interface Span {
  start: number;
  end: number;
  term: string;
}

/**
 * Best excerpt of `text` for the given analysed terms (e.g. a hit's matchedTerms): the window
 * holding the most distinct matched terms (then most matches), widened to ~maxLength on word
 * boundaries, whitespace collapsed, matches wrapped in **…**, cuts marked with "…".
 */
export function highlight(text: string, terms: Iterable<string>, options: HighlightOptions = {}): string {
  const maxLength = options.maxLength ?? 240;
  const wanted = new Set(terms);
  const spans = mergeSpans(
    text,
    (options.analyze ?? analyze)(text).filter((t) => wanted.has(t.term)),
  );
  if (spans.length === 0) return render(text, 0, snapEnd(text, Math.min(text.length, maxLength)), []);

  // Two pointers over match positions: widest set of distinct terms fitting in maxLength.
  const counts = new Map<string, number>();
  let bestI = 0;
  let bestJ = 0;
  let bestDistinct = 0;
  let bestCount = 0;
  let i = 0;
  for (let j = 0; j < spans.length; j++) {
    const sj = spans[j] as Span;
    counts.set(sj.term, (counts.get(sj.term) ?? 0) + 1);
    while (sj.end - (spans[i] as Span).start > maxLength) {
      const si = spans[i] as Span;
      const c = (counts.get(si.term) ?? 1) - 1;
      if (c === 0) counts.delete(si.term);
      else counts.set(si.term, c);
      i++;
    }
    const count = j - i + 1;
    if (counts.size > bestDistinct || (counts.size === bestDistinct && count > bestCount)) {
      bestDistinct = counts.size;
      bestCount = count;
      bestI = i;
      bestJ = j;
    }
  }

  // Centre the densest window in a maxLength excerpt, clamped to the text, cut at whitespace.
  const winStart = (spans[bestI] as Span).start;
  const winEnd = Math.max((spans[bestJ] as Span).end, winStart);
  const slack = Math.max(0, maxLength - (winEnd - winStart));
  let start = Math.max(0, winStart - Math.floor(slack / 2));
  const end = Math.min(text.length, start + Math.max(maxLength, winEnd - start));
  start = Math.max(0, Math.min(start, end - maxLength));
  return render(text, snapStart(text, start, winStart), snapEnd(text, end, winEnd), spans);
}

/** A gap that still reads as one word: nothing, or a joiner in a name (etcd_disk, kube-proxy). */
const JOINER_GAP = /^[_\-./:]?$/;

/**
 * Overlapping spans (compound parts, an identifier and its parts) and parts of one name
 * (CrashLoopBackOff, etcd_disk_wal) become one highlight.
 */
function mergeSpans(text: string, tokens: Token[]): Span[] {
  const sorted = [...tokens].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const t of sorted) {
    const last = out[out.length - 1];
    if (last && (t.start < last.end || JOINER_GAP.test(text.slice(last.end, t.start)))) {
      last.end = Math.max(last.end, t.end);
    } else out.push({ start: t.start, end: t.end, term: t.term });
  }
  return out;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

/** Move a cut forward to a word start, never past `limit`. */
function snapStart(text: string, pos: number, limit: number): number {
  if (pos === 0) return 0;
  let p = pos;
  while (p < limit && !isSpace(text[p - 1])) p++;
  return p;
}

/** Move a cut back to a word end, never before `limit`. */
function snapEnd(text: string, pos: number, limit = 0): number {
  if (pos >= text.length) return text.length;
  let p = pos;
  while (p > limit && !isSpace(text[p])) p--;
  return isSpace(text[p]) ? p : pos;
}

function render(text: string, start: number, end: number, spans: Span[]): string {
  let out = "";
  let at = start;
  for (const s of spans) {
    if (s.start < start || s.end > end) continue;
    out += `${text.slice(at, s.start)}**${text.slice(s.start, s.end)}**`;
    at = s.end;
  }
  out += text.slice(at, end);
  out = out.replace(/\s+/g, " ").trim();
  return `${start > 0 ? "…" : ""}${out}${end < text.length ? "…" : ""}`;
}
