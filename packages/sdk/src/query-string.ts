/** `?a=1&b=x` from the defined entries of `q` (empty when none). */
export function queryString(q: Record<string, string | number | boolean | undefined | null>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null) qs.set(k, String(v));
  return qs.size > 0 ? `?${qs}` : "";
}

/** A path segment, escaped. */
export const seg = (s: string): string => encodeURIComponent(s);
