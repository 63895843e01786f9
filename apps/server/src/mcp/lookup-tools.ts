import { RunbookSearchRequest } from "@aegis/contracts";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { McpCaller } from "./mcp-caller.js";
import type { McpDeps } from "./mcp-deps.js";
import { toolError, toolResult } from "./tool-result.js";

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, openWorldHint: false } as const;

/** Looking things up: the runbooks (the search `POST /api/v1/runbooks/search` runs) and who is on call. */
export function registerLookupTools(server: McpServer, d: McpDeps, caller: McpCaller): void {
  const project = caller.projectId;

  server.registerTool(
    "search_runbooks",
    {
      title: "Search runbooks",
      description:
        "Search the project's runbooks (lexical, fused with vector similarity when embeddings are configured). `score` is calibrated: 0.5 is the good-match cut; `no_good_match: true` means no hit should be presented as the answer.",
      inputSchema: RunbookSearchRequest.shape,
      annotations: READ_ONLY,
    },
    async (a) => {
      try {
        const r = await d.runbooks.search(project, { query: a.query, service: a.service, topK: a.top_k });
        const results = r.hits.map((h) => ({
          id: h.runbook.id,
          title: h.runbook.title,
          service: h.runbook.service,
          score: h.score,
          confidence: h.confidence,
          excerpt: h.excerpt,
          url: h.runbook.url,
          tags: h.runbook.tags,
        }));
        const head = r.noGoodMatch ? `${results.length} runbooks, none a good match` : `${results.length} runbooks`;
        const lines = results.map((h) => `${h.id} "${h.title}" (${h.service}, score ${h.score.toFixed(2)})`);
        return toolResult([head, ...lines].join("\n"), {
          results,
          total_results: results.length,
          no_good_match: r.noGoodMatch,
          retrieval: r.mode,
        });
      } catch (err) {
        return toolError("search_runbooks", err, d.logger);
      }
    },
  );

  server.registerTool(
    "who_is_on_call",
    {
      title: "Who is on call",
      description: "Who is on call on every on-call schedule of the project, now or at `at`.",
      inputSchema: {
        at: z.iso.datetime({ offset: true }).optional().describe("ISO 8601 instant with offset; default now"),
      },
      annotations: READ_ONLY,
    },
    async ({ at }) => {
      try {
        const instant = at ? new Date(at) : new Date();
        const onCall = await d.oncall.schedules.onCallNow(project, instant);
        const lines = onCall.map(
          (o) => `${o.schedule_name}: ${o.user ?? "nobody"}${o.shift ? ` until ${o.shift.end}` : ""}`,
        );
        const head = onCall.length === 0 ? "no on-call schedules" : `on call at ${instant.toISOString()}`;
        return toolResult([head, ...lines].join("\n"), { at: instant.toISOString(), on_call: onCall });
      } catch (err) {
        return toolError("who_is_on_call", err, d.logger);
      }
    },
  );
}
