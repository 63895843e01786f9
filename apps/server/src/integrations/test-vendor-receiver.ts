import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface VendorRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface VendorAnswer {
  status: number;
  /** Sent as JSON; `text` wins when both are given. */
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

/** A local HTTP server answering like a vendor (status, body and headers such as `Retry-After`), recording each request. */
export async function startVendor(
  answer: (r: VendorRequest, n: number) => VendorAnswer,
): Promise<{ url: string; received: VendorRequest[]; close: () => Promise<void> }> {
  const received: VendorRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(r);
      const a = answer(r, received.length);
      const text = a.text ?? (a.json === undefined ? "" : JSON.stringify(a.json));
      const type = a.text !== undefined ? "text/plain" : "application/json";
      res.writeHead(a.status, { "content-type": type, ...a.headers });
      res.end(text);
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
