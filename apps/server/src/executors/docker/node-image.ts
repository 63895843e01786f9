import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import type Docker from "dockerode";
import { pack } from "tar-stream";
import { UpstreamError } from "../../shared/errors.js";

const run = promisify(execFile);

/** An image holding only the Node binary, the shared libraries it links, and one app directory. */
export interface NodeImageSpec {
  /** Repository of the tags, e.g. "aegisops/buggy-app". */
  repo: string;
  /** Tag → extra Dockerfile-style `ENV` values baked into that tag (e.g. v1/v2 differ by APP_VERSION). */
  tags: Record<string, Record<string, string>>;
  /** Directory copied to /app: its package.json and the files under `dist/` (no maps, no declarations). */
  appDir: string;
  /** Entry point under /app, e.g. "dist/main.js". */
  entry: string;
  /** Port the app listens on inside the container (EXPOSE). */
  port: number;
}

interface FileEntry {
  /** Absolute path inside the image. */
  path: string;
  /** Host file whose content goes there. */
  source: string;
  mode: number;
}

const NODE_IN_IMAGE = "/usr/local/bin/node";

/** The files of the image: node, its loader and libraries (from `ldd`), the app. */
export async function imageFiles(
  spec: Pick<NodeImageSpec, "appDir">,
  nodePath = process.execPath,
): Promise<FileEntry[]> {
  const files: FileEntry[] = [{ path: NODE_IN_IMAGE, source: realpathSync(nodePath), mode: 0o755 }];
  for (const lib of await sharedLibraries(nodePath)) files.push({ path: lib, source: realpathSync(lib), mode: 0o755 });
  files.push({ path: "/app/package.json", source: join(spec.appDir, "package.json"), mode: 0o644 });
  const dist = join(spec.appDir, "dist");
  for (const file of walk(dist)) {
    if (!file.endsWith(".js")) continue;
    files.push({ path: `/app/dist/${relative(dist, file)}`, source: file, mode: 0o644 });
  }
  return files;
}

/** Paths `ldd` resolves for a binary (including the dynamic loader). */
export async function sharedLibraries(binary: string): Promise<string[]> {
  let out: string;
  try {
    out = (await run("ldd", [binary])).stdout;
  } catch (err) {
    throw new UpstreamError(
      `cannot list the libraries of ${binary} with ldd: ${(err as Error).message}`,
      "image_build",
    );
  }
  const libs = new Set<string>();
  for (const line of out.split("\n")) {
    const arrow = /=>\s+(\/\S+)/.exec(line);
    const bare = /^\s*(\/\S+)\s+\(/.exec(line);
    const path = arrow?.[1] ?? bare?.[1];
    if (path) libs.add(path);
  }
  return [...libs].sort();
}

/** Content hash over every file's image path, mode and bytes, plus the image settings. */
export function contentHash(files: FileEntry[], spec: NodeImageSpec): string {
  const h = createHash("sha256");
  h.update(JSON.stringify({ entry: spec.entry, port: spec.port, tags: spec.tags }));
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    h.update(`${f.path}\0${f.mode}\0`);
    h.update(readFileSync(f.source));
  }
  return h.digest("hex").slice(0, 16);
}

/**
 * Make sure `<repo>:<tag>` exists for every tag, built by `docker import` of a root filesystem made here
 * (no registry is needed). Each tag is also labelled with the content hash: an unchanged app and Node
 * reuse the images, a rebuilt app replaces them.
 */
export async function ensureNodeImage(docker: Docker, spec: NodeImageSpec): Promise<{ hash: string; built: string[] }> {
  const files = await imageFiles(spec);
  const hash = contentHash(files, spec);
  const built: string[] = [];
  for (const [tag, env] of Object.entries(spec.tags)) {
    const ref = `${spec.repo}:${tag}`;
    const existing = await docker
      .getImage(ref)
      .inspect()
      .catch(() => null);
    if (existing?.Config?.Labels?.["aegis.content-hash"] === hash) continue;
    const changes = [
      `CMD ["${NODE_IN_IMAGE}", "/app/${spec.entry}"]`,
      "WORKDIR /app",
      `EXPOSE ${spec.port}`,
      `ENV PORT=${spec.port}`,
      `LABEL aegis.content-hash=${hash} aegis.managed-by=aegisops`,
      ...Object.entries(env).map(([k, v]) => `ENV ${k}=${v}`),
    ];
    const stream = await docker.importImage(rootfs(files) as unknown as string, { repo: spec.repo, tag, changes });
    await followImport(docker, stream, ref);
    built.push(ref);
  }
  return { hash, built };
}

function rootfs(files: FileEntry[]): PassThrough {
  const tar = pack();
  const dirs = new Set<string>(["/tmp", "/etc", "/app"]);
  for (const f of files) {
    for (let d = parentOf(f.path); d !== "/"; d = parentOf(d)) dirs.add(d);
  }
  for (const d of [...dirs].sort())
    tar.entry({ name: d.slice(1), type: "directory", mode: d === "/tmp" ? 0o1777 : 0o755 });
  for (const f of files) tar.entry({ name: f.path.slice(1), mode: f.mode }, readFileSync(f.source));
  tar.finalize();
  const out = new PassThrough();
  tar.pipe(out);
  return out;
}

async function followImport(docker: Docker, stream: NodeJS.ReadableStream, ref: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, events: { error?: string }[]) => {
      const failed = err?.message ?? events.find((e) => e.error)?.error;
      if (failed) reject(new UpstreamError(`docker import of ${ref} failed: ${failed}`, "image_build"));
      else resolve();
    });
  });
}

function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* walk(full);
    else yield full;
  }
}
