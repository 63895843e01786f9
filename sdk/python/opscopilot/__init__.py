"""Ops Copilot (seed 001) Python SDK for AegisOps. Standard library only."""

from ._retry import RetryPolicy
from .client import DEFAULT_BASE_URL, OpscopilotClient
from .errors import (
    ApiError,
    ConflictError,
    ConnectionFailed,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
    OpscopilotError,
    RateLimitError,
    ServerError,
    TimeoutError,
    UnauthorizedError,
)
from .models import (
    AnalysisResult,
    Citation,
    Command,
    Health,
    Incident,
    IncidentList,
    NextAction,
    Record,
    RelatedIncident,
    RunbookHit,
    RunbookSearchResult,
    Ticket,
    Webhook,
)

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_BASE_URL",
    "AnalysisResult",
    "ApiError",
    "Citation",
    "Command",
    "ConflictError",
    "ConnectionFailed",
    "ForbiddenError",
    "Health",
    "Incident",
    "IncidentList",
    "InvalidRequestError",
    "NextAction",
    "NotFoundError",
    "OpscopilotClient",
    "OpscopilotError",
    "RateLimitError",
    "Record",
    "RelatedIncident",
    "RetryPolicy",
    "RunbookHit",
    "RunbookSearchResult",
    "ServerError",
    "Ticket",
    "TimeoutError",
    "UnauthorizedError",
    "Webhook",
]
