import type { IncidentSummaryV1 } from "@aegis/contracts";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { IncidentTable } from "./incident-table.js";
import { defaultView } from "./incident-table-model.js";

afterEach(cleanup);

const rows: IncidentSummaryV1[] = Array.from({ length: 10_000 }, (_, n) => ({
  id: `id${n}`,
  incident_id: `id${n}`,
  reference: `INC-${n + 1}`,
  title: `Incident ${n + 1}`,
  description: "",
  service_name: "svc",
  affected_services: [],
  severity: "high",
  state: "detected",
  status: "detected",
  automation_status: "RECEIVED",
  dry_run: false,
  project_id: "p",
  detected_at: new Date(Date.UTC(2026, 0, 1)).toISOString(),
  acknowledged_at: null,
  investigating_started_at: null,
  mitigated_at: null,
  resolved_at: null,
  created_at: "",
  updated_at: "",
}));

describe("IncidentTable", () => {
  it("puts only the rows on screen in the DOM, and the scrolled-to ones after a scroll", () => {
    render(<IncidentTable rows={rows} view={defaultView} onSort={() => undefined} onOpen={() => undefined} />);
    const region = screen.getByRole("region", { name: "Incidents table" });
    const shown = () =>
      within(region)
        .getAllByRole("link")
        .map((a) => a.textContent);
    expect(shown().length).toBeLessThan(40);
    expect(shown()[0]).toBe("INC-1");
    fireEvent.scroll(region, { target: { scrollTop: 41 * 5000 } });
    expect(shown()).toContain("INC-5001");
    expect(shown()).not.toContain("INC-1");
    expect(screen.getByRole("table").getAttribute("aria-rowcount")).toBe("10001");
  });

  it("reports column clicks and marks the sorted column for assistive technology", () => {
    const sorted: string[] = [];
    const opened: string[] = [];
    render(
      <IncidentTable
        rows={rows.slice(0, 3)}
        view={{ sort: "severity", dir: "asc" }}
        onSort={(k) => sorted.push(k)}
        onOpen={(id) => opened.push(id)}
      />,
    );
    fireEvent.click(screen.getByRole("button", { name: /^Title/ }));
    expect(sorted).toEqual(["title"]);
    expect(screen.getByRole("columnheader", { name: /Severity/ }).getAttribute("aria-sort")).toBe("ascending");
    fireEvent.click(screen.getByRole("link", { name: "INC-2" }));
    expect(opened).toEqual(["id1"]);
  });
});
