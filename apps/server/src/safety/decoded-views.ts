const ZERO_WIDTH = /[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g;
/** Unicode "tag" characters mirror ASCII invisibly (ASCII smuggling). */
const TAG_CHARS = /[\u{e0020}-\u{e007e}]/gu;
const BASE64_RUN = /[A-Za-z0-9+/_-]{24,}={0,2}/g;

/** The text plus decoded views of it, so escaping or invisible padding cannot hide a directive. */
export function visibleVariants(text: string): string[] {
  const variants = new Set<string>([text]);
  let unescaped = text;
  for (let pass = 0; pass < 2; pass += 1) unescaped = unescapeJson(unescaped);
  variants.add(unescaped);
  const cleaned = unescaped.replace(ZERO_WIDTH, "").normalize("NFKC");
  variants.add(cleaned);
  variants.add(percentDecode(cleaned));
  return [...variants];
}

export interface HiddenText {
  encoding: "base64" | "unicode tags";
  text: string;
}

/** Text hidden in Unicode tag characters or in base64 runs that decode to printable text. */
export function hiddenTexts(text: string): HiddenText[] {
  const hidden: HiddenText[] = [];
  const tags = text.match(TAG_CHARS);
  if (tags && tags.length > 0) {
    hidden.push({
      encoding: "unicode tags",
      text: tags.map((ch) => String.fromCharCode((ch.codePointAt(0) ?? 0xe0020) - 0xe0000)).join(""),
    });
  }
  for (const run of text.match(BASE64_RUN) ?? []) {
    const decoded = decodeBase64Text(run);
    if (decoded !== null) hidden.push({ encoding: "base64", text: decoded });
  }
  return hidden;
}

function unescapeJson(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replace(/\\[nr]/g, "\n")
    .replace(/\\t/g, " ")
    .replace(/\\(["'\\/])/g, "$1");
}

function percentDecode(text: string): string {
  if (!/%[0-9a-fA-F]{2}/.test(text)) return text;
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** Decoded text when the run is base64 of mostly printable ASCII; binary blobs and ids yield null. */
function decodeBase64Text(run: string): string | null {
  const decoded = Buffer.from(run.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("latin1");
  if (decoded.length < 16) return null;
  let printable = 0;
  for (const ch of decoded) {
    const code = ch.charCodeAt(0);
    if ((code >= 0x20 && code < 0x7f) || code === 0x0a || code === 0x0d || code === 0x09) printable += 1;
  }
  return printable / decoded.length >= 0.95 ? decoded : null;
}
