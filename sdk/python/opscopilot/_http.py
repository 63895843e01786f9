"""One HTTP path: credentials, JSON, retries (see ``_retry``), typed errors. ``urllib`` only."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, Dict, Optional, Tuple

from ._retry import RetryPolicy, parse_retry_after
from .errors import ConnectionFailed, error_for

USER_AGENT = "opscopilot-python/0.1.0"


class HttpCore:
    def __init__(
        self,
        base_url: str,
        api_key: Optional[str] = None,
        token: Optional[str] = None,
        timeout: float = 60.0,
        retry: Optional[RetryPolicy] = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.token = token
        self.timeout = timeout
        self.retry = retry or RetryPolicy()

    def _headers(self, has_body: bool) -> Dict[str, str]:
        h = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if self.api_key:
            h["X-API-Key"] = self.api_key
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        if has_body:
            h["Content-Type"] = "application/json"
        return h

    def _once(self, method: str, path: str, data: Optional[bytes]) -> Tuple[int, Any, Dict[str, str]]:
        req = urllib.request.Request(
            self.base_url + path, data=data, method=method, headers=self._headers(data is not None)
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:
                return res.status, _parse(res.read()), dict(res.headers.items())
        except urllib.error.HTTPError as e:
            try:
                return e.code, _parse(e.read()), dict(e.headers.items()) if e.headers else {}
            finally:
                e.close()

    def request(self, method: str, path: str, body: Any = None) -> Tuple[int, Any, Dict[str, str]]:
        """Any route, any status: (status, parsed body, headers). Raises ConnectionFailed when unreachable."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        attempt = 0
        while True:
            attempt += 1
            try:
                status, parsed, headers = self._once(method, path, data)
            except OSError as e:  # URLError, timeouts, resets
                wait = self.retry.next_delay(attempt, method, None, None)
                if wait is None:
                    raise ConnectionFailed(f"{method} {self.base_url}{path}: {getattr(e, 'reason', e)}") from e
                self.retry.sleep(wait)
                continue
            wait = self.retry.next_delay(attempt, method, status, _retry_after(parsed, headers))
            if wait is None:
                return status, parsed, headers
            self.retry.sleep(wait)

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """The parsed body of a 2xx; the status's ApiError otherwise."""
        status, parsed, headers = self.request(method, path, body)
        if not 200 <= status <= 299:
            raise error_for(method, path, status, parsed, headers)
        return parsed


def _parse(raw: bytes) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def _retry_after(body: Any, headers: Dict[str, str]) -> Optional[float]:
    for k, v in headers.items():
        if k.lower() == "retry-after":
            parsed = parse_retry_after(v)
            if parsed is not None:
                return parsed
    if isinstance(body, dict):
        err = body.get("error") if isinstance(body.get("error"), dict) else {}
        details = body.get("details") if isinstance(body.get("details"), dict) else {}
        for s in (err.get("retry_after"), body.get("retry_after"), details.get("retry_after")):
            if isinstance(s, (int, float)) and not isinstance(s, bool) and s >= 0:
                return float(s)
    return None
