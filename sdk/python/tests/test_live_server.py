"""The seed 001 surface against a running AegisOps server: set OPSCOPILOT_BASE_URL and OPSCOPILOT_API_KEY.
Skipped without them, unless OPSCOPILOT_LIVE_REQUIRED=1 (the server's end-to-end test sets it): then missing
settings fail."""

import os
import sys
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from opscopilot import (  # noqa: E402
    InvalidRequestError,
    NotFoundError,
    OpscopilotClient,
    RetryPolicy,
    UnauthorizedError,
)

URL = os.environ.get("OPSCOPILOT_BASE_URL")
KEY = os.environ.get("OPSCOPILOT_API_KEY")
REQUIRED = os.environ.get("OPSCOPILOT_LIVE_REQUIRED") == "1"

if REQUIRED and not (URL and KEY):
    raise RuntimeError("OPSCOPILOT_LIVE_REQUIRED=1 but OPSCOPILOT_BASE_URL or OPSCOPILOT_API_KEY is not set")


@unittest.skipUnless(URL and KEY, "no server: set OPSCOPILOT_BASE_URL and OPSCOPILOT_API_KEY")
class LiveServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = OpscopilotClient(api_key=KEY, base_url=URL)
        status, body, _ = cls.client.request(
            "POST",
            "/api/v1/incidents",
            {"title": "Checkout 500s after deploy", "description": "api-gateway answers 500", "service_name": "api-gateway", "severity": "high"},
        )
        assert status == 200, (status, body)
        cls.reference = body["reference"]

    def test_analyze_as_the_seed_shows(self):
        result = self.client.analyze(
            incident_description="API gateway returning 500 errors since 2pm, affecting checkout flow",
            context={"service": "api-gateway", "environment": "production", "severity": "critical"},
            options={"include_commands": True, "max_citations": 5},
        )
        self.assertIsInstance(result.hypothesis, str)
        self.assertGreater(len(result.hypothesis), 0)
        self.assertTrue(0 <= result.confidence <= 1)
        for a in result.next_actions:
            self.assertIn(a.priority, ("high", "medium", "low"))
            self.assertTrue(a.action)
        for c in result.commands:
            self.assertIsInstance(c.safe_to_run, bool)
        self.assertTrue(result.request_id)
        self.assertIsInstance(result.metadata.tools_used, list)
        self.assertEqual(result.raw["result"]["hypothesis"], result.hypothesis)

    def test_analyze_refuses_a_short_description_naming_the_field(self):
        with self.assertRaises(InvalidRequestError) as cm:
            self.client.analyze(incident_description="short")
        e = cm.exception
        self.assertEqual((e.status, e.code), (400, "INVALID_REQUEST"))
        self.assertEqual(e.details["field"], "incident_description")

    def test_a_wrong_key_is_unauthorized(self):
        bad = OpscopilotClient(api_key="not-a-key-" + uuid.uuid4().hex, base_url=URL, retry=RetryPolicy(max_attempts=1))
        with self.assertRaises(UnauthorizedError) as cm:
            bad.analyze(incident_description="API returning 500 errors")
        self.assertEqual((cm.exception.code, cm.exception.message), ("UNAUTHORIZED", "Invalid or missing API key"))
        with self.assertRaises(UnauthorizedError):
            bad.list_incidents()

    def test_incidents_by_reference_and_in_the_list(self):
        incident = self.client.get_incident(self.reference)
        self.assertEqual(incident.incident_id, self.reference)
        self.assertEqual(incident.severity, "high")
        self.assertIn("api-gateway", incident.affected_services)
        listed = self.client.list_incidents(service="api-gateway", limit=10)
        self.assertIn(self.reference, [i.incident_id for i in listed.incidents])
        self.assertGreaterEqual(listed.total, 1)
        self.assertEqual(listed.limit, 10)
        with self.assertRaises(NotFoundError):
            self.client.get_incident("INC-99999999")

    def test_runbook_search(self):
        found = self.client.search_runbooks(query="database connection timeout", top_k=3)
        self.assertLessEqual(len(found.results), 3)
        self.assertEqual(found.total_results, len(found.results))
        self.assertIsInstance(found.query_time_ms, (int, float))

    def test_tickets(self):
        created = self.client.create_ticket(
            title="Checkout 500s", description="Rolled back to v2.3.4", priority="high", incident_id=self.reference
        )
        self.assertTrue(created.ticket_id)
        self.assertTrue(created.ticket_url.startswith("http"))
        again = self.client.get_ticket(created.ticket_id)
        self.assertEqual((again.title, again.priority, again.incident_id), ("Checkout 500s", "high", self.reference))

    def test_webhooks(self):
        hook = self.client.register_webhook(
            url="http://127.0.0.1:9/hook", events=["incident.created", "incident.resolved"], secret="s" * 24
        )
        self.assertEqual(hook.events, ["incident.created", "incident.resolved"])
        self.assertNotIn("secret", hook)
        self.assertIn(hook.id, [w.id for w in self.client.list_webhooks()])
        self.client.delete_webhook(hook.id)
        self.assertNotIn(hook.id, [w.id for w in self.client.list_webhooks()])
        with self.assertRaises(InvalidRequestError) as cm:
            self.client.register_webhook(url="ftp://x", events=["incident.created"], secret="s" * 24)
        self.assertEqual(cm.exception.details.get("field"), "url")

    def test_health(self):
        h = self.client.health()
        self.assertIn(h.status, ("healthy", "degraded"))
        self.assertEqual(h.dependencies.database, "healthy")


if __name__ == "__main__":
    unittest.main()
