/**
 * The first JSON object in a model's text: the whole text, a ```json fence, or the first balanced
 * `{…}` that parses (prose around it, `<think>` sections of reasoning models, trailing commas).
 * Returns undefined when there is none.
 */
export function extractJson(text: string): unknown {
  const cleaned = text.replace(/<think>[\s\S]*?<\/think>/gi, "").trim();
  const direct = tryParse(cleaned);
  if (isObject(direct)) return direct;
  for (const m of cleaned.matchAll(/```(?:json|JSON)?\s*\n?([\s\S]*?)```/g)) {
    const v = tryParse((m[1] ?? "").trim());
    if (isObject(v)) return v;
  }
  for (let start = cleaned.indexOf("{"); start >= 0; start = cleaned.indexOf("{", start + 1)) {
    const end = balancedEnd(cleaned, start);
    if (end < 0) continue;
    const v = tryParse(cleaned.slice(start, end + 1));
    if (isObject(v)) return v;
  }
  return undefined;
}

function tryParse(s: string): unknown {
  if (!s.startsWith("{")) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    try {
      // Trailing commas are the most common slip of small local models.
      return JSON.parse(s.replace(/,\s*([}\]])/g, "$1"));
    } catch {
      return undefined;
    }
  }
}

/** Index of the `}` closing the object opened at `start`, honouring strings and escapes; -1 if unclosed. */
function balancedEnd(s: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
