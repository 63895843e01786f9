#!/usr/bin/env node
// Rewrites README.md's configuration table from the documented config fields (apps/server/src/config/config.ts);
// run after `npm run build` whenever a variable is added or its documentation changes (a test compares them).
import { readFileSync, writeFileSync } from "node:fs";
import { configTableMarkdown } from "../apps/server/dist/config/config.js";

const path = new URL("../README.md", import.meta.url);
const readme = readFileSync(path, "utf8");
const start = readme.indexOf("| Variable | Default | Meaning |");
if (start < 0) throw new Error("README.md has no configuration table");
const end = readme.indexOf("\n\n", start);
const table = configTableMarkdown().trimEnd();
writeFileSync(path, readme.slice(0, start) + table + (end < 0 ? "\n" : readme.slice(end)));
console.log("README.md configuration table rewritten");
