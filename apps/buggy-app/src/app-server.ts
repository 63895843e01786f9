import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AppConfig } from "./config.js";
import { startCpuBurner } from "./cpu-burner.js";
import { logEvent } from "./log.js";
import { leakMemory, rssMb } from "./memory-leak.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** The demo target's HTTP surface (seed "Buggy App API"). */
export function createAppServer(config: AppConfig): Server {
  const routes: Record<string, Handler> = {
    "/health": (_req, res) => {
      // `pid`/`instance` let callers see which upstream the load balancer picked.
      const body = { version: config.appVersion, instance: config.appName, pid: process.pid };
      if (config.badVersion !== null && config.appVersion === config.badVersion) {
        sendJson(res, 500, { status: "error", ...body, error: `version ${config.appVersion} is marked bad` });
        return;
      }
      sendJson(res, 200, { status: "ok", ...body });
    },
    "/trigger_memory": (_req, res) => {
      leakMemory();
      const rss = rssMb();
      logEvent("trigger_memory", { rss_mb: rss });
      sendJson(res, 200, { message: "Memory trigger activated", current_memory_usage_mb: rss });
    },
    "/trigger_cpu": (_req, res) => {
      const threads = startCpuBurner();
      logEvent("trigger_cpu", { threads });
      sendJson(res, 200, { message: "CPU trigger activated - factorial thread started", threads });
    },
    "/trigger_db_latency": async (_req, res) => {
      logEvent("trigger_db_latency", { delay_ms: config.dbLatencyMs });
      await new Promise((resolve) => setTimeout(resolve, config.dbLatencyMs));
      sendJson(res, 200, { message: "DB latency simulation completed" });
    },
  };

  return createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const handler = req.method === "GET" ? routes[path] : undefined;
    if (!handler) {
      sendJson(res, 404, { error: "not_found", path });
      return;
    }
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: "internal_error", message: String(err) });
      else res.destroy();
    });
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
