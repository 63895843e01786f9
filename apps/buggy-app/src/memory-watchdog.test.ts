import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "./config.js";
import { startMemoryWatchdog } from "./memory-watchdog.js";

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describe("startMemoryWatchdog", () => {
  it("re-arms once memory falls below the threshold", async () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const ids: string[] = [];
    const server = createServer((req, res) => {
      let text = "";
      req.on("data", (c: Buffer) => {
        text += c.toString();
      });
      req.on("end", () => {
        ids.push((JSON.parse(text) as { incident_id: string }).incident_id);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    stops.push(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;

    let rss = 300;
    const config = { ...loadConfig({ WATCHDOG_INTERVAL_MS: "20" }), watchdogUrl: url };
    const watchdog = startMemoryWatchdog(config, () => rss);
    stops.push(() => watchdog.stop());

    await vi.waitFor(() => expect(ids).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(ids).toHaveLength(1);
    rss = 100;
    await new Promise((resolve) => setTimeout(resolve, 60));
    rss = 250;
    await vi.waitFor(() => expect(ids).toHaveLength(2));
    expect(ids[0]).toMatch(/^buggy-app-v2-mem-/);
  });
});
