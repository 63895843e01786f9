import os
import sys
import time
import unittest
from email.utils import formatdate

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from opscopilot import ConnectionFailed, OpscopilotClient, RateLimitError, RetryPolicy, ServerError  # noqa: E402
from opscopilot._retry import parse_retry_after  # noqa: E402

from local_server import ScriptedServer  # noqa: E402

OK_ANALYSIS = {
    "request_id": "req_1",
    "timestamp": "2025-12-20T00:57:50Z",
    "latency_ms": 12,
    "result": {"hypothesis": "h", "confidence": 0.5, "next_actions": [], "commands": [], "citations": [], "related_incidents": []},
    "metadata": {"tools_used": [], "runbooks_retrieved": 0, "cache_hit": False},
}


class RetryAgainstARealServer(unittest.TestCase):
    def setUp(self):
        self.server = ScriptedServer()
        self.waits = []

    def tearDown(self):
        self.server.close()

    def client(self, **policy):
        return OpscopilotClient(
            api_key="k", base_url=self.server.url, retry=RetryPolicy(sleep=self.waits.append, **policy)
        )

    def test_waits_retry_after_of_a_429_then_returns_the_200_real_sleep(self):
        self.server.scripts["/api/v1/analyze"] = [
            (429, {"error": {"code": "RATE_LIMIT_EXCEEDED", "message": "slow down", "retry_after": 1}}, {"Retry-After": "1"}),
            (200, OK_ANALYSIS, {}),
        ]
        client = OpscopilotClient(api_key="k", base_url=self.server.url)
        started = time.monotonic()
        result = client.analyze(incident_description="API returning 500 errors")
        self.assertGreaterEqual(time.monotonic() - started, 0.95)
        self.assertEqual(result.hypothesis, "h")
        self.assertEqual([s[:2] for s in self.server.seen], [("POST", "/api/v1/analyze")] * 2)
        headers = {k.lower(): v for k, v in self.server.seen[0][2].items()}
        self.assertEqual(headers.get("x-api-key"), "k")
        self.assertEqual(self.server.seen[0][3], self.server.seen[1][3])

    def test_http_date_and_envelope_retry_after(self):
        self.server.scripts["/api/v1/health"] = [
            (503, {"detail": "busy"}, {"Retry-After": formatdate(time.time() + 3, usegmt=True)}),
            (200, {"status": "healthy"}, {}),
        ]
        self.server.scripts["/api/v1/tickets/T-1"] = [
            (429, {"success": False, "error": "limited", "details": {"retry_after": 2}, "request_id": "r"}, {}),
            (200, {"ticket_id": "T-1"}, {}),
        ]
        client = self.client()
        self.assertEqual(client.health().status, "healthy")
        self.assertEqual(client.get_ticket("T-1").ticket_id, "T-1")
        self.assertTrue(1.0 < self.waits[0] <= 3.0, self.waits)
        self.assertEqual(self.waits[1], 2.0)

    def test_a_retry_after_beyond_the_bound_is_raised_at_once(self):
        self.server.scripts["/api/v1/analyze"] = [
            (429, {"error": {"code": "RATE_LIMIT_EXCEEDED", "message": "Rate limit of 100 requests/hour exceeded", "retry_after": 1800}}, {"Retry-After": "1800"}),
        ]
        with self.assertRaises(RateLimitError) as cm:
            self.client().analyze(incident_description="API returning 500 errors")
        e = cm.exception
        self.assertEqual((e.status, e.code, e.retry_after), (429, "RATE_LIMIT_EXCEEDED", 1800.0))
        self.assertIn("100 requests/hour", str(e))
        self.assertEqual(self.waits, [])
        self.assertEqual(len(self.server.seen), 1)

    def test_bounded_attempts_with_capped_backoff(self):
        self.server.scripts["/api/v1/health"] = [(503, {"detail": "down"}, {})] * 6
        with self.assertRaises(ServerError) as cm:
            self.client(max_attempts=4, base_delay=0.1, max_delay=0.25).health()
        self.assertEqual(cm.exception.status, 503)
        self.assertEqual(len(self.server.seen), 4)
        self.assertEqual(len(self.waits), 3)
        for wait, cap in zip(self.waits, (0.1, 0.2, 0.25)):
            self.assertTrue(0 <= wait <= cap, self.waits)

    def test_network_errors_retried_for_get_never_for_post(self):
        self.server.scripts["/api/v1/tickets/T-2"] = ["hang-up", (200, {"ticket_id": "T-2"}, {})]
        self.server.scripts["/api/v1/tickets"] = ["hang-up", (201, {"ticket_id": "T-3"}, {})]
        client = self.client()
        self.assertEqual(client.get_ticket("T-2").ticket_id, "T-2")
        with self.assertRaises(ConnectionFailed):
            client.create_ticket(title="t", description="d", priority="low")
        self.assertEqual([s[1] for s in self.server.seen], ["/api/v1/tickets/T-2", "/api/v1/tickets/T-2", "/api/v1/tickets"])

    def test_other_statuses_are_not_retried(self):
        self.server.scripts["/api/v1/health"] = [(500, {"error": "boom", "code": "internal"}, {}), (200, {}, {})]
        with self.assertRaises(ServerError):
            self.client().health()
        self.assertEqual(len(self.server.seen), 1)


class RetryPolicyRules(unittest.TestCase):
    def test_parse_retry_after(self):
        now = 1766188800.0  # 2025-12-20T00:00:00Z
        self.assertEqual(parse_retry_after("120", now), 120.0)
        self.assertEqual(parse_retry_after("Sat, 20 Dec 2025 00:00:30 GMT", now), 30.0)
        self.assertEqual(parse_retry_after("Fri, 19 Dec 2025 23:00:00 GMT", now), 0.0)
        self.assertIsNone(parse_retry_after("soon", now))
        self.assertIsNone(parse_retry_after("-5", now))
        self.assertIsNone(parse_retry_after(None, now))

    def test_refuses_nonsense(self):
        with self.assertRaises(ValueError):
            RetryPolicy(max_attempts=0)
        with self.assertRaises(ValueError):
            RetryPolicy(base_delay=-1)


if __name__ == "__main__":
    unittest.main()
