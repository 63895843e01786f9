import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { AegisApiError } from "@aegis/sdk";
import type { Command } from "commander";
import { cliClient } from "./client-config.js";
import { type ParsedRunbook, parseMarkdownRunbook } from "./markdown-runbook.js";
import { ProgressBar } from "./progress-bar.js";

/** `aegis runbook import|search`. */
export function registerRunbookCommands(program: Command): void {
  const runbook = program.command("runbook").description("manage the runbook knowledge base");
  runbook
    .command("import <path>")
    .description(
      "import runbooks: a folder of markdown files (front matter or first `# heading` as title, folder as service; files starting with _ are skipped) or a JSONL file of {id,title,service,body,url?,tags?}",
    )
    .option("--service <name>", "service for every runbook (overrides front matter and folder)")
    .option("--concurrency <n>", "parallel uploads", "4")
    .option("--dry-run", "parse and list, upload nothing")
    .action(async (path: string, o: { service?: string; concurrency: string; dryRun?: boolean }) => {
      const docs = readRunbooks(resolve(path)).map((d) => (o.service ? { ...d, service: o.service } : d));
      if (o.dryRun) {
        for (const d of docs) process.stdout.write(`${d.id}\t${d.service}\t${d.title}\n`);
        return;
      }
      const r = await importRunbooks(docs, Math.max(1, Number(o.concurrency) || 4));
      process.stderr.write(
        `imported ${r.created + r.updated}/${docs.length} (${r.created} new, ${r.updated} updated)\n`,
      );
      for (const f of r.failed.slice(0, 20)) process.stderr.write(`  failed ${f.id}: ${f.error}\n`);
      if (r.failed.length > 0) process.exitCode = 1;
    });
  runbook
    .command("search <query...>")
    .description("search the runbooks (POST /api/v1/runbooks/search)")
    .option("--service <name>", "only this service")
    .option("--top-k <n>", "how many", "5")
    .action(async (words: string[], o: { service?: string; topK: string }) => {
      const body = await cliClient().searchRunbooks({
        query: words.join(" "),
        top_k: Number(o.topK),
        ...(o.service ? { service: o.service } : {}),
      });
      if (body.no_good_match) process.stdout.write("No good match. Closest runbooks:\n");
      for (const r of body.results) {
        process.stdout.write(`${r.score.toFixed(2)} ${r.confidence.padEnd(6)} ${r.id}  ${r.title}\n    ${r.excerpt}\n`);
      }
    });
}

/** Markdown files under a folder (recursively), or the lines of a JSONL file. */
export function readRunbooks(path: string): ParsedRunbook[] {
  if (statSync(path).isFile()) {
    if (extname(path) === ".jsonl") {
      return readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l.trim())
        .map((l, i) => {
          try {
            return JSON.parse(l) as ParsedRunbook;
          } catch (e) {
            throw new Error(`${path}:${i + 1}: ${(e as Error).message}`);
          }
        });
    }
    return [parseMarkdownRunbook(resolve(path, ".."), path, readFileSync(path, "utf8"))];
  }
  const out: ParsedRunbook[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith(".") || e.name.startsWith("_")) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(md|markdown)$/i.test(e.name)) out.push(parseMarkdownRunbook(path, p, readFileSync(p, "utf8")));
    }
  };
  walk(path);
  return out;
}

/** PUT each runbook (idempotent: a re-import replaces), a few at a time, with a progress bar. */
export async function importRunbooks(docs: ParsedRunbook[], concurrency: number) {
  const client = cliClient();
  const bar = new ProgressBar(docs.length, "runbooks");
  const result = { created: 0, updated: 0, failed: [] as { id: string; error: string }[] };
  let next = 0;
  const worker = async () => {
    while (next < docs.length) {
      const d = docs[next++] as ParsedRunbook;
      const { id, ...rest } = d;
      try {
        if ((await client.putRunbook(id, rest)).created) result.created++;
        else result.updated++;
      } catch (e) {
        const error =
          e instanceof AegisApiError ? `${e.status} ${JSON.stringify(e.body).slice(0, 300)}` : (e as Error).message;
        result.failed.push({ id, error });
      }
      bar.tick();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, docs.length) }, worker));
  bar.finish();
  return result;
}
