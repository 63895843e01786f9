import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const src = join(dirname(fileURLToPath(import.meta.url)), "..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [path] : [];
  });
}

// The recorder publishes every timeline entry as a frame after its commit; a timeline written
// anywhere else would be an entry that clients never see, or see before it is durable.
it("only the IncidentRecorder appends timeline entries", () => {
  const writers = sources(src)
    .filter((f) => /\.appendMany\(|incidents\.append\w*\(/.test(readFileSync(f, "utf8")))
    .map((f) => relative(src, f));
  expect(writers).toEqual(["engine/recorder.ts"]);
});
