import { existsSync, readdirSync } from "node:fs";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const DIST = resolve(fileURLToPath(import.meta.url), "../../../dist");

/** Tooling as tsconfig.json excludes it (tsconfig.tools.json builds it into dist-tools/). */
const TOOLING = [/^(testing|bench|e2e|simulate)\//, /(^|\/)test-[^/]*$/, /\.test\.[^/]*$/];

describe("production build (apps/server/dist)", () => {
  it("holds no tooling: tests, test helpers, benchmarks, the fleet simulator", () => {
    // `npm test` builds first; a bare `vitest run` on a fresh checkout has nothing to check.
    expect(existsSync(`${DIST}/cli/main.js`), "build first: npm run build").toBe(true);
    const files = readdirSync(DIST, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(DIST, resolve(e.parentPath, e.name)));
    const tooling = files.filter((f) => TOOLING.some((p) => p.test(f)));
    // Files left by a build from before the split survive `tsc -b`: `rm -rf apps/server/dist && npm run build`.
    expect(tooling, "tooling compiled into dist (stale? rm -rf apps/server/dist)").toEqual([]);
  });
});
