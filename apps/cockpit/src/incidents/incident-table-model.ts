import type { IncidentSummaryV1, LifecycleState } from "@aegis/contracts";
import type { IncidentListQuery } from "@aegis/sdk";

/** What the incidents table filters on (server side) and sorts on (the loaded rows). */
export interface TableView {
  page: number;
  pageSize: number;
  state: LifecycleState | "";
  /** Seed 000's automation status (capitals), or "". */
  automation: string;
  severity: string;
  service: string;
  sort: SortKey;
  dir: "asc" | "desc";
}

export const SORT_KEYS = [
  "detected_at",
  "reference",
  "title",
  "severity",
  "state",
  "automation_status",
  "service_name",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const PAGE_SIZES = [25, 50, 100] as const;

export const defaultView: TableView = {
  page: 1,
  pageSize: 25,
  state: "",
  automation: "",
  severity: "",
  service: "",
  sort: "detected_at",
  dir: "desc",
};

const LIFECYCLE: readonly LifecycleState[] = [
  "detected",
  "acknowledged",
  "investigating",
  "mitigated",
  "resolved",
  "learned",
  "inconclusive",
];
const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, warning: 2, medium: 2, low: 3, info: 4 };

/** The view in the address bar, so a filtered table can be shared and survives a reload. */
export function viewFromSearch(search: string): TableView {
  const q = new URLSearchParams(search);
  const int = (k: string, d: number, max: number) => {
    const n = Number(q.get(k));
    return Number.isInteger(n) && n >= 1 && n <= max ? n : d;
  };
  const state = q.get("state") ?? "";
  const sort = q.get("sort") ?? "";
  const size = int("page_size", defaultView.pageSize, 100);
  return {
    page: int("page", 1, 1_000_000),
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : defaultView.pageSize,
    state: (LIFECYCLE as readonly string[]).includes(state) ? (state as LifecycleState) : "",
    automation: /^[A-Z_]{1,40}$/.test(q.get("automation") ?? "") ? (q.get("automation") as string) : "",
    severity: (q.get("severity") ?? "").slice(0, 40),
    service: (q.get("service") ?? "").slice(0, 253),
    sort: (SORT_KEYS as readonly string[]).includes(sort) ? (sort as SortKey) : defaultView.sort,
    dir: q.get("dir") === "asc" ? "asc" : "desc",
  };
}

export function viewToSearch(v: TableView): string {
  const q = new URLSearchParams();
  if (v.page !== 1) q.set("page", String(v.page));
  if (v.pageSize !== defaultView.pageSize) q.set("page_size", String(v.pageSize));
  if (v.state) q.set("state", v.state);
  if (v.automation) q.set("automation", v.automation);
  if (v.severity) q.set("severity", v.severity);
  if (v.service) q.set("service", v.service);
  if (v.sort !== defaultView.sort) q.set("sort", v.sort);
  if (v.dir !== defaultView.dir) q.set("dir", v.dir);
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** The list request for a view: the server filters and pages (`status` carries the automation status). */
export function viewToQuery(v: TableView): IncidentListQuery {
  return {
    page: v.page,
    page_size: v.pageSize,
    ...(v.state ? { state: v.state } : {}),
    ...(v.automation ? { status: v.automation } : {}),
    ...(v.severity ? { severity: v.severity } : {}),
    ...(v.service ? { service: v.service } : {}),
  };
}

/** A filter changed: back to the first page. */
export function withFilter(
  v: TableView,
  change: Partial<Pick<TableView, "state" | "automation" | "severity" | "service" | "pageSize">>,
): TableView {
  return { ...v, ...change, page: 1 };
}

/** Clicking a column: sort by it, or flip the direction when it already sorts. */
export function toggleSort(v: TableView, key: SortKey): TableView {
  if (v.sort === key) return { ...v, dir: v.dir === "asc" ? "desc" : "asc" };
  return { ...v, sort: key, dir: key === "detected_at" ? "desc" : "asc" };
}

function compareBy(key: SortKey): (a: IncidentSummaryV1, b: IncidentSummaryV1) => number {
  switch (key) {
    case "severity":
      return (a, b) => rank(a.severity) - rank(b.severity);
    case "state":
      return (a, b) => LIFECYCLE.indexOf(a.state) - LIFECYCLE.indexOf(b.state);
    case "reference":
      return (a, b) => refNumber(a.reference) - refNumber(b.reference);
    case "detected_at":
      return (a, b) => Date.parse(a.detected_at) - Date.parse(b.detected_at);
    case "title":
    case "automation_status":
    case "service_name":
      return (a, b) => (a[key] ?? "").localeCompare(b[key] ?? "");
  }
}

const rank = (s: string | null) => SEVERITY_RANK[(s ?? "").toLowerCase()] ?? 5;
const refNumber = (r: string) => Number(r.replace(/^\D+/, "")) || 0;

/** The rows in the view's order (stable: equal rows keep the server's newest-first order). */
export function sortRows(rows: readonly IncidentSummaryV1[], v: Pick<TableView, "sort" | "dir">): IncidentSummaryV1[] {
  const cmp = compareBy(v.sort);
  const sign = v.dir === "asc" ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => sign * cmp(a.row, b.row) || a.i - b.i)
    .map((x) => x.row);
}
