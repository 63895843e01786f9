import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../app-deps.js";

const Params = z.object({ integration_id: z.string().min(1).max(100) });
const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * Chat buttons call back here, without an API key: each request is verified by its integration's
 * signature (Slack signing secret; Teams HMAC) and replay window instead. The body is kept raw, since
 * the signature covers its exact bytes.
 */
export async function registerChatCallbackRoutes(fastify: FastifyInstance, d: AppDeps): Promise<void> {
  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "string", bodyLimit: 256 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    const app = scope.withTypeProvider<ZodTypeProvider>();
    app.post(
      "/api/v1/chat/slack/:integration_id/interactions",
      {
        schema: {
          tags: ["chat"],
          summary: "Slack interactivity request URL: Approve / Reject buttons (signed with the Slack signing secret)",
          params: Params,
        },
      },
      async (req) => {
        const reply = await d.chatApprovals.slack(req.params.integration_id, String(req.body ?? ""), {
          timestamp: header(req.headers["x-slack-request-timestamp"]),
          signature: header(req.headers["x-slack-signature"]),
        });
        return { response_type: "ephemeral", replace_original: false, text: reply.text, outcome: reply.outcome };
      },
    );
    app.post(
      "/api/v1/chat/teams/:integration_id/actions",
      {
        schema: {
          tags: ["chat"],
          summary: "Teams Adaptive Card Action.Submit relay (Authorization: HMAC, as Teams outgoing webhooks sign)",
          params: Params,
        },
      },
      async (req) => {
        const reply = await d.chatApprovals.teams(
          req.params.integration_id,
          String(req.body ?? ""),
          header(req.headers.authorization),
        );
        return { type: "message", text: reply.text, outcome: reply.outcome };
      },
    );
  });
}
