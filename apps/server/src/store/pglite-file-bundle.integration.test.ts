import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { afterEach, describe, expect, it } from "vitest";
import { releaseFileBundle } from "./pglite-file-bundle.js";

const bundle = fileURLToPath(new URL("./pglite.data", import.meta.resolve("@electric-sql/pglite")));

interface Fs {
  readFile(path: string): Uint8Array;
  lookupPath(path: string): { node: { contents: Uint8Array } };
}
const fsOf = (pg: PGlite) => (pg as unknown as { Module: { FS: Fs } }).Module.FS;
const KOLKATA = "/pglite/share/postgresql/timezone/Asia/Kolkata";

describe("PGlite's file bundle let go once the cluster runs", () => {
  const open: PGlite[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const pg of open.splice(0)) await pg.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("every file reads as before, from disk on first use, and the bundle's buffer is detached", async () => {
    const pg = await PGlite.create();
    open.push(pg);
    const FS = fsOf(pg);
    const before = FS.readFile(KOLKATA);
    const buffer = FS.lookupPath(KOLKATA).node.contents.buffer;
    expect(buffer.byteLength).toBe(statSync(bundle).size);

    const released = releaseFileBundle(pg, bundle);

    expect(released.files).toBeGreaterThan(600);
    expect(released.bytes).toBe(statSync(bundle).size);
    expect(buffer.byteLength).toBe(0);
    expect(FS.readFile(KOLKATA)).toEqual(before);
    // A time zone file and the text search dictionaries, not read before the release.
    const tz = await pg.query<{ t: string }>(
      "select to_char(timezone('Asia/Kolkata', '2024-06-01 12:00:00+00'::timestamptz), 'HH24:MI') as t",
    );
    expect(tz.rows[0]?.t).toBe("17:30");
    const ts = await pg.query<{ v: string }>("select to_tsvector('english', 'The running dogs')::text as v");
    expect(ts.rows[0]?.v).toBe("'dog':3 'run':2");
    // A file written after the release keeps what was written.
    await pg.exec("copy (select 'written') to '/pglite/share/postgresql/timezone/Asia/Kolkata'");
    expect(new TextDecoder().decode(FS.readFile(KOLKATA))).toBe("written\n");
  });

  it("a bundle changed under the running server fails the read instead of giving other bytes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aegis-bundle-"));
    dirs.push(dir);
    const copy = join(dir, "pglite.data");
    copyFileSync(bundle, copy);
    const pg = await PGlite.create();
    open.push(pg);
    releaseFileBundle(pg, copy);
    writeFileSync(copy, "replaced by another version");

    await expect(pg.query("select timezone('Pacific/Auckland', now())")).rejects.toThrow(/Pacific\/Auckland/);
    expect(() => fsOf(pg).readFile(KOLKATA)).toThrow();
    const ok = await pg.query<{ n: number }>("select 1 as n");
    expect(ok.rows[0]?.n).toBe(1);
  });
});
