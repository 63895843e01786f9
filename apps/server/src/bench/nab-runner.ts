#!/usr/bin/env node
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type DetectorOptions, StreamingAnomalyDetector } from "../forecast/streaming-anomaly-detector.js";

/** Repo root from dist-tools/bench/nab-runner.js or src/bench/nab-runner.ts. */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
export const DEFAULT_NAB_DATA = resolve(repoRoot, "../shared/data/nab/data");

export interface NabRunSummary {
  files: number;
  rows: number;
  ms: number;
}

/** Lists *.csv under dir, recursively, as paths relative to dir (sorted for determinism). */
export function listCsv(dir: string, sub = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
    const rel = sub ? join(sub, e.name) : e.name;
    if (e.isDirectory()) out.push(...listCsv(dir, rel));
    else if (e.name.endsWith(".csv")) out.push(rel);
  }
  return out.sort();
}

/** NAB timestamps are "YYYY-MM-DD HH:MM:SS" in UTC. */
export function parseTimestamp(s: string): Date {
  return new Date(`${s.trim().replace(" ", "T")}${/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? "" : "Z"}`);
}

/** Scores one CSV text (header timestamp,value) with a fresh detector; returns the output CSV text. */
export function scoreCsv(text: string, options?: Partial<DetectorOptions>): { csv: string; rows: number } {
  const detector = new StreamingAnomalyDetector(options);
  const lines = text.split(/\r?\n/);
  const out = ["timestamp,value,anomaly_score"];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const comma = line.indexOf(",");
    const ts = line.slice(0, comma);
    const raw = line.slice(comma + 1);
    const score = detector.update(parseTimestamp(ts), Number(raw));
    out.push(`${ts},${raw},${score}`);
  }
  return { csv: `${out.join("\n")}\n`, rows: out.length - 1 };
}

/** Runs the same detector class from scratch over every series and mirrors the folder layout in outDir. */
export function runNab(dataDir: string, outDir: string, options?: Partial<DetectorOptions>): NabRunSummary {
  const t0 = performance.now();
  let rows = 0;
  const files = listCsv(dataDir);
  for (const rel of files) {
    const scored = scoreCsv(readFileSync(join(dataDir, rel), "utf8"), options);
    rows += scored.rows;
    const target = join(outDir, rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, scored.csv);
  }
  return { files: files.length, rows, ms: performance.now() - t0 };
}

function main(argv: string[]): void {
  let data = DEFAULT_NAB_DATA;
  let out: string | undefined;
  let options: Partial<DetectorOptions> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--data") data = resolve(argv[++i] ?? "");
    else if (a === "--out") out = resolve(argv[++i] ?? "");
    else if (a === "--options") options = JSON.parse(argv[++i] ?? "{}") as Partial<DetectorOptions>;
    else if (a === "--help" || a === "-h") {
      console.log("usage: npm run nab -- --out DIR [--data NAB_DATA_DIR] [--options JSON]");
      return;
    }
  }
  if (!out) {
    console.error("--out DIR is required");
    process.exitCode = 2;
    return;
  }
  const s = runNab(data, out, options);
  console.error(
    `scored ${s.files} files, ${s.rows} rows in ${s.ms.toFixed(0)} ms → ${relative(process.cwd(), out) || "."}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
