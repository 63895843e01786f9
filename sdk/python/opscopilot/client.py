"""``OpscopilotClient``: seed 001's Python SDK over an AegisOps server's ``/api/v1``."""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional
from urllib.parse import quote, urlencode

from ._http import HttpCore
from ._retry import RetryPolicy
from .models import (
    AnalysisResult,
    Health,
    Incident,
    IncidentList,
    RunbookSearchResult,
    Ticket,
    TicketList,
    Webhook,
)

#: Where the client goes when neither ``base_url`` nor ``OPSCOPILOT_BASE_URL`` says: a local server.
DEFAULT_BASE_URL = "http://127.0.0.1:8001"


def _qs(**params: Any) -> str:
    kept = {k: v for k, v in params.items() if v is not None}
    return f"?{urlencode(kept)}" if kept else ""


def _seg(s: str) -> str:
    return quote(str(s), safe="")


class OpscopilotClient:
    """The Ops Copilot API.

    >>> client = OpscopilotClient(api_key="your_api_key")
    >>> result = client.analyze(incident_description="API returning 500 errors",
    ...                         context={"service": "api-gateway", "environment": "production"})
    >>> print(result.hypothesis)

    ``api_key`` is sent as ``X-API-Key`` (default: ``OPSCOPILOT_API_KEY``); ``token`` as ``Authorization:
    Bearer``. ``base_url`` is the server's root (default ``OPSCOPILOT_BASE_URL``, else ``http://127.0.0.1:8001``).
    Non-2xx answers raise ``ApiError`` subclasses; 429 and 503 are sent again (``retry``), honouring ``Retry-After``.
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        token: Optional[str] = None,
        timeout: float = 60.0,
        retry: Optional[RetryPolicy] = None,
    ) -> None:
        self._http = HttpCore(
            base_url or os.environ.get("OPSCOPILOT_BASE_URL") or DEFAULT_BASE_URL,
            api_key=api_key if api_key is not None else os.environ.get("OPSCOPILOT_API_KEY"),
            token=token,
            timeout=timeout,
            retry=retry,
        )

    @property
    def base_url(self) -> str:
        return self._http.base_url

    def analyze(
        self,
        incident_description: str,
        context: Optional[Dict[str, Any]] = None,
        incident_id: Optional[str] = None,
        options: Optional[Dict[str, Any]] = None,
        logs: Optional[str] = None,
    ) -> AnalysisResult:
        """``POST /api/v1/analyze``. ``context``: service, environment, region, severity; ``options``:
        include_commands, max_citations, include_related_incidents."""
        body: Dict[str, Any] = {"incident_description": incident_description}
        for k, v in (("incident_id", incident_id), ("context", context), ("options", options), ("logs", logs)):
            if v is not None:
                body[k] = v
        return AnalysisResult.from_response(self._http.call("POST", "/api/v1/analyze", body))

    def get_incident(self, incident_id: str) -> Incident:
        """``GET /api/v1/incidents/{incident_id}`` (an id or ``INC-<n>``)."""
        return Incident(self._http.call("GET", f"/api/v1/incidents/{_seg(incident_id)}"))

    def list_incidents(
        self,
        service: Optional[str] = None,
        status: Optional[str] = None,
        severity: Optional[str] = None,
        limit: int = 20,
        offset: int = 0,
    ) -> IncidentList:
        """``GET /api/v1/incidents``, newest first."""
        q = _qs(service=service, status=status, severity=severity, limit=limit, offset=offset)
        return IncidentList(self._http.call("GET", f"/api/v1/incidents{q}"))

    def search_runbooks(self, query: str, service: Optional[str] = None, top_k: Optional[int] = None) -> RunbookSearchResult:
        """``POST /api/v1/runbooks/search``."""
        body: Dict[str, Any] = {"query": query}
        if service is not None:
            body["service"] = service
        if top_k is not None:
            body["top_k"] = top_k
        return RunbookSearchResult(self._http.call("POST", "/api/v1/runbooks/search", body))

    def create_ticket(
        self,
        title: str,
        description: str,
        priority: str,
        incident_id: Optional[str] = None,
        assignee: Optional[str] = None,
    ) -> Ticket:
        """``POST /api/v1/tickets``: ``ticket_id``, ``ticket_url``, ``created_at``."""
        body: Dict[str, Any] = {"title": title, "description": description, "priority": priority}
        if incident_id is not None:
            body["incident_id"] = incident_id
        if assignee is not None:
            body["assignee"] = assignee
        return Ticket(self._http.call("POST", "/api/v1/tickets", body))

    def get_ticket(self, ticket_id: str) -> Ticket:
        return Ticket(self._http.call("GET", f"/api/v1/tickets/{_seg(ticket_id)}"))

    def list_tickets(self, limit: int = 20, offset: int = 0) -> TicketList:
        return TicketList(self._http.call("GET", f"/api/v1/tickets{_qs(limit=limit, offset=offset)}"))

    def register_webhook(self, url: str, events: List[str], secret: str) -> Webhook:
        """``POST /api/v1/webhooks``: deliveries are signed with ``secret`` (``X-Signature-256``)."""
        return Webhook(self._http.call("POST", "/api/v1/webhooks", {"url": url, "events": events, "secret": secret}))

    def list_webhooks(self) -> List[Webhook]:
        return [Webhook(w) for w in self._http.call("GET", "/api/v1/webhooks")["webhooks"]]

    def delete_webhook(self, webhook_id: str) -> None:
        self._http.call("DELETE", f"/api/v1/webhooks/{_seg(webhook_id)}")

    def health(self) -> Health:
        """``GET /api/v1/health``: the server's dependencies, really probed."""
        return Health(self._http.call("GET", "/api/v1/health"))

    def request(self, method: str, path: str, body: Any = None):
        """Any route, any status: ``(status, body, headers)``."""
        return self._http.request(method, path, body)
