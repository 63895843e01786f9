import type { IncidentSummaryV1 } from "@aegis/contracts";
import { describe, expect, it } from "vitest";
import {
  defaultView,
  sortRows,
  toggleSort,
  viewFromSearch,
  viewToQuery,
  viewToSearch,
  withFilter,
} from "./incident-table-model.js";
import { visibleRange } from "./virtual-rows.js";

const row = (n: number, over: Partial<IncidentSummaryV1> = {}): IncidentSummaryV1 => ({
  id: `id${n}`,
  incident_id: `id${n}`,
  reference: `INC-${n}`,
  title: `t${n}`,
  description: "",
  service_name: null,
  affected_services: [],
  severity: "medium",
  state: "detected",
  status: "detected",
  automation_status: "RECEIVED",
  dry_run: false,
  project_id: "p",
  detected_at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  acknowledged_at: null,
  investigating_started_at: null,
  mitigated_at: null,
  resolved_at: null,
  created_at: "",
  updated_at: "",
  ...over,
});

describe("incident table view", () => {
  it("round-trips through the address bar and ignores what it does not understand", () => {
    const v = {
      ...defaultView,
      page: 3,
      pageSize: 50,
      state: "resolved" as const,
      severity: "critical",
      sort: "severity" as const,
      dir: "asc" as const,
    };
    expect(viewFromSearch(viewToSearch(v))).toEqual(v);
    expect(viewToSearch(defaultView)).toBe("");
    expect(viewFromSearch("?page=-1&page_size=7&state=bogus&sort=drop&automation=lower")).toEqual(defaultView);
  });

  it("asks the server for one page with the filters (automation status as `status`)", () => {
    const v = withFilter({ ...defaultView, page: 4 }, { automation: "AWAITING_APPROVAL", service: "checkout" });
    expect(v.page).toBe(1);
    expect(viewToQuery(v)).toEqual({ page: 1, page_size: 25, status: "AWAITING_APPROVAL", service: "checkout" });
  });

  it("sorts by severity rank, lifecycle order and reference number, and flips on a second click", () => {
    const rows = [
      row(1, { severity: "low", state: "resolved", reference: "INC-10" }),
      row(2, { severity: "critical", state: "acknowledged", reference: "INC-9" }),
      row(3, { severity: "high", state: "detected", reference: "INC-100" }),
    ];
    const bySeverity = toggleSort(defaultView, "severity");
    expect(bySeverity.dir).toBe("asc");
    expect(sortRows(rows, bySeverity).map((r) => r.severity)).toEqual(["critical", "high", "low"]);
    expect(sortRows(rows, toggleSort(bySeverity, "severity")).map((r) => r.severity)).toEqual([
      "low",
      "high",
      "critical",
    ]);
    expect(sortRows(rows, { sort: "state", dir: "asc" }).map((r) => r.state)).toEqual([
      "detected",
      "acknowledged",
      "resolved",
    ]);
    expect(sortRows(rows, { sort: "reference", dir: "asc" }).map((r) => r.reference)).toEqual([
      "INC-9",
      "INC-10",
      "INC-100",
    ]);
    expect(sortRows(rows, { sort: "detected_at", dir: "desc" }).map((r) => r.id)).toEqual(["id3", "id2", "id1"]);
  });

  it("keeps the server's order among equal rows", () => {
    const rows = [row(1), row(2), row(3)];
    expect(sortRows(rows, { sort: "severity", dir: "desc" }).map((r) => r.id)).toEqual(["id1", "id2", "id3"]);
  });

  it("windows a long list to the rows on screen", () => {
    expect(visibleRange(0, 400, 40, 10_000, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleRange(40_000, 400, 40, 10_000, 5)).toEqual({ start: 995, end: 1015 });
    expect(visibleRange(400_000, 400, 40, 10_000, 5)).toEqual({ start: 9995, end: 10_000 });
  });
});
