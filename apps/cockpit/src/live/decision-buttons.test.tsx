import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { can } from "../session/permissions.js";
import { testCockpit, WithCockpit } from "../test-cockpit.js";
import { DecisionButtons } from "./decision-buttons.js";

afterEach(cleanup);

function recordingFetch(status: number, body: unknown) {
  const calls: { url: string; method: string; auth: string | null; body: string }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({
      url,
      method: String(init.method),
      auth: new Headers(init.headers).get("authorization"),
      body: String(init.body ?? ""),
    });
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

describe("role gating", () => {
  it("lets members and above decide, viewers not; an API key's role is the server's call", () => {
    expect(can("viewer", "approve")).toBe(false);
    expect(can("member", "approve")).toBe(true);
    expect(can("owner", "scale")).toBe(true);
    expect(can("viewer", "scale")).toBe(false);
    expect(can(null, "approve")).toBe(true);
  });

  it("shows a viewer no approve or reject button", () => {
    const { fetch } = recordingFetch(200, {});
    render(
      <WithCockpit cockpit={testCockpit("viewer", fetch)}>
        <DecisionButtons incidentId="i1" />
      </WithCockpit>,
    );
    expect(screen.queryByRole("button", { name: /approve/i })).toBeNull();
    expect(screen.queryByRole("button", { name: /reject/i })).toBeNull();
    expect(screen.getByText(/waiting for a member/i)).toBeTruthy();
  });

  it("a member approves with a note; the request carries the bearer token", async () => {
    const { fetch, calls } = recordingFetch(200, { incident_id: "i1", status: "APPROVED" });
    let decided = 0;
    render(
      <WithCockpit cockpit={testCockpit("member", fetch)}>
        <DecisionButtons incidentId="i1" onDecided={() => decided++} />
      </WithCockpit>,
    );
    fireEvent.change(screen.getByLabelText(/note/i), { target: { value: "looks right" } });
    fireEvent.click(screen.getByRole("button", { name: "Approve action" }));
    await waitFor(() => expect(decided).toBe(1));
    expect(calls).toEqual([
      {
        url: "http://cockpit.test/api/v1/incidents/i1/approve",
        method: "POST",
        auth: "Bearer tok",
        body: JSON.stringify({ note: "looks right" }),
      },
    ]);
  });

  it("shows the server's refusal", async () => {
    const { fetch } = recordingFetch(409, { error: "incident is not awaiting approval", code: "conflict" });
    render(
      <WithCockpit cockpit={testCockpit("admin", fetch)}>
        <DecisionButtons incidentId="i1" />
      </WithCockpit>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Reject action" }));
    expect((await screen.findByRole("alert")).textContent).toBe("409: incident is not awaiting approval");
  });
});
