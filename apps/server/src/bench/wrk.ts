import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface WrkResult {
  requests: number;
  durationSecs: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number };
  non2xx: number;
  socketErrors: string | null;
}

/** Run wrk with a Lua script; parses its `--latency` report. */
export async function runWrk(opts: {
  url: string;
  script: string;
  scriptDir: string;
  connections: number;
  threads: number;
  durationSecs: number;
}): Promise<WrkResult> {
  const file = join(opts.scriptDir, `wrk-${Date.now()}.lua`);
  writeFileSync(file, opts.script);
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn("wrk", [
      "-t",
      String(opts.threads),
      "-c",
      String(opts.connections),
      "-d",
      `${opts.durationSecs}s`,
      "--latency",
      "-s",
      file,
      opts.url,
    ]);
    let text = "";
    p.stdout.on("data", (d) => (text += d));
    p.stderr.on("data", (d) => (text += d));
    p.on("error", reject);
    p.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`))));
  });
  const num = (re: RegExp) => {
    const m = re.exec(out);
    return m ? Number(m[1]) : Number.NaN;
  };
  const ms = (label: string) => {
    const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!m) return Number.NaN;
    const v = Number(m[1]);
    return m[2] === "us" ? v / 1000 : m[2] === "s" ? v * 1000 : v;
  };
  const requests = num(/(\d+) requests in/);
  const dur = /requests in ([\d.]+)(ms|s|m)/.exec(out);
  const durationSecs = dur ? Number(dur[1]) * (dur[2] === "ms" ? 0.001 : dur[2] === "m" ? 60 : 1) : opts.durationSecs;
  return {
    requests,
    durationSecs,
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    latencyMs: { p50: ms("50"), p90: ms("90"), p99: ms("99") },
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/) || 0,
    socketErrors: /Socket errors: (.*)/.exec(out)?.[1] ?? null,
  };
}

/** A wrk script posting one JSON body per request, with a unique id substituted for `__ID__`. */
export function postScript(path: string, headers: Record<string, string>, bodyTemplate: string): string {
  const hdr = Object.entries(headers)
    .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
    .join("\n");
  const run = Date.now();
  return `
wrk.method = "POST"
${hdr}
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function request()
  counter = counter + 1
  local id = string.format("bench-${run}-%s-%d", tostring(tid), counter)
  local body = string.gsub(${JSON.stringify(bodyTemplate)}, "__ID__", id)
  return wrk.format("POST", ${JSON.stringify(path)}, nil, body)
end
`;
}
