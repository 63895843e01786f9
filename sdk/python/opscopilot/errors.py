"""Typed errors of the Ops Copilot API, read from whichever seed envelope the route answers with."""

from __future__ import annotations

from typing import Any, Mapping, Optional

from ._retry import parse_retry_after


class OpscopilotError(Exception):
    """Base of every error this package raises."""


class ConnectionFailed(OpscopilotError):
    """The server could not be reached (after the retries an idempotent request is allowed)."""


class ApiError(OpscopilotError):
    """A non-2xx answer.

    ``status``, the envelope's ``code`` (e.g. ``INVALID_REQUEST``), ``message`` (the server's sentence),
    ``body`` (the parsed JSON, or the text), ``retry_after`` (seconds: the ``Retry-After`` header, else the
    envelope's ``retry_after``), ``details`` (seed 001 ``details``, seed 003 ``details``) and ``request_id``.
    """

    def __init__(
        self,
        method: str,
        path: str,
        status: int,
        body: Any,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        parsed = parse_envelope(body)
        self.code: Optional[str] = parsed["code"]
        self.message: str = parsed["message"] or (body if isinstance(body, str) and body else f"HTTP {status}")
        self.details: Optional[dict] = parsed["details"]
        self.request_id: Optional[str] = parsed["request_id"]
        header = None
        for k, v in self.headers.items():
            if k.lower() == "retry-after":
                header = parse_retry_after(v)
        self.retry_after: Optional[float] = header if header is not None else parsed["retry_after"]
        code = f" {self.code}" if self.code else ""
        super().__init__(f"{method} {path} -> {status}{code}: {self.message}")


class InvalidRequestError(ApiError):
    """400 or 422: the request was refused as invalid (``details['field']`` names the field on seed 001)."""


class UnauthorizedError(ApiError):
    """401: a missing or wrong API key or token."""


class ForbiddenError(ApiError):
    """403: the credential's role may not do this."""


class NotFoundError(ApiError):
    """404."""


class ConflictError(ApiError):
    """409: the resource is not in a state that allows this."""


class RateLimitError(ApiError):
    """429: over a rate limit; ``retry_after`` says when to come back."""


class TimeoutError(ApiError):  # noqa: A001 - the seed's TIMEOUT code
    """504: seed 001's ``TIMEOUT`` (``body['error']['partial_results']`` lists the tools that finished)."""


class ServerError(ApiError):
    """Any other 5xx."""


def _issues_text(issues: list) -> str:
    parts = []
    for i in issues:
        if isinstance(i, dict):
            loc = ".".join(str(x) for x in i.get("loc", []))
            parts.append(f"{loc}: {i.get('msg')}" if loc else str(i.get("msg")))
        else:
            parts.append(str(i))
    return "; ".join(parts)


def parse_envelope(body: Any) -> dict:
    """code, message, details, retry_after and request_id from seed 000, 001, 002/004 or 003's envelope."""
    out: dict = {"code": None, "message": None, "details": None, "retry_after": None, "request_id": None}
    if not isinstance(body, dict):
        return out
    err = body.get("error")
    if isinstance(err, dict):  # seed 001
        out.update(
            code=err.get("code"),
            message=err.get("message"),
            details=err.get("details"),
            retry_after=err.get("retry_after"),
        )
    elif body.get("success") is False:  # seed 003
        details = body.get("details") if isinstance(body.get("details"), dict) else None
        out.update(
            code=(details or {}).get("code"),
            message=err if isinstance(err, str) else None,
            details=details,
            retry_after=(details or {}).get("retry_after"),
            request_id=body.get("request_id"),
        )
    else:  # seed 000 {error, code, detail?}; seeds 002/004 {detail}
        detail = body.get("detail")
        if isinstance(detail, list):
            message = _issues_text(detail)
        elif isinstance(detail, str):
            message = detail
        else:
            message = err if isinstance(err, str) else body.get("message")
        out.update(code=body.get("code"), message=message, retry_after=body.get("retry_after"))
    if not isinstance(out["retry_after"], (int, float)) or isinstance(out["retry_after"], bool):
        out["retry_after"] = None
    return out


_BY_STATUS = {
    400: InvalidRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    422: InvalidRequestError,
    429: RateLimitError,
    504: TimeoutError,
}


def error_for(method: str, path: str, status: int, body: Any, headers: Optional[Mapping[str, str]] = None) -> ApiError:
    """The ApiError subclass for ``status``."""
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else ApiError)
    return cls(method, path, status, body, headers)
