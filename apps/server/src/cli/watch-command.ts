import type { WsFrame } from "@aegis/contracts";
import WebSocket from "ws";
import { clientConfig } from "./client-config.js";
import { formatFrame } from "./format-frame.js";

/** `aegis watch`: connect to /ws and print frames as they come; reconnects if the server restarts. */
export function runWatch(opts: { type?: string; incident?: string; json?: boolean }): Promise<void> {
  const { url, apiKey } = clientConfig();
  const types = opts.type ? new Set(opts.type.split(",").map((s) => s.trim())) : null;
  const wsUrl = `${url.replace(/^http/, "ws")}/ws`;
  return new Promise(() => {
    const connect = () => {
      const ws = new WebSocket(wsUrl, { headers: apiKey ? { "x-api-key": apiKey } : {} });
      const ping = setInterval(() => ws.readyState === ws.OPEN && ws.send("ping"), 30_000);
      ws.on("open", () => process.stderr.write(`connected to ${wsUrl}\n`));
      ws.on("message", (raw) => {
        const frame = JSON.parse(raw.toString()) as WsFrame;
        if (types && !types.has(frame.type)) return;
        if (opts.incident && frame.incident_id !== opts.incident) return;
        const line = opts.json ? JSON.stringify(frame) : formatFrame(frame);
        if (line) process.stdout.write(`${line}\n`);
      });
      ws.on("unexpected-response", (_req, res) => {
        process.stderr.write(`server refused the connection: HTTP ${res.statusCode}\n`);
        process.exit(1);
      });
      ws.on("close", () => {
        clearInterval(ping);
        process.stderr.write("disconnected; retrying in 2 s\n");
        setTimeout(connect, 2000);
      });
      ws.on("error", () => undefined);
    };
    connect();
  });
}
