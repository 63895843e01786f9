import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { incident } from "../builtin/test-helpers.js";
import { emptyTrace } from "./analysis-detail.js";
import { Investigator } from "./investigator.js";
import { Redactor } from "./redactor.js";
import { executorStub, knowledgeStub } from "./test-engine.js";

let prometheus: ReturnType<typeof createServer>;
let url = "";
const queries: string[] = [];

beforeAll(async () => {
  prometheus = createServer((req, res) => {
    const q = new URL(req.url ?? "/", "http://x").searchParams.get("query") ?? "";
    queries.push(q);
    if (q === "broken(") {
      res.writeHead(400, { "content-type": "application/json" }).end('{"status":"error","error":"parse error"}');
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        status: "success",
        data: { resultType: "vector", result: [{ metric: { instance: "10.1.2.3:9100" }, value: [1, "0.97"] }] },
      }),
    );
  });
  await new Promise<void>((r) => prometheus.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => prometheus.close(() => r())));

const investigator = (prometheusUrl?: string) =>
  new Investigator({
    knowledge: knowledgeStub,
    executor: executorStub,
    redactor: new Redactor(),
    prometheusUrl,
    projectId: "default",
  });
const call = (name: string, args: object) => ({ id: "c1", name, arguments: JSON.stringify(args) });

describe("Investigator", () => {
  it("offers prometheus_query only when Prometheus is configured", () => {
    expect(
      investigator()
        .specs()
        .map((s) => s.name),
    ).not.toContain("prometheus_query");
    expect(
      investigator(url)
        .specs()
        .map((s) => s.name),
    ).toContain("prometheus_query");
  });

  it("runs a PromQL query, redacts the result and cites it", async () => {
    const trace = emptyTrace();
    const out = await investigator(url).call(
      call("prometheus_query", { query: 'rate(http_requests_total{code="500"}[5m])' }),
      incident("x"),
      trace,
      new AbortController().signal,
    );
    expect(queries).toContain('rate(http_requests_total{code="500"}[5m])');
    expect(out.ok).toBe(true);
    expect(out.content).toContain("[REDACTED:ip]");
    expect(out.content).not.toContain("10.1.2.3");
    expect(out.citations[0]).toMatchObject({
      source: "prometheus",
      reference: 'PromQL: rate(http_requests_total{code="500"}[5m])',
    });
    expect(trace.toolsCompleted).toEqual(["prometheus_query"]);
  });

  it.each([
    ["a Prometheus error", "prometheus_query", { query: "broken(" }, /HTTP 400/],
    ["an unknown tool", "rm_rf", {}, /unknown tool/],
    ["an unknown target", "container_logs", { target: "postgres" }, /unknown target postgres/],
    ["arguments that are not JSON", "container_logs", "{oops", /JSON/],
  ])("reports %s to the model as a failed tool, never throws", async (_, name, args, message) => {
    const trace = emptyTrace();
    const c = typeof args === "string" ? { id: "c", name, arguments: args } : call(name, args);
    const out = await investigator(url).call(c, incident("x"), trace, new AbortController().signal);
    expect(out.ok).toBe(false);
    expect(out.content).toMatch(message);
    expect(trace.toolsFailed).toEqual([name]);
  });

  it("bounds a tool that hangs", async () => {
    const slow = new Investigator({
      knowledge: { ...knowledgeStub, similar: () => new Promise(() => undefined) },
      executor: executorStub,
      redactor: new Redactor(),
      projectId: "default",
      toolTimeoutMs: 100,
    });
    const t0 = Date.now();
    const out = await slow.call(
      call("similar_incidents", {}),
      incident("x"),
      emptyTrace(),
      new AbortController().signal,
    );
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(out).toMatchObject({ ok: false, content: expect.stringMatching(/timed out/) });
  });

  it("offers runtime_state when the runtime can describe a target, and cites its termination reason", async () => {
    expect(
      investigator()
        .specs()
        .map((s) => s.name),
    ).not.toContain("runtime_state");
    const describe = `Name: buggy-app-v2\n${"Annotations: filler\n".repeat(400)}    Last State:  Terminated\n      Reason:  OOMKilled\n      Exit Code:  137\n${"Labels: filler\n".repeat(400)}`;
    const runtime = new Investigator({
      knowledge: knowledgeStub,
      executor: {
        ...executorStub,
        gatherEvidence: async (target: string) => ({
          subject: `Deployment default/${target}`,
          describe,
          events: "Warning  BackOff  kubelet  Back-off restarting failed container",
          logs: "",
          previousLogs: "token=abcd1234secretvalue allocating buffers",
          nodeConditions: "",
          labels: {},
        }),
      } as unknown as typeof executorStub,
      redactor: new Redactor(),
      projectId: "default",
    });
    expect(runtime.specs().map((s) => s.name)).toContain("runtime_state");
    const out = await runtime.call(
      call("runtime_state", { target: "buggy-app-v2" }),
      incident("x"),
      emptyTrace(),
      new AbortController().signal,
    );
    expect(out.ok).toBe(true);
    // The reason sits in the middle of a long describe: kept by the salient cut, not lost to a blind one.
    expect(out.content).toContain("Reason:  OOMKilled");
    expect(out.content.length).toBeLessThanOrEqual(4000);
    expect(out.content).not.toContain("abcd1234secretvalue");
    expect(out.citations[0]?.excerpt).toContain("OOMKilled");
  });
});
