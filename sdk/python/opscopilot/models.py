"""Result objects: the server's JSON as attributes (``result.hypothesis``), nested objects and lists of objects
wrapped too, every field kept (unknown ones included); ``.raw`` is the JSON as received."""

from __future__ import annotations

from typing import Any, ClassVar, Dict, List, Optional


class Record:
    """A JSON object with attribute access. ``rec.field``, ``rec["field"]``, ``rec.get(field)``, ``rec.raw``."""

    #: Field name -> Record subclass for that field's object (or each object of its list).
    _nested: ClassVar[Dict[str, type]] = {}

    def __init__(self, data: Dict[str, Any]) -> None:
        if not isinstance(data, dict):
            raise TypeError(f"{type(self).__name__} expects a JSON object, got {type(data).__name__}")
        object.__setattr__(self, "raw", data)
        fields = {k: self._wrap(k, v) for k, v in data.items()}
        object.__setattr__(self, "_fields", fields)

    def _wrap(self, key: str, value: Any) -> Any:
        cls = self._nested.get(key, Record)
        if isinstance(value, dict):
            return cls(value)
        if isinstance(value, list):
            return [cls(v) if isinstance(v, dict) else v for v in value]
        return value

    def __getattr__(self, name: str) -> Any:
        fields = object.__getattribute__(self, "_fields")
        if name in fields:
            return fields[name]
        raise AttributeError(f"{type(self).__name__} has no field {name!r} (fields: {', '.join(fields)})")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __getitem__(self, key: str) -> Any:
        return self._fields[key]

    def __contains__(self, key: object) -> bool:
        return key in self._fields

    def get(self, key: str, default: Any = None) -> Any:
        return self._fields.get(key, default)

    def keys(self) -> List[str]:
        return list(self._fields)

    def to_dict(self) -> Dict[str, Any]:
        return self.raw

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and type(other) is type(self) and other.raw == self.raw

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._fields.items())
        return f"{type(self).__name__}({inner})"


class NextAction(Record):
    """``action``, ``priority`` (high|medium|low), ``estimated_time``, ``rationale``."""


class Command(Record):
    """``description``, ``command``, ``safe_to_run`` (decided by AegisOps: read-only commands only)."""


class Citation(Record):
    """``source``, ``reference``, ``excerpt``, ``timestamp``."""


class RelatedIncident(Record):
    """``incident_id``, ``similarity_score``, ``resolution``."""


class AnalysisResult(Record):
    """What ``analyze`` returns: the response's ``result`` (``hypothesis``, ``confidence``, ``next_actions``,
    ``commands``, ``citations``, ``related_incidents``, …) with the envelope's ``request_id``, ``timestamp``,
    ``latency_ms`` and ``metadata`` beside it. ``raw`` is the whole response."""

    _nested = {
        "next_actions": NextAction,
        "commands": Command,
        "citations": Citation,
        "related_incidents": RelatedIncident,
    }
    hypothesis: str
    confidence: float
    next_actions: List[NextAction]
    commands: List[Command]
    citations: List[Citation]
    related_incidents: List[RelatedIncident]
    request_id: str
    latency_ms: int

    @classmethod
    def from_response(cls, response: Dict[str, Any]) -> "AnalysisResult":
        flat = dict(response.get("result") or {})
        for k in ("request_id", "timestamp", "latency_ms", "metadata"):
            if k in response:
                flat[k] = response[k]
        rec = cls(flat)
        object.__setattr__(rec, "raw", response)
        return rec


class IncidentAnalysis(Record):
    _nested = {"next_actions": NextAction, "commands": Command, "citations": Citation}


class Incident(Record):
    """``incident_id`` (``INC-<n>``), ``description``, ``status``, ``severity``, ``created_at``, ``resolved_at``,
    ``duration_seconds``, ``hypothesis``, ``resolution``, ``affected_services``, ``analysis``, and AegisOps'
    additions (``id``, ``state``, ``automation``, ``transitions``, …)."""

    _nested = {"analysis": IncidentAnalysis}


class IncidentList(Record):
    """``incidents``, ``total``, ``limit``, ``offset``."""

    _nested = {"incidents": Incident}
    incidents: List[Incident]
    total: int


class RunbookHit(Record):
    """``id``, ``title``, ``score``, ``service``, ``excerpt``, ``url``, ``last_updated``."""


class RunbookSearchResult(Record):
    """``results``, ``total_results``, ``query_time_ms``."""

    _nested = {"results": RunbookHit}
    results: List[RunbookHit]


class Ticket(Record):
    """``ticket_id``, ``ticket_url``, ``created_at`` (and, read back, ``title``, ``priority``, …)."""


class TicketList(Record):
    _nested = {"tickets": Ticket}


class Webhook(Record):
    """``id``, ``url``, ``events``, ``created_at`` (the secret is never returned)."""


class Health(Record):
    """``status`` (healthy|degraded|unhealthy), ``version``, ``timestamp``, ``dependencies``."""


def optional(cls: type, data: Optional[Dict[str, Any]]) -> Any:
    return None if data is None else cls(data)
