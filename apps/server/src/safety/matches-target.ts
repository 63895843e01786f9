import { targetTokens } from "./target-tokens.js";

/**
 * Whether a target name matches a glob-ish pattern, token by token (see targetTokens; the pattern is
 * tokenised the same way). A pattern matches when it covers a whole run of consecutive tokens: `db`
 * matches `orders-db` but not `dbt-runner`, `postgres*` matches `postgresql-0`, `aegis*` matches
 * `aegis-agent`. `*` spans any characters (tokens too), `?` exactly one character. Pure.
 */
export function matchesTarget(pattern: string, name: string): boolean {
  const normalizedName = targetTokens(name).join("-");
  const normalizedPattern = patternTokens(pattern).join("-");
  if (normalizedName === "" || normalizedPattern === "") return false;
  const body = normalizedPattern
    .split("")
    // Only [a-z0-9-*?] survive tokenising, so nothing else needs escaping.
    .map((ch) => (ch === "*" ? "[a-z0-9-]*" : ch === "?" ? "[a-z0-9]" : ch))
    .join("");
  return new RegExp(`(?:^|-)${body}(?:-|$)`).test(normalizedName);
}

/** Like targetTokens, with the wildcards kept. */
function patternTokens(pattern: string): string[] {
  return pattern
    .replace(/([a-z0-9])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase()
    .split(/[^a-z0-9*?]+/)
    .filter((token) => token !== "");
}
