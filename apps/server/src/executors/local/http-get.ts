import { request } from "node:http";

export interface HttpAnswer {
  status: number;
  body: string;
}

const MAX_BODY = 64 * 1024;

/** One GET without connection reuse (health checks must see a fresh connection), bounded by timeoutMs. */
export function httpGet(host: string, port: number, path: string, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method: "GET", agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        if (body.length < MAX_BODY) body += chunk;
      });
      res.on("end", () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: body.slice(0, MAX_BODY) });
      });
      res.on("error", reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}

export function isHealthyStatus(status: number): boolean {
  return status >= 200 && status < 300;
}
