import type { Matcher } from "@aegis/contracts";

/**
 * Alertmanager's matcher semantics: `=`, `!=`, `=~`, `!~`; a regex is anchored at both ends; a label
 * that is absent matches as the empty string. A silence matches when ALL its matchers do.
 */
export function matchesAll(matchers: readonly Matcher[], labels: Record<string, string>): boolean {
  return matchers.every((m) => matchesOne(m, labels[m.name] ?? ""));
}

function matchesOne(m: Matcher, value: string): boolean {
  const hit = m.isRegex ? anchored(m.value).test(value) : value === m.value;
  return m.isEqual ? hit : !hit;
}

const cache = new Map<string, RegExp>();
function anchored(source: string): RegExp {
  let re = cache.get(source);
  if (!re) {
    re = new RegExp(`^(?:${source})$`);
    if (cache.size > 1000) cache.clear();
    cache.set(source, re);
  }
  return re;
}

/** A matcher's regex that does not compile is the caller's input error (named by the route). */
export function invalidRegex(matchers: readonly Matcher[]): string | null {
  for (const m of matchers) {
    if (!m.isRegex) continue;
    try {
      new RegExp(m.value);
    } catch (err) {
      return `matcher ${m.name}: ${(err as Error).message}`;
    }
  }
  return null;
}
