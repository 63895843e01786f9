import { stem } from "./stem.js";
import { STOPWORDS } from "./stopwords.js";

/** One analysed term and the span of source text it came from (for highlighting). */
export interface Token {
  term: string;
  start: number;
  end: number;
  /** Query-side weight multiplier; set on whole identifiers. */
  boost?: number;
}

/** Text → analysed terms. The index, query expansion and highlighter must share one analyzer. */
export type Analyzer = (text: string) => string[];

/** Text → query terms with optional boosts (the index only needs term and boost). */
export type QueryAnalyzer = (text: string) => ReadonlyArray<{ term: string; boost?: number }>;

/**
 * Values that are unique per event and would only pollute the index: uuids, timestamps, IPs,
 * hex ids, decimals/percentages, versions, durations and sizes. Replaced by spaces so offsets hold.
 */
const NOISE = new RegExp(
  [
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.source,
    /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/.source,
    /\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\b/.source,
    /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?:\/\d{1,2})?\b/.source,
    // ipv6 / mac: at least three colon-separated hex groups, one of them with a digit
    /\b(?=[0-9a-f:]*\d)[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\b/.source,
    /\b0x[0-9a-f]+\b/.source,
    // hex ids (git shas, pod-template hashes, trace ids): 7+ hex chars mixing digits and letters
    /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/.source,
    /\bv?\d+(?:\.\d+)+%?/.source,
    /\b\d+%/.source,
    /\b(?:\d+(?:\.\d+)?(?:ms|us|µs|ns|s|m|h|d|w))+\b/.source,
    /\b\d+(?:\.\d+)?(?:[kmgtpe]i?b|[kmgtpe]i)\b/.source,
  ].join("|"),
  "gi",
);

/** Every noise pattern contains a digit: only whitespace-delimited runs with one need the scan. */
const HAS_DIGIT = /(?<!\S)[^\s\d]*\d\S*/g;

