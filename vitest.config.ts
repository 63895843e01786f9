import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // eventsource-parser (MCP SDK client) exports a `source` condition pointing at .ts that Node will not load from node_modules.
    server: { deps: { inline: ["@modelcontextprotocol/sdk", "eventsource-parser"] } },
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          include: ["apps/*/src/**/*.test.ts", "packages/*/src/**/*.test.ts", "apps/cockpit/e2e/**/*.test.ts"],
          exclude: ["apps/cockpit/src/**", "**/node_modules/**"],
        },
      },
      {
        // The cockpit's components and logic, in a browser-like DOM.
        extends: true,
        test: {
          name: "cockpit",
          include: ["apps/cockpit/src/**/*.test.{ts,tsx}"],
          environment: "happy-dom",
        },
      },
    ],
  },
});
