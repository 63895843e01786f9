import { AegisApiError } from "@aegis/sdk";
import { cliClient } from "./client-config.js";
import { formatFrame } from "./format-frame.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `aegis watch`: connect to /ws and print frames as they come; reconnects if the server restarts. */
export async function runWatch(opts: { type?: string; incident?: string; json?: boolean }): Promise<never> {
  const client = cliClient();
  const types = opts.type ? new Set(opts.type.split(",").map((s) => s.trim())) : null;
  const wsUrl = `${client.url.replace(/^http/, "ws")}/ws`;
  for (;;) {
    try {
      const stream = await client.socket();
      process.stderr.write(`connected to ${wsUrl}\n`);
      // Keeps proxies and idle timeouts from closing a quiet connection.
      const ping = setInterval(() => stream.ws.readyState === stream.ws.OPEN && stream.ws.send("ping"), 30_000);
      for await (const frame of stream) {
        if (types && !types.has(frame.type)) continue;
        if (opts.incident && frame.incident_id !== opts.incident) continue;
        const line = opts.json ? JSON.stringify(frame) : formatFrame(frame);
        if (line) process.stdout.write(`${line}\n`);
      }
      clearInterval(ping);
    } catch (e) {
      // A refused upgrade (wrong key) will not fix itself; a connection error may (the server restarting).
      if (e instanceof AegisApiError) {
        process.stderr.write(`server refused the connection: HTTP ${e.status}\n`);
        process.exit(1);
      }
    }
    process.stderr.write("disconnected; retrying in 2 s\n");
    await sleep(2000);
  }
}
