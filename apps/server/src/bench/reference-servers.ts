import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

async function waitHttp(url: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** Debian's Prometheus Alertmanager on its own port and storage, no clustering. */
export async function startAlertmanager(dir: string, port: number): Promise<ChildProcess> {
  mkdirSync(join(dir, "am-data"), { recursive: true });
  const cfg = join(dir, "alertmanager.yml");
  writeFileSync(cfg, "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n");
  const p = spawn(
    "prometheus-alertmanager",
    [
      `--config.file=${cfg}`,
      `--storage.path=${join(dir, "am-data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
      "--log.level=warn",
    ],
    { stdio: "ignore" },
  );
  await waitHttp(`http://127.0.0.1:${port}/-/ready`);
  return p;
}

/** The practical ceiling: a bare Node HTTP server answering {"ok":true}. */
export async function startBareNode(port: number): Promise<ChildProcess> {
  const code = `require("http").createServer((q,s)=>{q.on("data",()=>{});q.on("end",()=>{s.writeHead(200,{"content-type":"application/json"});s.end('{"ok":true}')})}).listen(${port},"127.0.0.1")`;
  const p = spawn(process.execPath, ["-e", code], { stdio: "ignore" });
  await waitHttp(`http://127.0.0.1:${port}/`);
  return p;
}
