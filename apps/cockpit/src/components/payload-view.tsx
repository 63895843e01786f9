/**
 * A seed-003 `data` payload shown as the server sent it: a list of records as a table, a record as
 * labelled values, nested parts recursively. Used for resources whose fields the seed does not fix.
 */
export function PayloadView({ value, depth = 0 }: { value: unknown; depth?: number }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (typeof value !== "object") return <span>{formatScalar(value)}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    if (value.every((v) => v && typeof v === "object" && !Array.isArray(v))) {
      const columns = [...new Set(value.flatMap((v) => Object.keys(v as object)))].slice(0, 10);
      return (
        // A scrollable region must be reachable by keyboard (axe: scrollable-region-focusable).
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the region scrolls; focus lets keyboard users scroll it
        <section className="table-scroll" tabIndex={0} aria-label={`Table of ${value.length} records`}>
          <table>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col">
                    {label(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {value.slice(0, 500).map((row, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows of an arbitrary list have no id of their own
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c}>
                      <PayloadView value={(row as Record<string, unknown>)[c]} depth={depth + 1} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      );
    }
    return <span>{value.map(formatScalar).join(", ")}</span>;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (depth > 2) return <span className="mono">{JSON.stringify(value)}</span>;
  return (
    <dl className={depth === 0 ? "cards" : undefined}>
      {entries.map(([k, v]) => (
        <div key={k} className={depth === 0 ? "panel" : undefined}>
          <dt className="muted small">{label(k)}</dt>
          <dd style={{ margin: 0 }}>
            <PayloadView value={v} depth={depth + 1} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

const label = (k: string) => k.replaceAll("_", " ");

function formatScalar(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(2);
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (v && typeof v === "object") return JSON.stringify(v);
  return String(v);
}
