import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { portStillInUse } from "./port-in-use.js";

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function listen(): Promise<{ server: Server; port: number }> {
  const server = createServer((c) => c.destroy());
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as { port: number }).port };
}

describe("portStillInUse (a start after a killed run)", () => {
  it("waits for a listener that goes away within the grace period", async () => {
    const { server, port } = await listen();
    setTimeout(() => server.close(), 400);
    const started = Date.now();
    expect(await portStillInUse("127.0.0.1", port, 3000)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });

  it("reports a listener that stays past the grace period, and a free port at once", async () => {
    const { port } = await listen();
    expect(await portStillInUse("127.0.0.1", port, 300)).toBe(true);
    const free = await listen();
    free.server.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(await portStillInUse("127.0.0.1", free.port, 300)).toBe(false);
  });
});
