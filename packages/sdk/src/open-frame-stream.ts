import WebSocket from "ws";
import { apiErrorFor } from "./aegis-api-error.js";
import { FrameStream } from "./frame-stream.js";

/**
 * Opens seed 000's `/ws` authenticated on the upgrade: the API key as `X-API-Key`, else a bearer token as
 * `?token=`. Rejects with the status's `AegisApiError` when the server refuses the upgrade (e.g. 401).
 */
export async function openFrameStream(url: string, apiKey?: string, token?: string): Promise<FrameStream> {
  const path = "/ws";
  const query = !apiKey && token ? `?token=${encodeURIComponent(token)}` : "";
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}${path}${query}`, {
    headers: apiKey ? { "x-api-key": apiKey } : {},
  });
  const stream = new FrameStream(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_req, res) => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") headers.set(k, v);
      reject(apiErrorFor("GET", path, res.statusCode ?? 0, null, headers));
      ws.terminate();
    });
    ws.once("error", reject);
  });
  return stream;
}
