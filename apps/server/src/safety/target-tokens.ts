/**
 * Lowercase tokens of a target name. Splits on every non-alphanumeric character (kebab, snake, dots,
 * slashes) and between camelCase words: "ordersDb_primary" -> [orders, db, primary]. Acronyms stay
 * whole ("PostgreSQL" -> postgresql) so that product names survive.
 */
export function targetTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token !== "");
}
