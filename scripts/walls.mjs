#!/usr/bin/env node
// Writes the folder walls of ADR 0009 into biome.json's `overrides` from one rank table.
// A new folder under apps/server/src: add it to LAYERS (and PEERS_ALLOWED if it must read a peer), then
// `node scripts/walls.mjs` and commit biome.json. `node scripts/walls.mjs --check` fails when biome.json is stale.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Layers bottom up; a folder may import its own layer and below. */
const LAYERS = [
  { name: "shared", folders: ["shared"] },
  { name: "ports, config", folders: ["ports", "config"] },
  { name: "safety, forecast, events, evidence", folders: ["safety", "forecast", "events", "evidence"] },
  { name: "store", folders: ["store"] },
  {
    name: "adapters",
    folders: [
      "accounts",
      "analysts",
      "council",
      "executors",
      "ingest",
      "insights",
      "integrations",
      "knowledge",
      "monitor",
      "oncall",
      "audit",
      "observability",
    ],
  },
  { name: "engine", folders: ["engine"] },
  { name: "mcp", folders: ["mcp"] },
  { name: "api", folders: ["api"] },
  { name: "server", folders: ["server"] },
  { name: "cli", folders: ["cli"] },
  { name: "tooling", folders: ["testing", "bench", "e2e", "simulate"] },
];
/** Peer imports allowed inside a layer (peers of one layer share ports instead): folder → peers it may read. */
const PEERS_ALLOWED = {
  analysts: ["knowledge"],
  testing: ["bench", "simulate"],
  bench: ["testing", "simulate"],
  e2e: ["testing", "bench", "simulate"],
  simulate: ["testing"],
};
/** Extra refusals beyond the layers: the HTTP layer reaches data through services, never the store. */
const EXTRA = {
  api: {
    folders: ["store"],
    message: "api/ may not import the store: routes call services with the request's project (projectOf(req)).",
  },
  mcp: {
    folders: ["store"],
    message: "mcp/ may not import the store: tools call the services the HTTP routes call, with the caller's project.",
  },
};
const DEPTHS = 3;
const ADR = "See docs/adr/0009-ports-and-walls.md.";

const order = LAYERS.map((l) => l.name).join("; ");
const rankOf = new Map();
LAYERS.forEach((l, i) => {
  for (const f of l.folders) rankOf.set(f, i);
});

const overrides = [];
LAYERS.forEach((layer, rank) => {
  for (const folder of layer.folders) {
    const higher = LAYERS.slice(rank + 1).flatMap((l) => l.folders);
    const peers = layer.folders.filter((p) => p !== folder && !(PEERS_ALLOWED[folder] ?? []).includes(p));
    for (let depth = 1; depth <= DEPTHS; depth++) {
      const up = "../".repeat(depth);
      const patterns = [];
      if (higher.length > 0) {
        patterns.push({
          group: higher.map((f) => `${up}${f}/**`),
          message: `${folder}/ may not import from a higher layer (layers, bottom up: ${order}). ${ADR}`,
        });
      }
      if (peers.length > 0) {
        patterns.push({
          group: peers.map((f) => `${up}${f}/**`),
          message: `${folder}/ may not import a peer of its layer: share a port in ports/ instead. ${ADR}`,
        });
      }
      if (EXTRA[folder]) {
        patterns.push({
          group: EXTRA[folder].folders.map((f) => `${up}${f}/**`),
          message: `${EXTRA[folder].message} ${ADR}`,
        });
      }
      if (patterns.length === 0) continue;
      overrides.push({
        includes: [`apps/server/src/${folder}/${"*/".repeat(depth - 1)}*.ts`, "!**/*.test.ts", "!**/test-*.ts"],
        linter: { rules: { style: { noRestrictedImports: { level: "error", options: { patterns } } } } },
      });
    }
  }
});
overrides.push({
  includes: ["apps/server/src/monitor/engine/**", "apps/server/src/forecast/**"],
  linter: { rules: { style: { noNonNullAssertion: "off" } } },
});

const path = new URL("../biome.json", import.meta.url);
const biome = JSON.parse(readFileSync(path, "utf8"));
const next = { ...biome, overrides };
const text = `${JSON.stringify(next, null, 2)}\n`;
if (process.argv.includes("--check")) {
  const same = JSON.stringify(biome.overrides) === JSON.stringify(overrides);
  if (!same) {
    console.error("biome.json walls are stale: run node scripts/walls.mjs");
    process.exit(1);
  }
  console.log(`walls up to date (${overrides.length} overrides)`);
} else {
  writeFileSync(path, text);
  execFileSync("npx", ["biome", "format", "--write", fileURLToPath(path)], { stdio: "ignore" });
  console.log(`biome.json: ${overrides.length} overrides`);
}
