import { readFileSync } from "node:fs";

/**
 * The documented examples of a seed API document (`../shared/seeds/*.txt`), read at test time so the
 * tests replay what the seed says rather than a copy of it: each endpoint's request (the example
 * `curl -d` body, else the request JSON), its example query string, and its example responses by status.
 */
export interface SeedExample {
  method: string;
  /** The path as the seed writes it, e.g. `/incidents/{id}/state`. */
  path: string;
  /** The example request's query string (from its curl URL), without `?`. */
  query: string | null;
  /** The path of the example's curl URL (seed 001's examples write `/v1/…` under its base URL). */
  examplePath: string | null;
  /** The example request body; null when the seed documents none or only field descriptions. */
  request: unknown;
  /** The request JSON as documented, even when its values describe types ("string (required)"). */
  requestSchema: unknown;
  responses: Map<number, unknown>;
  /** Every documented response with its label (`scale up`, `Warmup`, `200 OK`…), in document order. */
  variants: { label: string; status: number; body: unknown }[];
}

const ENDPOINT = [
  /^#{2,5}\s+(?:\d+\.\s+)?(GET|POST|PUT|PATCH|DELETE)\s+(\/\S*)/,
  /^\*\*Endpoint:\*\*\s+`(GET|POST|PUT|PATCH|DELETE)\s+([^`\s]+)`/,
  // Seed 003's endpoint lists: "- `GET /api/v1/incidents?page=1&page_size=20` - List incidents"
  /^-\s+`(GET|POST|PUT|PATCH|DELETE)\s+([^`\s]+)`/,
];
/** `**Response (200 OK):**`, `**Response (201 Created):**`, `**Response:**`, `**Response (scale up):**`… */
const RESPONSE = /^\*\*Response\s*(?:\(([^)]*)\))?:?\*\*/i;
const REQUEST = /^\*\*Request(?: Body)?:?\*\*/i;
const EXAMPLE_REQUEST = /^\*\*Example(?: Request)?:?\*\*/i;

/** JSON as seeds write it: `[...]` and `{...}` placeholders and `//` comments are tolerated. */
export function lenientJson(text: string): unknown {
  const cleaned = text
    .replace(/^\s*\/\/.*$/gm, "")
    .replace(/\[\s*\.\.\.\s*\]/g, "[]")
    .replace(/\{\s*\.\.\.\s*\}/g, "{}")
    .replace(/,\s*\.\.\.\s*([\]}])/g, "$1")
    .replace(/,(\s*[\]}])/g, "$1");
  try {
    return JSON.parse(cleaned);
  } catch {
    return undefined;
  }
}

function curlOf(text: string): { path: string | null; query: string | null; body: unknown } {
  const url = /curl\s[^\n]*?["']?(https?:\/\/[^\s"']+)["']?/.exec(text)?.[1] ?? "";
  const q = url.indexOf("?");
  const data = /-d\s+'([\s\S]*?)'/.exec(text)?.[1];
  const path = url ? new URL(url).pathname : null;
  return { path, query: q >= 0 ? url.slice(q + 1) : null, body: data === undefined ? undefined : lenientJson(data) };
}

/** True when a documented request's values describe fields ("string (required)") rather than give them. */
function describesTypes(v: unknown): boolean {
  if (typeof v === "string") return /^(string|integer|boolean|number|array|object)\b/.test(v);
  if (Array.isArray(v)) return v.some(describesTypes);
  if (v && typeof v === "object") return Object.values(v).some(describesTypes);
  return false;
}

export function seedExamples(file: string): SeedExample[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const out: SeedExample[] = [];
  let current: SeedExample | null = null;
  let label: { kind: "request" | "example" | "response"; status?: number; name?: string } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const endpoint = ENDPOINT.map((r) => r.exec(line)).find(Boolean);
    if (endpoint) {
      const written = endpoint[2] as string;
      const q = written.indexOf("?");
      current = {
        method: endpoint[1] as string,
        path: q >= 0 ? written.slice(0, q) : written,
        // A listed endpoint may carry its example query ("?period=24h"); a curl example overrides it.
        query: q >= 0 ? written.slice(q + 1) : null,
        examplePath: null,
        request: null,
        requestSchema: null,
        responses: new Map(),
        variants: [],
      };
      out.push(current);
      label = null;
      continue;
    }
    if (/^#{1,3}\s/.test(line)) label = null;
    const response = RESPONSE.exec(line);
    if (response) {
      const name = (response[1] ?? "").trim();
      const code = /\b([1-5]\d\d)\b/.exec(name)?.[1];
      label = { kind: "response", status: code ? Number(code) : 200, name };
    } else if (REQUEST.test(line)) label = { kind: "request" };
    else if (EXAMPLE_REQUEST.test(line)) label = { kind: "example" };
    if (!line.startsWith("```") || !current) continue;
    const lang = line.slice(3).trim();
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] ?? "").startsWith("```"); i++) body.push(lines[i] ?? "");
    const text = body.join("\n");
    if (!label) continue;
    if (label.kind === "example" || lang === "bash") {
      const curl = curlOf(text);
      if (curl.query !== null) current.query = curl.query;
      if (curl.path !== null) current.examplePath = curl.path;
      if (curl.body !== undefined) current.request = curl.body;
    } else if (lang === "json" || lang === "") {
      const json = lenientJson(text);
      if (json === undefined) continue;
      if (label.kind === "response" && label.status !== undefined) {
        current.variants.push({ label: label.name ?? "", status: label.status, body: json });
        if (!current.responses.has(label.status)) current.responses.set(label.status, json);
      } else if (label.kind === "request") {
        current.requestSchema = json;
        if (current.request === null && !describesTypes(json)) current.request = json;
      }
    }
    label = label.kind === "response" ? null : label;
  }
  return out;
}

/**
 * Where `actual` departs from the documented `expected` example: a documented field missing, or of
 * another JSON type. Values are examples and are not compared; a documented value may be null in
 * the answer (an optional timestamp not reached yet); arrays compare their first items.
 */
export function shapeMismatches(expected: unknown, actual: unknown, at = "$"): string[] {
  if (expected === null || expected === undefined) return [];
  if (actual === null) return [];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at}: expected an array, got ${kindOf(actual)}`];
    return expected.length > 0 && actual.length > 0 ? shapeMismatches(expected[0], actual[0], `${at}[0]`) : [];
  }
  if (typeof expected === "object") {
    if (typeof actual !== "object" || Array.isArray(actual))
      return [`${at}: expected an object, got ${kindOf(actual)}`];
    const a = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) =>
      k in a ? shapeMismatches(v, a[k], `${at}.${k}`) : [`${at}.${k}: missing`],
    );
  }
  return typeof expected === typeof actual ? [] : [`${at}: expected ${typeof expected}, got ${kindOf(actual)}`];
}

function kindOf(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}
