import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";

export interface ProcessSample {
  /** utime + stime so far. */
  cpuSeconds: number;
  rssBytes: number;
}

// USER_HZ is 100 on every mainstream Linux build; Node cannot call sysconf(_SC_CLK_TCK).
const CLK_TCK = 100;

/** CPU time and RSS of a process; null when it no longer exists. /proc on Linux, `ps` elsewhere. */
export async function readProcessSample(pid: number): Promise<ProcessSample | null> {
  if (process.platform === "linux") return readProc(pid);
  return readPs(pid);
}

async function readProc(pid: number): Promise<ProcessSample | null> {
  let stat: string;
  let status: string;
  try {
    [stat, status] = await Promise.all([
      readFile(`/proc/${pid}/stat`, "utf8"),
      readFile(`/proc/${pid}/status`, "utf8"),
    ]);
  } catch (err) {
    if (isGone(err)) return null;
    throw err;
  }
  return { cpuSeconds: parseStatCpuTicks(stat) / CLK_TCK, rssBytes: parseStatusRssKb(status) * 1024 };
}

/** utime + stime (fields 14 and 15); the comm field may contain spaces and parens, so split after the last ')'. */
export function parseStatCpuTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime))
    throw new Error(`unparsable /proc stat: ${stat.slice(0, 120)}`);
  return utime + stime;
}

/** VmRSS in kB; absent for zombies (treated as 0). */
export function parseStatusRssKb(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) : 0;
}

function readPs(pid: number): Promise<ProcessSample | null> {
  return new Promise((resolve, reject) => {
    execFile("ps", ["-o", "rss=,time=", "-p", String(pid)], (err, stdout) => {
      // ps exits 1 when the pid is gone.
      if (err && (err as { code?: unknown }).code === 1) return resolve(null);
      if (err) return reject(err);
      const parsed = parsePsLine(stdout);
      resolve(parsed);
    });
  });
}

/** `ps -o rss=,time=` line: RSS in KiB and cumulative CPU as [[dd-]hh:]mm:ss[.ff]. */
export function parsePsLine(line: string): ProcessSample | null {
  const [rss, time] = line.trim().split(/\s+/);
  if (!rss || !time) return null;
  const [days, clock] = time.includes("-") ? time.split("-") : ["0", time];
  const parts = (clock ?? "").split(":").map(Number);
  const seconds = parts.reduce((acc, part) => acc * 60 + part, 0) + Number(days) * 86400;
  return { cpuSeconds: seconds, rssBytes: Number(rss) * 1024 };
}

function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ESRCH";
}
