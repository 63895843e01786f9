import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { cliClient } from "./client-config.js";

const print = (v: unknown): void => {
  process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
};

/** `aegis incident send|get|list|approve|reject`. */
export function registerIncidentCommands(program: Command): void {
  const incident = program.command("incident").description("send and inspect incidents");
  incident
    .command("send")
    .description("send an alert to POST /webhook")
    .requiredOption("--alert-type <type>", 'e.g. "Memory Leak"')
    .option("--logs <text>", "log snippet")
    .option("--logs-file <file>", "read the logs from a file ('-' for stdin)")
    .option("--container <name>", "target container", undefined)
    .option("--severity <level>", "CRITICAL | WARNING | INFO", "CRITICAL")
    .option("--id <incident_id>", "incident id (default: a new UUID)")
    .option("--context <json>", "context object as JSON")
    .option("--dry-run", "analyse and decide, execute nothing")
    .action(async (o) => {
      const logs =
        o.logsFile === "-" ? readFileSync(0, "utf8") : o.logsFile ? readFileSync(o.logsFile, "utf8") : (o.logs ?? "");
      print(
        await cliClient().sendIncident({
          incident_id: o.id ?? randomUUID(),
          alert_type: o.alertType,
          logs,
          container_name: o.container,
          severity: o.severity,
          timestamp: new Date().toISOString(),
          ...(o.context ? { context: JSON.parse(o.context) } : {}),
          ...(o.dryRun ? { dry_run: true } : {}),
        }),
      );
    });
  incident
    .command("get <id>")
    .description("show one incident")
    .action(async (id: string) => {
      const found = await cliClient().incident(id);
      if (!found) throw new Error(`incident ${id}: 404, not found`);
      print(found);
    });
  incident
    .command("list")
    .option("--limit <n>", "how many", "20")
    .action(async (o) => {
      const list = await cliClient().listIncidents({ limit: Number(o.limit) });
      for (const i of list) {
        process.stdout.write(
          `${i.status.padEnd(18)} ${(i.analysis?.action ?? "-").padEnd(10)} ${i.incident_id}  ${i.alert_type}\n`,
        );
      }
    });
  for (const verb of ["approve", "reject"] as const) {
    incident
      .command(`${verb} <id>`)
      .description(`${verb} an incident awaiting human approval`)
      .option("--note <text>", "reason")
      .action(async (id: string, o) => print(await cliClient()[verb](id, { note: o.note })));
  }
}
