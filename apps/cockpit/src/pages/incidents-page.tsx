import type { LifecycleState } from "@aegis/contracts";
import { useMemo } from "react";
import { useCockpit } from "../cockpit-context.js";
import { errorText } from "../components/error-text.js";
import { useFetch } from "../components/use-fetch.js";
import { useThrottled } from "../components/use-throttled.js";
import { IncidentTable } from "../incidents/incident-table.js";
import {
  PAGE_SIZES,
  sortRows,
  type TableView,
  toggleSort,
  viewFromSearch,
  viewToQuery,
  viewToSearch,
  withFilter,
} from "../incidents/incident-table-model.js";
import { useLive } from "../live/live-store.js";

const STATES: LifecycleState[] = [
  "detected",
  "acknowledged",
  "investigating",
  "mitigated",
  "resolved",
  "learned",
  "inconclusive",
];
const AUTOMATION = [
  "RECEIVED",
  "ANALYSING",
  "COUNCIL_REVIEW",
  "AWAITING_APPROVAL",
  "EXECUTING",
  "VERIFYING",
  "RESOLVED",
  "FAILED",
];
const SEVERITIES = ["critical", "high", "medium", "low", "info", "CRITICAL", "WARNING", "INFO"];

/** Every incident of the project: filtered and paged by the server, sorted here, the view kept in the URL. */
export function IncidentsPage({ search }: { search: string }) {
  const { client, navigate, live } = useCockpit();
  const view = useMemo(() => viewFromSearch(search), [search]);
  // New incidents and status changes arrive as frames: the page refetches when the live list moves.
  const liveMark = useThrottled(
    useLive(live, (s) => s.incidents),
    2000,
  );
  const page = useFetch(() => client.incidentPage(viewToQuery(view)), [client, search, liveMark]);
  const rows = useMemo(() => sortRows(page.data?.items ?? [], view), [page.data, view]);
  const go = (v: TableView) => navigate(`/ui/incidents${viewToSearch(v)}`, true);
  const pages = page.data ? Math.max(1, Math.ceil(page.data.total / view.pageSize)) : 1;

  return (
    <>
      <h1>Incidents</h1>
      <form
        className="panel row"
        aria-label="Filters"
        onSubmit={(e) => e.preventDefault()}
        style={{ marginBottom: 12 }}
      >
        <label>
          State
          <select
            value={view.state}
            onChange={(e) => go(withFilter(view, { state: e.target.value as LifecycleState | "" }))}
          >
            <option value="">any</option>
            {STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Automation status
          <select value={view.automation} onChange={(e) => go(withFilter(view, { automation: e.target.value }))}>
            <option value="">any</option>
            {AUTOMATION.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Severity
          <select value={view.severity} onChange={(e) => go(withFilter(view, { severity: e.target.value }))}>
            <option value="">any</option>
            {SEVERITIES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Service
          <input
            defaultValue={view.service}
            placeholder="exact name"
            onKeyDown={(e) => e.key === "Enter" && go(withFilter(view, { service: e.currentTarget.value.trim() }))}
            onBlur={(e) =>
              e.currentTarget.value.trim() !== view.service &&
              go(withFilter(view, { service: e.currentTarget.value.trim() }))
            }
          />
        </label>
        <label>
          Rows per page
          <select value={view.pageSize} onChange={(e) => go(withFilter(view, { pageSize: Number(e.target.value) }))}>
            {PAGE_SIZES.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
      </form>
      {page.error ? (
        <p className="error" role="alert">
          {errorText(page.error)}
        </p>
      ) : null}
      <section className="panel" aria-live="polite" aria-busy={page.loading}>
        <p className="small muted" style={{ marginTop: 0 }}>
          {page.data
            ? `${page.data.total} incident(s); page ${view.page} of ${pages}. Sorting applies to this page.`
            : "Loading…"}
        </p>
        <IncidentTable
          rows={rows}
          view={view}
          onSort={(k) => go(toggleSort(view, k))}
          onOpen={(id) => navigate(`/ui/incidents/${encodeURIComponent(id)}`)}
        />
        <nav className="row" aria-label="Pagination" style={{ marginTop: 8 }}>
          <button type="button" disabled={view.page <= 1} onClick={() => go({ ...view, page: view.page - 1 })}>
            Previous
          </button>
          <span>
            Page {view.page} of {pages}
          </span>
          <button type="button" disabled={!page.data?.has_next} onClick={() => go({ ...view, page: view.page + 1 })}>
            Next
          </button>
        </nav>
      </section>
    </>
  );
}
