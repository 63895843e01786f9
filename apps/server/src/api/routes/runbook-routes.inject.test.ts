import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { RunbookLibrary } from "../../knowledge/runbooks/runbook-library.js";
import { NotFoundError } from "../../shared/errors.js";
import type { AppDeps } from "../app-deps.js";
import { AS_DEFAULT, AS_P2, fake, injectApp } from "../test-inject-app.js";

/** Runbook and knowledge-base routes in-process: CRUD, search, validation, and the key's project. */

let app: FastifyInstance;
afterEach(() => app?.close());

type Stored = Awaited<ReturnType<RunbookLibrary["get"]>>;
const at = new Date("2026-03-02T08:00:00Z");

function stored(projectId: string, id: string): Stored {
  return {
    projectId,
    id,
    title: "Pod crash looping",
    service: "kubernetes",
    body: "# Check the logs",
    url: null,
    tags: ["k8s"],
    createdAt: at,
    updatedAt: at,
  };
}

/** A library that records the project of every call and keeps nothing. */
function library(projects: string[]): AppDeps["runbooks"] {
  /** Records the project and answers `value`. */
  const seen = <T>(p: string, value: T): T => {
    projects.push(p);
    return value;
  };
  return fake("runbooks", {
    create: async (p, draft) => seen(p, stored(p, draft.id ?? "generated")),
    list: async (p) => seen(p, { rows: [stored(p, "a")], total: 21 }),
    get: async (p, id) => {
      if (id === "missing") throw new NotFoundError(`runbook "${id}" not found`);
      return seen(p, stored(p, id));
    },
    put: async (p, id) => seen(p, { runbook: stored(p, id), created: id === "new" }),
    delete: async (p) => seen(p, undefined),
    search: async (p) =>
      seen(p, {
        hits: [
          {
            runbook: stored(p, "a"),
            score: 0.7,
            confidence: "high",
            matchedTerms: ["crash"],
            excerpt: "…",
            retrievedBy: ["lexical"],
          },
        ],
        noGoodMatch: false,
        mode: "lexical",
        embeddingModel: null,
        vectorError: null,
        tookMs: 1,
      }),
  });
}

const draft = { title: "Pod crash looping", service: "kubernetes", body: "# Check the logs" };

describe("runbook routes (inject)", () => {
  it("CRUD and search act on the key's project", async () => {
    const projects: string[] = [];
    app = await injectApp({ runbooks: library(projects) });
    const created = await app.inject({ method: "POST", url: "/api/v1/runbooks", headers: AS_P2, payload: draft });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: "generated", created_at: at.toISOString() });
    const page = await app.inject({ url: "/api/v1/runbooks?page=1&page_size=20", headers: AS_P2 });
    expect(page.json()).toMatchObject({ total: 21, page: 1, has_next: true });
    const one = await app.inject({ url: "/api/v1/runbooks/kubernetes%2FKubePodCrashLooping", headers: AS_P2 });
    expect(one.json()).toMatchObject({ id: "kubernetes/KubePodCrashLooping" });
    const put = await app.inject({ method: "PUT", url: "/api/v1/runbooks/new", headers: AS_P2, payload: draft });
    expect(put.statusCode).toBe(201);
    const replaced = await app.inject({ method: "PUT", url: "/api/v1/runbooks/old", headers: AS_P2, payload: draft });
    expect(replaced.statusCode).toBe(200);
    const del = await app.inject({ method: "DELETE", url: "/api/v1/runbooks/old", headers: AS_P2 });
    expect(del.statusCode).toBe(204);
    const search = await app.inject({
      method: "POST",
      url: "/api/v1/runbooks/search",
      headers: AS_P2,
      payload: { query: "pod crash", top_k: 3 },
    });
    expect(search.statusCode).toBe(200);
    expect(search.json()).toMatchObject({ total_results: 1, results: [{ id: "a", matched_terms: ["crash"] }] });
    expect(projects).toEqual(Array(7).fill("p2"));
  });

  it("GET /api/v1/agent/knowledge-base searches the key's project", async () => {
    const projects: string[] = [];
    app = await injectApp({
      knowledgeSearch: fake("knowledgeSearch", {
        search: async (p) => {
          projects.push(p);
          return { items: [], noGoodMatch: true, tookMs: 1 };
        },
      }),
    });
    const res = await app.inject({ url: "/api/v1/agent/knowledge-base?query=oom", headers: AS_DEFAULT });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ success: true, data: { query: "oom", total: 0, no_good_match: true } });
    expect(projects).toEqual(["default"]);
  });

  it("refuses a request without a key (401)", async () => {
    app = await injectApp();
    for (const url of ["/api/v1/runbooks", "/api/v1/agent/knowledge-base"]) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(401);
    }
  });

  it("answers bad input with a 4xx naming the field; a missing runbook is a 404", async () => {
    app = await injectApp({ runbooks: library([]) });
    const title = await app.inject({
      method: "POST",
      url: "/api/v1/runbooks",
      headers: AS_DEFAULT,
      payload: { ...draft, title: " " },
    });
    expect(title.statusCode).toBe(422);
    expect(title.json().detail[0].loc).toEqual(["body", "title"]);
    const mismatch = await app.inject({
      method: "PUT",
      url: "/api/v1/runbooks/a",
      headers: AS_DEFAULT,
      payload: { ...draft, id: "b" },
    });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().detail[0].loc).toEqual(["body", "id"]);
    const size = await app.inject({ url: "/api/v1/runbooks?page_size=101", headers: AS_DEFAULT });
    expect(size.statusCode).toBe(422);
    expect(size.json().detail[0].loc).toEqual(["query", "page_size"]);
    const limit = await app.inject({ url: "/api/v1/agent/knowledge-base?limit=0", headers: AS_DEFAULT });
    expect(limit.statusCode).toBe(422);
    expect(limit.json().detail[0].loc).toEqual(["query", "limit"]);
    const missing = await app.inject({ url: "/api/v1/runbooks/missing", headers: AS_DEFAULT });
    expect(missing.statusCode).toBe(404);
  });
});
