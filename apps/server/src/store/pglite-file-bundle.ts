import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import type { PGlite } from "@electric-sql/pglite";

/** The part of Emscripten's file system used here (PGlite does not declare it). */
interface FsNode {
  mode: number;
  contents?: unknown;
  usedBytes: number;
  mounted?: unknown;
}
interface EmscriptenFs {
  readdir(path: string): string[];
  lookupPath(path: string, opts: { follow_mount: boolean }): { node: FsNode };
  isDir(mode: number): boolean;
  isFile(mode: number): boolean;
  ErrnoError: new (errno: number) => Error;
}

/** Emscripten's errno for an I/O error: the read fails, PostgreSQL reports it, nothing is read wrong. */
const EIO = 29;

export interface ReleasedBundle {
  /** Files that now read their bytes from the bundle's file on first use. */
  files: number;
  /** Size of the buffer let go (0: it could not be detached). */
  bytes: number;
}

/**
 * Lets go of PGlite's file bundle (ADR 0025, fifteenth round). PGlite reads `pglite.data` (6.2 MB: PostgreSQL's
 * share files, ICU data, timezone files, extension libraries) into one buffer, and each of its ~700 files in
 * the in-memory file system is a view of that buffer, so all of it stays resident while a running cluster
 * reads few of them (a timezone, plpgsql). Every file still backed by the buffer is given contents that
 * read its bytes from `bundlePath` on first use and keep them; the buffer is then detached, its memory
 * freed at the next collection. A file is read as it was: if `bundlePath` changed since (a package
 * upgraded under a running server), the read fails with EIO instead of returning other bytes.
 */
export function releaseFileBundle(pg: PGlite, bundlePath: string | URL): ReleasedBundle {
  const FS = (pg as unknown as { Module: { FS: EmscriptenFs } }).Module.FS;
  const stamp = statSync(bundlePath);
  const read = (start: number, length: number): Uint8Array => {
    const bytes = new Uint8Array(length);
    let file: number;
    try {
      file = openSync(bundlePath, "r");
    } catch {
      throw new FS.ErrnoError(EIO);
    }
    try {
      const st = fstatSync(file);
      if (st.size !== stamp.size || st.mtimeMs !== stamp.mtimeMs || st.ino !== stamp.ino) throw new FS.ErrnoError(EIO);
      for (let at = 0; at < length; ) {
        const n = readSync(file, bytes, at, length - at, start + at);
        if (n === 0) throw new FS.ErrnoError(EIO);
        at += n;
      }
      return bytes;
    } finally {
      closeSync(file);
    }
  };

  let bundle: ArrayBuffer | null = null;
  const released = { files: 0, bytes: 0 };
  const lazy = (node: FsNode, view: Uint8Array) => {
    const start = view.byteOffset;
    const length = node.usedBytes;
    let loaded: Uint8Array | undefined;
    Object.defineProperty(node, "contents", {
      configurable: true,
      enumerable: true,
      get: () => {
        loaded ??= read(start, length);
        return loaded;
      },
      // A write gives the file contents of its own, as for any file.
      set: (value: unknown) => {
        Object.defineProperty(node, "contents", { value, writable: true, configurable: true, enumerable: true });
      },
    });
  };
  const walk = (dir: string) => {
    for (const name of FS.readdir(dir)) {
      if (name === "." || name === "..") continue;
      const path = dir === "/" ? `/${name}` : `${dir}/${name}`;
      const { node } = FS.lookupPath(path, { follow_mount: false });
      // Another file system mounted here (the data directory on disk, /proc/self/fd): not the bundle's.
      if (node.mounted) continue;
      if (FS.isDir(node.mode)) walk(path);
      else if (FS.isFile(node.mode)) {
        const view = Object.getOwnPropertyDescriptor(node, "contents")?.value;
        if (!(view instanceof Uint8Array) || view.buffer.byteLength !== stamp.size) continue;
        if (bundle !== null && view.buffer !== bundle) continue;
        bundle = view.buffer as ArrayBuffer;
        lazy(node, view);
        released.files++;
      }
    }
  };
  walk("/");
  if (bundle === null) return released;
  const size = (bundle as ArrayBuffer).byteLength;
  try {
    // Detach it: PGlite keeps the buffer itself for the life of the instance (it gave it out at start).
    structuredClone(bundle, { transfer: [bundle] });
    released.bytes = size;
  } catch {
    // Not transferable (a later PGlite's own kind of buffer): the files read from disk all the same.
  }
  return released;
}
