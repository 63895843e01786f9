/**
 * Renders the subset of Helm's Go templates our chart is written in (ADR 0019: no helm binary can be
 * installed here and npm has no maintained Go-template engine): `{{ .Path }}` and `{{ $.Path }}`,
 * trim markers `{{-` / `-}}`, `if` / `else` / `end`, `range` over lists (`.` is the item, `$` the root),
 * pipelines into `quote`, `default`, and the functions `join SEP LIST`, `not X`. Anything else throws,
 * so a template that strays outside the subset fails its test instead of rendering wrong.
 */
export function renderTemplate(template: string, root: Record<string, unknown>): string {
  const tokens = tokenize(template);
  const [nodes] = parse(tokens, 0, []);
  return evaluate(nodes, root, root);
}

type Token = { text: string } | { action: string };
type Node =
  | { text: string }
  | { expr: string }
  | { if: string; then: Node[]; else: Node[] }
  | { range: string; body: Node[] };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const re = /\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g;
  let last = 0;
  let trimNext = false;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    let text = src.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, "");
    if (m[1] === "-") text = text.replace(/\s+$/, "");
    out.push({ text });
    out.push({ action: m[2] ?? "" });
    trimNext = m[3] === "-";
    last = re.lastIndex;
  }
  let rest = src.slice(last);
  if (trimNext) rest = rest.replace(/^\s+/, "");
  out.push({ text: rest });
  return out;
}

function parse(tokens: Token[], at: number, until: string[]): [Node[], number, string] {
  const nodes: Node[] = [];
  for (let i = at; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if ("text" in t) {
      if (t.text) nodes.push({ text: t.text });
      continue;
    }
    const a = t.action;
    if (a.startsWith("/*")) continue;
    if (until.includes(a)) return [nodes, i, a];
    if (a.startsWith("if ")) {
      const [then, j, stop] = parse(tokens, i + 1, ["else", "end"]);
      let otherwise: Node[] = [];
      let k = j;
      if (stop === "else") [otherwise, k] = parse(tokens, j + 1, ["end"]);
      nodes.push({ if: a.slice(3), then, else: otherwise });
      i = k;
    } else if (a.startsWith("range ")) {
      const [body, j] = parse(tokens, i + 1, ["end"]);
      nodes.push({ range: a.slice(6), body });
      i = j;
    } else if (/^(end|else)$/.test(a)) throw new Error(`unexpected {{ ${a} }}`);
    else nodes.push({ expr: a });
  }
  if (until.length > 0) throw new Error(`missing {{ ${until.join(" / ")} }}`);
  return [nodes, tokens.length, ""];
}

function evaluate(nodes: Node[], dot: unknown, root: Record<string, unknown>): string {
  return nodes
    .map((n) => {
      if ("text" in n) return n.text;
      if ("expr" in n) return print(pipeline(n.expr, dot, root));
      if ("if" in n) return evaluate(truthy(pipeline(n.if, dot, root)) ? n.then : n.else, dot, root);
      const list = pipeline(n.range, dot, root);
      if (list === undefined || list === null) return "";
      if (!Array.isArray(list)) throw new Error(`range over a non-list: ${n.range}`);
      return list.map((item) => evaluate(n.body, item, root)).join("");
    })
    .join("");
}

function pipeline(expr: string, dot: unknown, root: Record<string, unknown>): unknown {
  const stages = splitOutsideQuotes(expr, "|");
  let value: unknown;
  stages.forEach((stage, i) => {
    const words = words_(stage.trim());
    const args = i === 0 ? words : [...words, PIPED];
    value = command(args, dot, root, value);
  });
  return value;
}

const PIPED = "\u0000piped";

function command(words: string[], dot: unknown, root: Record<string, unknown>, piped: unknown): unknown {
  const [head, ...rest] = words;
  const arg = (w: string) => (w === PIPED ? piped : operand(w, dot, root));
  switch (head) {
    case "quote":
      return JSON.stringify(String(arg(rest[0] ?? "") ?? ""));
    case "default": {
      const [fallback, given] = rest.map(arg);
      return truthy(given) ? given : fallback;
    }
    case "join": {
      const [sep, list] = rest.map(arg);
      if (!Array.isArray(list)) throw new Error("join needs a list");
      return list.join(String(sep));
    }
    case "not":
      return !truthy(arg(rest[0] ?? ""));
    default:
      if (rest.length > 0 && rest[0] !== PIPED) throw new Error(`unsupported template function: ${head}`);
      return arg(head ?? "");
  }
}

function operand(w: string, dot: unknown, root: Record<string, unknown>): unknown {
  if (w.startsWith('"')) return JSON.parse(w);
  if (/^-?\d+(\.\d+)?$/.test(w)) return Number(w);
  if (w === ".") return dot;
  if (w === "$") return root;
  const [base, path] = w.startsWith("$.")
    ? [root, w.slice(2)]
    : w.startsWith(".")
      ? [dot, w.slice(1)]
      : [undefined, null];
  if (path === null) throw new Error(`unsupported template operand: ${w}`);
  return path
    .split(".")
    .reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), base);
}

function words_(s: string): string[] {
  return s.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === "object") return Object.keys(v).length > 0;
  return Boolean(v);
}

function print(v: unknown): string {
  if (v === undefined || v === null) return "";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}
