/**
 * A Porter (1980) stemmer, written out here to avoid a dependency, with two ops-minded tweaks:
 * words with digits are left alone (5xx, p99, x509), and "failur" folds into "fail" so
 * failure / failures / failed / failing share one term.
 */

const IRREGULAR: ReadonlyMap<string, string> = new Map([["failur", "fail"]]);

const isVowelAt = (w: string, i: number): boolean => {
  const c = w.charCodeAt(i);
  // a e i o u
  if (c === 97 || c === 101 || c === 105 || c === 111 || c === 117) return true;
  // y is a vowel after a consonant
  if (c === 121) return i > 0 && !isVowelAt(w, i - 1);
  return false;
};

/** Porter's m: the number of vowel-consonant sequences in w. */
const measure = (w: string): number => {
  let m = 0;
  let i = 0;
  const n = w.length;
  while (i < n && !isVowelAt(w, i)) i++;
  while (i < n) {
    while (i < n && isVowelAt(w, i)) i++;
    if (i >= n) break;
    while (i < n && !isVowelAt(w, i)) i++;
    m++;
  }
  return m;
};

const hasVowel = (w: string): boolean => {
  for (let i = 0; i < w.length; i++) if (isVowelAt(w, i)) return true;
  return false;
};

const endsDoubleConsonant = (w: string): boolean => {
  const n = w.length;
  return n >= 2 && w[n - 1] === w[n - 2] && !isVowelAt(w, n - 1);
};

/** consonant-vowel-consonant ending, where the last consonant is not w, x or y. */
const endsCvc = (w: string): boolean => {
  const n = w.length;
  if (n < 3) return false;
  if (isVowelAt(w, n - 1) || !isVowelAt(w, n - 2) || isVowelAt(w, n - 3)) return false;
  const last = w[n - 1];
  return last !== "w" && last !== "x" && last !== "y";
};

/** Replace suffix when the remaining stem has measure > minM. Returns null when suffix doesn't match. */
const replaceIf = (w: string, suffix: string, repl: string, minM: number): string | null => {
  if (!w.endsWith(suffix)) return null;
  const base = w.slice(0, w.length - suffix.length);
  return measure(base) > minM ? base + repl : w;
};

const STEP2: ReadonlyArray<readonly [string, string]> = [
  ["ational", "ate"],
  ["tional", "tion"],
  ["enci", "ence"],
  ["anci", "ance"],
  ["izer", "ize"],
  ["abli", "able"],
  ["alli", "al"],
  ["entli", "ent"],
  ["eli", "e"],
  ["ousli", "ous"],
  ["ization", "ize"],
  ["ation", "ate"],
  ["ator", "ate"],
  ["alism", "al"],
  ["iveness", "ive"],
  ["fulness", "ful"],
  ["ousness", "ous"],
  ["aliti", "al"],
  ["iviti", "ive"],
  ["biliti", "ble"],
];

const STEP3: ReadonlyArray<readonly [string, string]> = [
  ["icate", "ic"],
  ["ative", ""],
  ["alize", "al"],
  ["iciti", "ic"],
  ["ical", "ic"],
  ["ful", ""],
  ["ness", ""],
];

const STEP4 = [
  "al",
  "ance",
  "ence",
  "er",
  "ic",
  "able",
  "ible",
  "ant",
  "ement",
  "ment",
  "ent",
  "ion",
  "ou",
  "ism",
  "ate",
  "iti",
  "ous",
  "ive",
  "ize",
];

const step1a = (w: string): string => {
  if (w.endsWith("sses")) return w.slice(0, -2);
  if (w.endsWith("ies")) return w.slice(0, -2);
  // "us"/"is" endings are singular (status, redis, analysis), not plurals.
  if (w.endsWith("ss") || w.endsWith("us") || w.endsWith("is")) return w;
  if (w.endsWith("s")) return w.slice(0, -1);
  return w;
};

const step1b = (w: string): string => {
  if (w.endsWith("eed")) {
    const base = w.slice(0, -3);
    return measure(base) > 0 ? `${base}ee` : w;
  }
  let base: string | null = null;
  if (w.endsWith("ed")) base = w.slice(0, -2);
  else if (w.endsWith("ing")) base = w.slice(0, -3);
  if (base === null || !hasVowel(base)) return w;
  if (base.endsWith("at") || base.endsWith("bl") || base.endsWith("iz")) return `${base}e`;
  if (endsDoubleConsonant(base)) {
    const last = base[base.length - 1];
    return last === "l" || last === "s" || last === "z" ? base : base.slice(0, -1);
  }
  if (measure(base) === 1 && endsCvc(base)) return `${base}e`;
  return base;
};

const step1c = (w: string): string => (w.endsWith("y") && hasVowel(w.slice(0, -1)) ? `${w.slice(0, -1)}i` : w);

const step2or3 = (w: string, table: ReadonlyArray<readonly [string, string]>): string => {
  for (const [suffix, repl] of table) {
    const r = replaceIf(w, suffix, repl, 0);
    if (r !== null) return r;
  }
  return w;
};

const step4 = (w: string): string => {
  // Longest suffix first matters for ement/ment/ent.
  let best = "";
  for (const s of STEP4) if (w.endsWith(s) && s.length > best.length) best = s;
  if (!best) return w;
  const base = w.slice(0, w.length - best.length);
  if (measure(base) <= 1) return w;
  if (best === "ion") {
    const last = base[base.length - 1];
    return last === "s" || last === "t" ? base : w;
  }
  return base;
};

const step5 = (w: string): string => {
  let out = w;
  if (out.endsWith("e")) {
    const base = out.slice(0, -1);
    const m = measure(base);
    if (m > 1 || (m === 1 && !endsCvc(base))) out = base;
  }
  if (measure(out) > 1 && out.endsWith("ll")) out = out.slice(0, -1);
  return out;
};

/** Stem one lowercase word. Short words and words containing digits are returned unchanged. */
export function stem(word: string): string {
  if (word.length <= 3 || /[^a-z]/.test(word)) return word;
  let w = step1a(word);
  w = step1b(w);
  w = step1c(w);
  w = step2or3(w, STEP2);
  w = step2or3(w, STEP3);
  w = step4(w);
  w = step5(w);
  return IRREGULAR.get(w) ?? w;
}
