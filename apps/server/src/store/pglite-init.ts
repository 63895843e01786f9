/**
 * Creates an embedded database cluster (initdb) in a short-lived process: initdb grows PGlite's
 * WebAssembly memory to ~600 MB, which a process never gives back, so the server must not do it itself.
 * Usage: node pglite-init.js DIR OPTIONS_JSON
 */
import { PGlite } from "@electric-sql/pglite";

const [dir, options] = process.argv.slice(2);
if (!dir) throw new Error("usage: pglite-init DIR [OPTIONS_JSON]");
const pg = await PGlite.create(dir, options ? JSON.parse(options) : {});
await pg.close();
