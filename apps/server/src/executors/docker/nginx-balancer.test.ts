import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePorts } from "../../testing/free-ports.js";
import { NginxBalancer } from "./nginx-balancer.js";

const NGINX = "/usr/sbin/nginx";
const present = existsSync(NGINX);
if (!present && process.env.AEGIS_REQUIRE_POSTGRES === "1") throw new Error(`nginx is required here (${NGINX})`);

function backend(name: string): Promise<Server> {
  const srv = createServer((_req, res) => res.end(name));
  return new Promise((r) => srv.listen(0, "127.0.0.1", () => r(srv)));
}

describe.skipIf(!present)("NginxBalancer (real nginx)", () => {
  let dir: string;
  let lb: NginxBalancer;
  let port: number;
  const servers: Server[] = [];
  const up = (s: Server, name: string) => ({ name, host: "127.0.0.1", port: (s.address() as AddressInfo).port });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "aegis-nginx-"));
    [port] = (await freePorts(1)) as [number];
    servers.push(await backend("a"), await backend("b"));
    lb = new NginxBalancer({ binary: NGINX, dir, listenHost: "127.0.0.1", listenPort: port });
  });
  afterAll(async () => {
    await lb?.stop();
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const hits = async (n: number) => {
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) seen.add(await (await fetch(`http://127.0.0.1:${port}/`)).text());
    return seen;
  };

  it("serves, reloads on a new pool, and keeps the old config when nginx -t rejects the new one", async () => {
    const [a, b] = servers as [Server, Server];
    await lb.start([up(a, "a")]);
    expect(await hits(4)).toEqual(new Set(["a"]));

    await lb.setUpstreams([up(a, "a"), up(b, "b")]);
    // setUpstreams returns once the new workers run: the next requests already see the new pool.
    expect(await hits(4)).toEqual(new Set(["a", "b"]));

    const before = readFileSync(lb.confPath, "utf8");
    // A name nginx cannot resolve fails `nginx -t` ("host not found in upstream").
    await expect(lb.setUpstreams([{ name: "bad", host: "no-such-host.invalid", port: 80 }])).rejects.toThrow(
      /nginx -t rejected the new configuration, the previous one stays in service: .*host not found/,
    );
    expect(readFileSync(lb.confPath, "utf8")).toBe(before);
    expect(lb.running).toBe(true);
    expect(lb.current().map((u) => u.name)).toEqual(["a", "b"]);
    expect(await hits(4)).toEqual(new Set(["a", "b"]));

    await lb.stop();
    expect(lb.running).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it("a new start stops the nginx a killed product left on the same data dir", async () => {
    const [a] = servers as [Server];
    const orphan = new NginxBalancer({ binary: NGINX, dir, listenHost: "127.0.0.1", listenPort: port });
    await orphan.start([up(a, "a")]);
    const pid = orphan.pid as number;
    // What a restarted product sees: nginx running from the data dir, its parent gone without stop().
    const next = new NginxBalancer({ binary: NGINX, dir, listenHost: "127.0.0.1", listenPort: port });
    await next.start([up(a, "a")]);
    expect(next.pid).not.toBe(pid);
    expect(existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ")).toBe(false);
    expect(await hits(2)).toEqual(new Set(["a"]));
    await next.stop();
    await orphan.stop();
  });
});
