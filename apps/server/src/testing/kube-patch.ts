// biome-ignore-all lint/suspicious/noExplicitAny: Kubernetes API objects are untyped JSON documents here.

/** A patch the API server refuses: HTTP status and Kubernetes Status reason. */
export class PatchError extends Error {
  constructor(
    readonly code: 400 | 422,
    readonly reason: "BadRequest" | "Invalid",
    message: string,
  ) {
    super(message);
  }
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

/** RFC 7386 JSON merge patch (`application/merge-patch+json`): objects merge, null deletes, arrays replace. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, any> = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * Merge keys of the list fields our objects carry (the `patchMergeKey` of the Kubernetes Go types). A list
 * without one is replaced whole, as the real server does for e.g. `tolerations` and `args`.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  ports: "containerPort",
  imagePullSecrets: "name",
  conditions: "type",
};

/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) for built-in types: maps merge, null
 * deletes, lists with a merge key merge element by element (an element `{"$patch":"delete", key}`
 * removes one), other lists replace; `"$patch": "replace"` in a map replaces it whole.
 */
export function strategicMergePatch(target: unknown, patch: unknown, field = ""): unknown {
  if (Array.isArray(patch)) {
    const key = MERGE_KEYS[field];
    if (!key || !Array.isArray(target)) return clone(patch.filter((e) => !(isObject(e) && e.$patch === "delete")));
    const out = clone(target) as any[];
    for (const element of patch) {
      if (!isObject(element) || !(key in element))
        throw new PatchError(
          400,
          "BadRequest",
          `map: ${JSON.stringify(element)} does not contain declared merge key: ${key}`,
        );
      const at = out.findIndex((e) => isObject(e) && e[key] === element[key]);
      if (element.$patch === "delete") {
        if (at >= 0) out.splice(at, 1);
      } else if (at >= 0) out[at] = strategicMergePatch(out[at], element, "");
      else out.push(clone(element));
    }
    return out;
  }
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === "replace") {
    const { $patch: _, ...rest } = patch;
    return clone(rest);
  }
  const out: Record<string, any> = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === "$patch") continue;
    if (v === null) delete out[k];
    else out[k] = strategicMergePatch(out[k], v, k);
  }
  return out;
}

interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new PatchError(400, "BadRequest", `invalid JSON pointer: "${path}"`);
  return path
    .slice(1)
    .split("/")
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function parentOf(doc: any, tokens: string[], op: string, path: string): { parent: any; last: string } {
  let node = doc;
  for (const t of tokens.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(t)] : isObject(node) ? node[t] : undefined;
    if (node === undefined)
      throw new PatchError(
        400,
        "BadRequest",
        `jsonpatch ${op} operation does not apply: doc is missing path: "${path}"`,
      );
  }
  return { parent: node, last: tokens[tokens.length - 1] ?? "" };
}

function read(doc: any, path: string): unknown {
  let node = doc;
  for (const t of pointer(path)) {
    node = Array.isArray(node) ? node[Number(t)] : isObject(node) ? node[t] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function apply(doc: any, o: JsonPatchOp): any {
  const tokens = pointer(o.path);
  if (o.op === "test") {
    if (JSON.stringify(read(doc, o.path)) !== JSON.stringify(o.value))
      throw new PatchError(
        422,
        "Invalid",
        `the server rejected our request due to an error in our request: testing value ${o.path} failed`,
      );
    return doc;
  }
  if (o.op === "move" || o.op === "copy") {
    const value = read(doc, o.from ?? "");
    if (value === undefined)
      throw new PatchError(
        400,
        "BadRequest",
        `jsonpatch ${o.op} operation does not apply: doc is missing from path: "${o.from}"`,
      );
    const removed = o.op === "move" ? apply(doc, { op: "remove", path: o.from ?? "" }) : doc;
    return apply(removed, { op: "add", path: o.path, value: clone(value) });
  }
  if (tokens.length === 0) {
    if (o.op === "remove")
      throw new PatchError(400, "BadRequest", "jsonpatch remove operation does not apply to the root");
    return clone(o.value);
  }
  const { parent, last } = parentOf(doc, tokens, o.op, o.path);
  const missing = () =>
    new PatchError(400, "BadRequest", `jsonpatch ${o.op} operation does not apply: doc is missing key: ${o.path}`);
  if (Array.isArray(parent)) {
    const i = last === "-" ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw missing();
    if (o.op === "add") parent.splice(i, 0, clone(o.value));
    else if (i >= parent.length) throw missing();
    else if (o.op === "remove") parent.splice(i, 1);
    else if (o.op === "replace") parent[i] = clone(o.value);
    else throw new PatchError(400, "BadRequest", `Unexpected kind: ${o.op}`);
    return doc;
  }
  if (!isObject(parent)) throw missing();
  if (o.op === "add") parent[last] = clone(o.value);
  else if (!(last in parent)) throw missing();
  else if (o.op === "remove") delete parent[last];
  else if (o.op === "replace") parent[last] = clone(o.value);
  else throw new PatchError(400, "BadRequest", `Unexpected kind: ${o.op}`);
  return doc;
}

/** RFC 6902 JSON patch (`application/json-patch+json`): add, remove, replace, move, copy, test; all or nothing. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw new PatchError(400, "BadRequest", "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let doc = clone(target);
  for (const o of ops) {
    if (!isObject(o) || typeof o.op !== "string" || typeof o.path !== "string")
      throw new PatchError(400, "BadRequest", `invalid JSON patch operation: ${JSON.stringify(o)}`);
    doc = apply(doc, o as JsonPatchOp);
  }
  return doc;
}
