import { basename, dirname, extname, relative, sep } from "node:path";

/** A runbook read from a file, ready for `PUT /api/v1/runbooks/{id}`. */
export interface ParsedRunbook {
  id: string;
  title: string;
  service: string;
  body: string;
  url?: string;
  tags?: string[];
}

/**
 * A markdown runbook: optional YAML front matter (`title`, `service`, `id`, `url`, `tags`), else
 * the first `# heading` as title and the folder as service. The id defaults to the path under the
 * import root without extension (`kubernetes/KubePodCrashLooping`), so re-importing replaces.
 */
export function parseMarkdownRunbook(root: string, file: string, text: string): ParsedRunbook {
  const { meta, body } = splitFrontMatter(text);
  const rel = relative(root, file).split(sep).join("/");
  const id = str(meta.id) ?? rel.slice(0, rel.length - extname(rel).length);
  const heading = /^#[ \t]+(.+?)[ \t#]*$/m.exec(body)?.[1]?.trim();
  const folder = dirname(rel) === "." ? basename(root) : (dirname(rel).split("/").pop() as string);
  const tags = meta.tags;
  const out: ParsedRunbook = {
    id,
    title: str(meta.title) ?? heading ?? basename(file, extname(file)),
    service: str(meta.service) ?? folder,
    body: body.trim() ? body : text,
  };
  const url = str(meta.url);
  if (url) out.url = url;
  if (Array.isArray(tags) && tags.length > 0) out.tags = tags;
  else if (typeof tags === "string" && tags.trim())
    out.tags = tags
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
  return out;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/**
 * Front matter as flat `key: value` pairs, with `[a, b]` and `- item` lists: the subset runbook
 * repositories use (Hugo, Docusaurus). Anything richer is ignored, never an error.
 */
export function splitFrontMatter(text: string): { meta: Record<string, string | string[]>; body: string } {
  const m = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return { meta: {}, body: text };
  const meta: Record<string, string | string[]> = {};
  let listKey: string | null = null;
  for (const line of (m[1] as string).split(/\r?\n/)) {
    const item = /^\s+-\s+(.*)$/.exec(line) ?? /^-\s+(.*)$/.exec(line);
    if (item && listKey) {
      (meta[listKey] as string[]).push(unquote(item[1] as string));
      continue;
    }
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!kv) continue;
    const key = (kv[1] as string).toLowerCase();
    const value = (kv[2] as string).trim();
    listKey = null;
    if (value === "") {
      meta[key] = [];
      listKey = key;
    } else if (/^\[.*\]$/.test(value)) {
      meta[key] = value
        .slice(1, -1)
        .split(",")
        .map((s) => unquote(s.trim()))
        .filter(Boolean);
    } else meta[key] = unquote(value);
  }
  return { meta, body: text.slice(m[0].length) };
}

const unquote = (s: string): string => s.replace(/^(["'])(.*)\1$/, "$2");
