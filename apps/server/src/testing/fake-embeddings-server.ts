import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for an OpenAI-compatible embeddings API (`POST /v1/embeddings`), speaking its wire
 * format over real HTTP. Its "model" is a toy: each concept (a set of interchangeable words) is one
 * dimension, other words hash into the remaining ones, so texts sharing no word can still be close.
 */
export interface FakeEmbeddings {
  url: string;
  /** Every request body received, in order. */
  requests: { model: string; input: string[]; authorization: string | undefined }[];
  /** While set, requests whose input contains this text fail with HTTP 500. */
  failWhen: string | null;
  close(): Promise<void>;
}

const DIMS = 64;

export async function startFakeEmbeddings(concepts: readonly (readonly string[])[]): Promise<FakeEmbeddings> {
  const conceptOf = new Map<string, number>();
  concepts.forEach((words, i) => {
    for (const w of words) conceptOf.set(w, i);
  });
  const embed = (text: string): number[] => {
    const v = new Array<number>(DIMS).fill(0);
    for (const w of text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean)) {
      const c = conceptOf.get(w);
      if (c !== undefined) v[c] = (v[c] as number) + 1;
      else {
        let h = 0;
        for (const ch of w) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
        const d = concepts.length + (h % (DIMS - concepts.length));
        v[d] = (v[d] as number) + 0.05;
      }
    }
    return v;
  };

  const state: FakeEmbeddings = {
    url: "",
    requests: [],
    failWhen: null,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as { model: string; input: string | string[] };
    const input = typeof body.input === "string" ? [body.input] : body.input;
    state.requests.push({ model: body.model, input, authorization: req.headers.authorization });
    if (req.method !== "POST" || req.url !== "/v1/embeddings") {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: "no route" } }));
      return;
    }
    if (state.failWhen !== null && input.some((t) => t.includes(state.failWhen as string))) {
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "boom" } }));
      return;
    }
    // Out of order on purpose: clients must place vectors by `index`.
    const data = input.map((t, index) => ({ object: "embedding", index, embedding: embed(t) })).reverse();
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ object: "list", data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (s += c));
    req.on("end", () => resolve(s));
    req.on("error", reject);
  });
}
