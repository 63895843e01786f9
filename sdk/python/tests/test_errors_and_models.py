import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from opscopilot import (  # noqa: E402
    AnalysisResult,
    ApiError,
    ForbiddenError,
    Incident,
    InvalidRequestError,
    NextAction,
    NotFoundError,
    RateLimitError,
    ServerError,
    TimeoutError,
)
from opscopilot.errors import error_for  # noqa: E402

# Seed 001's documented 200 response of POST /api/v1/analyze, plus a field the seed does not list.
SEED_RESPONSE = {
    "request_id": "req_abc123xyz",
    "timestamp": "2025-12-20T00:57:50Z",
    "latency_ms": 4523,
    "result": {
        "hypothesis": "The v2.3.5 deployment introduced a database driver incompatibility...",
        "confidence": 0.85,
        "next_actions": [
            {
                "action": "Rollback to v2.3.4 immediately to restore service",
                "priority": "high",
                "estimated_time": "5 minutes",
                "rationale": "Fastest path to mitigation given strong deployment correlation",
            }
        ],
        "commands": [
            {
                "description": "Rollback API gateway to previous version",
                "command": "kubectl rollout undo deployment/api-gateway -n production",
                "safe_to_run": False,
            }
        ],
        "citations": [],
        "related_incidents": [{"incident_id": "INC-11234", "similarity_score": 0.78, "resolution": "Rolled back"}],
        "action": "ROLLBACK",
    },
    "metadata": {"tools_used": ["log_search"], "runbooks_retrieved": 5, "cache_hit": False},
}


class Models(unittest.TestCase):
    def test_analysis_result_reads_like_the_seed_example(self):
        r = AnalysisResult.from_response(SEED_RESPONSE)
        self.assertTrue(r.hypothesis.startswith("The v2.3.5 deployment"))
        self.assertEqual(r.confidence, 0.85)
        self.assertIsInstance(r.next_actions[0], NextAction)
        self.assertEqual(r.next_actions[0].priority, "high")
        self.assertFalse(r.commands[0].safe_to_run)
        self.assertEqual(r.related_incidents[0].incident_id, "INC-11234")
        self.assertEqual((r.request_id, r.latency_ms), ("req_abc123xyz", 4523))
        self.assertEqual(r.metadata.runbooks_retrieved, 5)
        # Fields the seed does not document stay accessible; raw is the whole response.
        self.assertEqual(r.action, "ROLLBACK")
        self.assertIs(r.raw, SEED_RESPONSE)
        self.assertIn("Rollback to v2.3.4", repr(r.next_actions))

    def test_a_missing_field_names_what_there_is(self):
        r = Incident({"incident_id": "INC-1", "analysis": {"next_actions": [], "commands": [], "citations": []}})
        self.assertEqual(r["incident_id"], "INC-1")
        self.assertEqual(r.analysis.commands, [])
        with self.assertRaises(AttributeError) as cm:
            r.hypothesis  # noqa: B018
        self.assertIn("incident_id", str(cm.exception))
        with self.assertRaises(AttributeError):
            r.incident_id = "x"
        with self.assertRaises(TypeError):
            Incident(["not", "an", "object"])


class Errors(unittest.TestCase):
    def test_each_seed_envelope(self):
        cases = [
            (400, {"error": {"code": "INVALID_REQUEST", "message": "incident_description must be between 10 and 5000 characters", "details": {"field": "incident_description", "provided_length": 5}}}, InvalidRequestError, "INVALID_REQUEST", "incident_description must be between 10 and 5000 characters"),
            (422, {"error": "Validation failed", "code": "validation_error", "detail": [{"loc": ["body", "logs"], "msg": "Field required", "type": "missing"}]}, InvalidRequestError, "validation_error", "body.logs: Field required"),
            (404, {"detail": "Incident not found"}, NotFoundError, None, "Incident not found"),
            (403, {"success": False, "error": "admin role required", "details": {}, "request_id": "req-9"}, ForbiddenError, None, "admin role required"),
            (504, {"error": {"code": "TIMEOUT", "message": "Request exceeded 30 second timeout", "partial_results": {"tools_completed": [], "tools_failed": ["metrics_query"]}}}, TimeoutError, "TIMEOUT", "Request exceeded 30 second timeout"),
            (502, "bad gateway", ServerError, None, "bad gateway"),
            (418, None, ApiError, None, "HTTP 418"),
        ]
        for status, body, cls, code, message in cases:
            with self.subTest(status=status):
                e = error_for("POST", "/p", status, body, {})
                self.assertIs(type(e), cls)
                self.assertEqual((e.status, e.code, e.message), (status, code, message))
        self.assertEqual(error_for("GET", "/p", 400, cases[0][1]).details["field"], "incident_description")
        self.assertEqual(error_for("GET", "/p", 403, cases[3][1]).request_id, "req-9")

    def test_retry_after_header_wins_over_the_body(self):
        body = {"error": {"code": "RATE_LIMIT_EXCEEDED", "message": "m", "retry_after": 1800}}
        self.assertEqual(error_for("GET", "/p", 429, body, {"retry-after": "30"}).retry_after, 30.0)
        e = error_for("GET", "/p", 429, body, {})
        self.assertIsInstance(e, RateLimitError)
        self.assertEqual(e.retry_after, 1800)


if __name__ == "__main__":
    unittest.main()