/** Alphanumeric runs (with inner apostrophes); everything else (punctuation, _, -, ., /) separates words. */
const CHUNK = /[\p{L}\p{N}]+(?:['’]\p{L}+)*/gu;
/** "can't", "doesn't", "isn't" … all reduce to "not": the negation matters, the auxiliary doesn't. */
const NEGATION = /n['’]t$/i;
const CLITIC = /['’]\p{L}+$/u;

/** Letter-digit words that must not be split at the digit (k8s is not "k" + "8" + "s"). */
const PROTECTED_WORDS = "k8s x509 ipv4 ipv6 http2 http3 s3 ec2 oauth2 sha1 sha256 sha512 md5 utf8 log4j l4 l7";
const anyCase = (w: string): string => [...w].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join("");

/** Character-class contents, so the same part grammar can be built for Unicode or plain ASCII. */
interface Classes {
  upper: string;
  lower: string;
  digit: string;
}

/**
 * Sub-word parts of one chunk: protected codes first (5xx, p99, x509, k8s …), then CamelCase
 * pieces (acronym runs stop before a Capitalised word: GRPCRequests → GRPC Requests), then digit
 * runs. Protected forms only match where a part starts and must end at a part boundary, so
 * "step99" has no "p99" and "l7dnc" no "l7".
 */
const partPattern = ({ upper: U, lower: L, digit: N }: Classes): RegExp =>
  new RegExp(
    [
      `[${N}][xX]{2}(?![${L}${N}])`,
      `[pP][${N}]{2,3}(?![${N}])`,
      `(?:${PROTECTED_WORDS.split(" ").map(anyCase).join("|")})(?![${L}${N}])`,
      `[${U}]{2,}(?=[${U}][${L}])`,
      `[${U}]?[${L}]+`,
      `[${U}]+`,
      `[${N}]+`,
      `[${U}${L}]+`,
    ].join("|"),
    "gu",
  );
const PART = partPattern({ upper: "\\p{Lu}", lower: "\\p{Ll}", digit: "\\p{N}" });
/** The same splits for ASCII-only words, several times faster than Unicode property classes. */
const ASCII_PART = partPattern({ upper: "A-Z", lower: "a-z", digit: "0-9" });

/** A CamelCase identifier: a lowercase letter followed by an uppercase one somewhere inside. */
const IDENTIFIER = /\p{Ll}\p{Lu}/u;
const MAX_IDENTIFIER = 64;
/** Matching a whole n-part identifier is phrase evidence: weigh it like 1 + ln(n) words. */
const identifierBoost = (parts: number): number => 1 + Math.log(parts);

/** Numbers worth keeping: HTTP 4xx/5xx statuses and the exit codes of killed processes. */
const MEANINGFUL_NUMBER = /^(?:[45]\d\d|137|139|143)$/;
const DIGITS = /^\p{N}+$/u;

/**
 * Compounds that ops text spells both joined and CamelCased (crashloop / CrashLoop, statefulset /
 * StatefulSet); splitting the joined form keeps them one vocabulary. Listed as plain words and
 * stemmed at load so the table can't drift from the stemmer.
 */
const COMPOUNDS: ReadonlyArray<readonly [string, string]> = [
  ["crashloop crashlooping crashloops", "crash loop"],
  ["crashloopbackoff", "crash loop back off"],
  ["imagepullbackoff", "image pull back off"],
  ["errimagepull", "err image pull"],
  ["backoff", "back off"],
  ["oomkilled oomkill oomkiller", "oom killed"],
  ["healthcheck healthchecks", "health check"],
  ["readonly", "read only"],
  ["statefulset statefulsets", "stateful set"],
  ["daemonset daemonsets", "daemon set"],
  ["replicaset replicasets", "replica set"],
  ["configmap configmaps", "config map"],
  ["persistentvolume persistentvolumes", "persistent volume"],
  ["persistentvolumeclaim persistentvolumeclaims", "persistent volume claim"],
  ["apiserver apiservers", "api server"],
  ["kubeapi", "kube api"],
  ["loadbalancer loadbalancers", "load balancer"],
  ["nodeport", "node port"],
  ["cronjob cronjobs", "cron job"],
  ["keepalive keepalives", "keep alive"],
  ["hostname hostnames", "host name"],
  ["nodename", "node name"],
];

const DECOMPOUND: ReadonlyMap<string, readonly string[]> = new Map(
  COMPOUNDS.flatMap(([joined, parts]) => {
    const stems = parts.split(" ").map(stem);
    return joined.split(" ").map((w) => [stem(w), stems] as const);
  }),
);

const NONE: readonly string[] = [];
const NOT: readonly string[] = ["not"];
/** Analysis of one lowercase word is pure, and ops text repeats words a lot: memoise it. */
const termCache = new Map<string, readonly string[]>();
const TERM_CACHE_MAX = 200_000;

/** Terms for one lowercase word part: numbers, stopwords, stemming and compounds. */
function termsOf(raw: string): readonly string[] {
  const hit = termCache.get(raw);
  if (hit) return hit;
  let terms: readonly string[];
  if (raw === "cannot") terms = NOT;
  else if (DIGITS.test(raw)) terms = MEANINGFUL_NUMBER.test(raw) ? [raw] : NONE;
  else if (raw.length < 2 || STOPWORDS.has(raw)) terms = NONE;
  else {
    const term = stem(raw);
    terms = DECOMPOUND.get(term) ?? [term];
  }
  if (termCache.size >= TERM_CACHE_MAX) termCache.clear();
  termCache.set(raw, terms);
  return terms;
}

const ASCII_LOWER_WORD = /^[a-z]+$/;
const ASCII_CAPITALISED_WORD = /^[A-Z][a-z]+$/;
const NON_ASCII = /\P{ASCII}/u;

/** Receives each term with its source span; boost is 1 except on whole identifiers. */
type Emit = (term: string, start: number, end: number, boost: number) => void;

/** Analyse one chunk (alphanumerics with inner apostrophes) found at `base`. */
function emitWord(chunk: string, base: number, emit: Emit): void {
  // Fast path: plain words (most of any text) have exactly one part.
  if (ASCII_LOWER_WORD.test(chunk) || ASCII_CAPITALISED_WORD.test(chunk)) {
    for (const term of termsOf(chunk.toLowerCase())) emit(term, base, base + chunk.length, 1);
    return;
  }
  if (NEGATION.test(chunk)) {
    emit("not", base, base + chunk.length, 1);
    return;
  }
  const word = chunk.replace(CLITIC, ""); // pod's → pod, we'll → we
  let parts = 0;
  for (const part of word.matchAll(NON_ASCII.test(word) ? PART : ASCII_PART)) {
    const start = base + part.index;
    const end = start + part[0].length;
    for (const term of termsOf(part[0].toLowerCase())) {
      emit(term, start, end, 1);
      parts++;
    }
  }
  // Keep a split identifier whole as well (KubePodCrashLooping → kubepodcrashlooping): an exact
  // alert or metric name is the strongest evidence there is, and its parts alone are ambiguous.
  // Known compounds are already represented by their parts, whichever way they were spelled.
  if (parts < 2 || word.length > MAX_IDENTIFIER || !IDENTIFIER.test(word)) return;
  const lower = word.toLowerCase();
  if (!DECOMPOUND.has(stem(lower))) emit(lower, base, base + word.length, identifierBoost(parts));
}

const isAsciiAlnum = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
const isAsciiLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/**
 * Ops-aware analysis: strip noise values, split words on punctuation, CamelCase and letter/digit
 * boundaries, lowercase, drop stopwords, numbers and single letters, Porter-stem, split known
 * compounds. Emits terms with source offsets, in text order.
 */
function scan(text: string, emit: Emit): void {
  const clean = text.replace(HAS_DIGIT, (run) => run.replace(NOISE, (m) => " ".repeat(m.length)));
  if (NON_ASCII.test(clean)) {
    for (const chunk of clean.matchAll(CHUNK)) emitWord(chunk[0], chunk.index, emit);
    return;
  }
  // ASCII text (the usual case): the same chunking as CHUNK by hand, without regex iteration.
  const n = clean.length;
  let i = 0;
  while (i < n) {
    if (!isAsciiAlnum(clean.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let plain = true; // lowercase letters, optionally one leading capital
    for (let c = clean.charCodeAt(i); i < n && isAsciiAlnum(c); c = clean.charCodeAt(++i)) {
      if (c < 97 && !(c >= 65 && c <= 90 && i === start)) plain = false;
    }
    while (i + 1 < n && clean.charCodeAt(i) === 39 && isAsciiLetter(clean.charCodeAt(i + 1))) {
      plain = false;
      i++;
      while (i < n && isAsciiLetter(clean.charCodeAt(i))) i++;
    }
    if (!plain) {
      emitWord(clean.slice(start, i), start, emit);
      continue;
    }
    const c0 = clean.charCodeAt(start);
    const word = c0 <= 90 ? clean.slice(start, i).toLowerCase() : clean.slice(start, i);
    for (const term of termsOf(word)) emit(term, start, i, 1);
  }
}

/** Analysed terms with source spans (for highlighting) and query boosts. */
export function analyze(text: string): Token[] {
  const out: Token[] = [];
  scan(text, (term, start, end, boost) => {
    out.push(boost === 1 ? { term, start, end } : { term, start, end, boost });
  });
  return out;
}

/** Analysed terms only, in text order (with repeats). */
export const tokenize: Analyzer = (text) => {
  const out: string[] = [];
  scan(text, (term) => {
    out.push(term);
  });
  return out;
};
