import { matchesTarget } from "./matches-target.js";

/**
 * The pattern that protects `name`, or null. gitignore-style: the last matching pattern decides and a
 * leading "!" un-protects, so `["redis*", "!exporter"]` protects redis-cache but not redis-exporter,
 * and a pattern listed after the negations wins again.
 */
export function protectingPattern(patterns: readonly string[], name: string): string | null {
  let decided: string | null = null;
  for (const raw of patterns) {
    const negated = raw.startsWith("!");
    const pattern = negated ? raw.slice(1) : raw;
    if (matchesTarget(pattern, name)) decided = negated ? null : pattern;
  }
  return decided;
}
