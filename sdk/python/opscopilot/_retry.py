"""The retry rule shared with the Node SDK: 429 and 503 are sent again (and network errors of idempotent
methods), with exponential backoff and full jitter, honouring ``Retry-After`` up to a bound."""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Callable, Optional, Tuple

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@dataclass(frozen=True)
class RetryPolicy:
    """``max_attempts`` in all (1 = never retry); backoff ``base_delay`` doubling up to ``max_delay`` seconds;
    a ``Retry-After`` above ``max_retry_after`` seconds is not waited for (the error is raised with it)."""

    max_attempts: int = 3
    base_delay: float = 0.2
    max_delay: float = 10.0
    max_retry_after: float = 60.0
    statuses: Tuple[int, ...] = (429, 503)
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)
    random: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.max_attempts, int) or self.max_attempts < 1:
            raise ValueError(f"max_attempts must be an integer >= 1, got {self.max_attempts!r}")
        for name in ("base_delay", "max_delay", "max_retry_after"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)!r}")

    def backoff(self, attempt: int) -> float:
        cap = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return cap * self.random()

    def next_delay(
        self, attempt: int, method: str, status: Optional[int], retry_after: Optional[float]
    ) -> Optional[float]:
        """Seconds to wait before sending again after ``attempt`` (from 1), or None: do not retry.
        ``status`` None means a network error."""
        if attempt >= self.max_attempts:
            return None
        if status is None:
            return self.backoff(attempt) if method.upper() in IDEMPOTENT else None
        if status not in self.statuses:
            return None
        if retry_after is not None:
            return retry_after if retry_after <= self.max_retry_after else None
        return self.backoff(attempt)


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """``Retry-After`` in seconds: delta-seconds or an HTTP date (a past date is 0); None when unreadable."""
    if value is None:
        return None
    v = value.strip()
    if re.fullmatch(r"\d+", v):
        return float(v)
    if not re.match(r"[A-Za-z]{3}", v):
        return None
    try:
        at = parsedate_to_datetime(v)
    except (TypeError, ValueError, IndexError):
        return None
    if at is None:
        return None
    return max(0.0, at.timestamp() - (time.time() if now is None else now))
