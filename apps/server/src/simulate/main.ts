#!/usr/bin/env node
import { simulateCommand } from "./simulate-command.js";

// A load generator for demos and benchmarks, not part of the product: it is built into dist-tools/, not dist/
// (`npm run simulate -- --servers 20`).
simulateCommand()
  .name("aegis-simulate")
  .showHelpAfterError()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    process.stderr.write(`aegis-simulate: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
