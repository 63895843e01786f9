/**
 * RFC 4180 CSV: fields holding a comma, quote or line break are quoted, quotes doubled, lines
 * end in CRLF. Text cells that a spreadsheet would run as a formula (= + - @ first, e.g. a server
 * named "=HYPERLINK(…)" fed through `/feed/data`) get a leading apostrophe (OWASP CSV injection);
 * numbers are written as they are.
 */
export function toCsv(header: readonly string[], rows: readonly object[]): string {
  const lines = [header.map(cell).join(",")];
  for (const row of rows) lines.push(header.map((h) => cell((row as Record<string, unknown>)[h])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
