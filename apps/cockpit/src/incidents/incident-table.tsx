import type { IncidentSummaryV1 } from "@aegis/contracts";
import { useState } from "react";
import { StatusBadge } from "../components/status-badge.js";
import type { SortKey, TableView } from "./incident-table-model.js";
import { visibleRange } from "./virtual-rows.js";

const ROW = 41;
const VIEWPORT = 520;

const COLUMNS: { key: SortKey; label: string; narrow?: boolean }[] = [
  { key: "reference", label: "Ref" },
  { key: "title", label: "Title" },
  { key: "severity", label: "Severity" },
  { key: "state", label: "State" },
  { key: "automation_status", label: "Automation", narrow: true },
  { key: "service_name", label: "Service", narrow: true },
  { key: "detected_at", label: "Detected", narrow: true },
];

/** The incidents as a sortable table; only the rows on screen are in the DOM, so thousands scroll smoothly. */
export function IncidentTable(props: {
  rows: readonly IncidentSummaryV1[];
  view: Pick<TableView, "sort" | "dir">;
  onSort: (key: SortKey) => void;
  onOpen: (id: string) => void;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const { start, end } = visibleRange(scrollTop, VIEWPORT, ROW, props.rows.length);
  const shown = props.rows.slice(start, end);
  return (
    <section
      className="table-scroll"
      style={{ maxHeight: VIEWPORT }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
      tabIndex={0}
      aria-label="Incidents table"
    >
      <table aria-rowcount={props.rows.length + 1}>
        <thead style={{ position: "sticky", top: 0, background: "var(--panel)" }}>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={c.narrow ? "hide-narrow" : undefined}
                aria-sort={props.view.sort === c.key ? (props.view.dir === "asc" ? "ascending" : "descending") : "none"}
              >
                <button type="button" className="sort" onClick={() => props.onSort(c.key)}>
                  {c.label}
                  {props.view.sort === c.key ? (props.view.dir === "asc" ? " ▲" : " ▼") : ""}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {start > 0 && <tr style={{ height: start * ROW }} />}
          {shown.map((r, n) => (
            <tr key={r.id} aria-rowindex={start + n + 2} style={{ height: ROW }} data-incident={r.id}>
              <td className="mono">
                <a
                  href={`/ui/incidents/${encodeURIComponent(r.id)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    props.onOpen(r.id);
                  }}
                >
                  {r.reference}
                </a>
              </td>
              <td>{r.title}</td>
              <td>
                <StatusBadge value={r.severity} />
              </td>
              <td>
                <StatusBadge value={r.state} />
              </td>
              <td className="hide-narrow">
                <StatusBadge value={r.automation_status} />
              </td>
              <td className="hide-narrow">{r.service_name ?? "—"}</td>
              <td className="hide-narrow small">{new Date(r.detected_at).toLocaleString()}</td>
            </tr>
          ))}
          {end < props.rows.length && <tr style={{ height: (props.rows.length - end) * ROW }} />}
        </tbody>
      </table>
    </section>
  );
}
