// Seed 001's Node.js SDK example, as the seed writes it (CommonJS `require` of the ESM package: Node >= 20.19).
// The key and server come from the environment (OPSCOPILOT_API_KEY, OPSCOPILOT_BASE_URL).
const { OpscopilotClient } = require("@aegis/sdk");

async function main() {
  const client = new OpscopilotClient({ apiKey: process.env.OPSCOPILOT_API_KEY });

  // Analyze incident
  const result = await client.analyze({
    incidentDescription: "API returning 500 errors",
    context: { service: "api-gateway", environment: "production" },
  });

  console.log(result.hypothesis);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
