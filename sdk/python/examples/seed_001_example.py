"""Seed 001's Python SDK example, as the seed writes it. The key and server come from the environment
(OPSCOPILOT_API_KEY, OPSCOPILOT_BASE_URL) so the same code runs against any AegisOps server."""

import os

from opscopilot import OpscopilotClient

client = OpscopilotClient(api_key=os.environ["OPSCOPILOT_API_KEY"])

# Analyze incident
result = client.analyze(
    incident_description="API returning 500 errors",
    context={"service": "api-gateway", "environment": "production"}
)

print(result.hypothesis)
print(result.next_actions)
