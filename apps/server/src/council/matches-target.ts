/**
 * Whether a target name matches a glob-ish pattern, token by token.
 *
 * Names are split into lowercase tokens on any non-alphanumeric character and on camelCase words
 * ("ordersDb_primary" -> orders-db-primary, acronyms stay whole: "PostgreSQL" -> postgresql), patterns
 * the same way. A pattern matches when it covers
 * a whole run of consecutive tokens: `db` matches `orders-db` but not `dbt-runner`, `postgres*`
 * matches `postgresql-0`, `aegis*` matches `aegis-agent`. `*` spans any characters (tokens too),
 * `?` exactly one character. Pure: no I/O, no state.
 */
export function matchesTarget(pattern: string, name: string): boolean {
  const normalizedName = tokenize(name);
  const normalizedPattern = tokenize(pattern, true);
  if (normalizedName === "" || normalizedPattern === "") return false;
  const body = normalizedPattern
    .split("")
    // Only [a-z0-9-*?] survive tokenize, so nothing else needs escaping.
    .map((ch) => (ch === "*" ? "[a-z0-9-]*" : ch === "?" ? "[a-z0-9]" : ch))
    .join("");
  return new RegExp(`(?:^|-)${body}(?:-|$)`).test(normalizedName);
}

/** Lowercase tokens joined by "-"; wildcards survive only in patterns. */
function tokenize(value: string, keepWildcards = false): string {
  const separators = keepWildcards ? /[^a-z0-9*?]+/ : /[^a-z0-9]+/;
  return value
    .replace(/([a-z0-9])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase()
    .split(separators)
    .filter((token) => token !== "")
    .join("-");
}
