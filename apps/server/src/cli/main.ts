#!/usr/bin/env node
import { Command } from "commander";
import { registerIncidentCommands } from "./incident-commands.js";
import { registerRunbookCommands } from "./runbook-commands.js";
import { runStart } from "./start-command.js";
import { runWatch } from "./watch-command.js";

const program = new Command().name("aegis").description("AegisOps — self-hosted AI SRE").showHelpAfterError();

program
  .command("start")
  .description("start the server (API, WebSocket, supervised demo app and its load balancer)")
  .action(() => runStart());

program
  .command("watch")
  .description("print live WebSocket frames, readable in a terminal")
  .option("--type <types>", "only these frame types (comma list)")
  .option("--incident <id>", "only frames of this incident")
  .option("--json", "raw JSON frames, one per line")
  .action((opts) => runWatch(opts));

registerIncidentCommands(program);
registerRunbookCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`aegis: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
