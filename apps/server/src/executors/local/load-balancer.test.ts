import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "./free-port.js";
import { LoadBalancer } from "./load-balancer.js";
import type { ExecutorLogger } from "./local-executor-options.js";

const quiet: ExecutorLogger = { info: () => {}, warn: () => {}, error: () => {} };

interface Fake {
  name: string;
  port: number;
  server: Server;
  healthStatus: number;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function fake(name: string): Promise<Fake> {
  const f: Fake = { name, port: 0, server: createServer(), healthStatus: 200 };
  f.server.on("request", (req, res) => {
    if (req.url === "/health") {
      res.writeHead(f.healthStatus, { "content-type": "application/json" });
      res.end(JSON.stringify({ name }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`${name}:${Buffer.concat(chunks).length}`);
    });
  });
  await new Promise<void>((resolve) => f.server.listen(0, "127.0.0.1", resolve));
  f.port = (f.server.address() as AddressInfo).port;
  cleanups.push(
    () =>
      new Promise((resolve) => {
        f.server.closeAllConnections();
        f.server.close(() => resolve());
      }),
  );
  return f;
}

async function balancer(healthIntervalMs = 100): Promise<{ lb: LoadBalancer; url: string }> {
  const lb = new LoadBalancer({ host: "127.0.0.1", port: 0, healthPath: "/health", logger: quiet, healthIntervalMs });
  const { port } = await lb.start();
  cleanups.push(() => lb.stop());
  return { lb, url: `http://127.0.0.1:${port}` };
}

const upstream = (f: Fake) => ({ name: f.name, host: "127.0.0.1", port: f.port });

describe("LoadBalancer", () => {
  it("round-robins across upstreams and names the one that answered", async () => {
    const [a, b, c] = await Promise.all([fake("a"), fake("b"), fake("c")]);
    const { lb, url } = await balancer(60_000);
    lb.setUpstreams([a, b, c].map((f) => upstream(f as Fake)));
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${url}/work`);
      seen.push(res.headers.get("x-aegis-upstream") ?? "?");
      await res.text();
    }
    expect(seen).toEqual(["a", "b", "c", "a", "b", "c"]);
  });

  it("skips an upstream that refuses connections without failing the request", async () => {
    const a = await fake("a");
    const deadPort = await freePort();
    const { lb, url } = await balancer(60_000);
    lb.setUpstreams([{ name: "dead", host: "127.0.0.1", port: deadPort }, upstream(a)]);
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${url}/work`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("a:0");
    }
    expect(lb.view().find((u) => u.name === "dead")?.healthy).toBe(false);
  });

  it("answers 502 JSON when no upstream is healthy", async () => {
    const { lb, url } = await balancer(60_000);
    lb.setUpstreams([{ name: "dead", host: "127.0.0.1", port: await freePort() }]);
    const first = await fetch(`${url}/x`);
    expect(first.status).toBe(502);
    expect(await first.json()).toMatchObject({ error: "bad_gateway" });
    const second = await fetch(`${url}/x`);
    expect(await second.json()).toEqual({ error: "bad_gateway", message: "no healthy upstream" });
  });

  it("streams request bodies and counts bytes per upstream", async () => {
    const a = await fake("a");
    const { lb, url } = await balancer(60_000);
    lb.setUpstreams([upstream(a)]);
    const body = "x".repeat(100_000);
    const res = await fetch(`${url}/upload`, { method: "POST", body });
    expect(await res.text()).toBe("a:100000");
    const traffic = lb.trafficOf("a");
    expect(traffic.rx).toBeGreaterThan(100_000);
    expect(traffic.tx).toBeGreaterThan("a:100000".length);
    expect(lb.totalTraffic().rx).toBeGreaterThanOrEqual(100_000);
  });

  it("takes upstreams out on failing health checks and back when they recover", async () => {
    const [a, b] = await Promise.all([fake("a"), fake("b")]);
    const { lb, url } = await balancer(100);
    lb.setUpstreams([upstream(a), upstream(b)]);
    b.healthStatus = 500;
    await sleep(400);
    expect(lb.view().find((u) => u.name === "b")?.healthy).toBe(false);
    for (let i = 0; i < 4; i++) expect(await (await fetch(`${url}/w`)).text()).toBe("a:0");
    b.healthStatus = 200;
    await sleep(400);
    expect(lb.view().every((u) => u.healthy)).toBe(true);
  });

  it("does not route to a drained upstream", async () => {
    const [a, b] = await Promise.all([fake("a"), fake("b")]);
    const { lb, url } = await balancer(60_000);
    lb.setUpstreams([upstream(a), upstream(b)]);
    lb.setEnabled("a", false);
    for (let i = 0; i < 3; i++) expect(await (await fetch(`${url}/w`)).text()).toBe("b:0");
    lb.setEnabled("a", true);
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) names.add(await (await fetch(`${url}/w`)).text());
    expect(names).toEqual(new Set(["a:0", "b:0"]));
  });
});
