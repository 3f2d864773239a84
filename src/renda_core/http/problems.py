"""Errors as RFC 9457 problem details (``application/problem+json``).

One problem type per renda error kind, with the HTTP status beside the CLI's exit
code (the table in ``docs/http.md`` is checked against :data:`STATUS` by a test).
"""

from __future__ import annotations

from typing import Any

from renda_core.domain.errors import RendaError

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:renda:problem:"

STATUS: dict[str, int] = {
    "invalid_input": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "rule_violated": 409,
    "concurrent_modification": 409,
    "payload_too_large": 413,
    "rate_limited": 429,
    "projection_failed": 503,
    "views_ahead": 503,
    "store_unavailable": 503,
    "log_altered": 500,
}
"""HTTP status per problem kind (renda error kinds plus the HTTP driver's own)."""

TITLES: dict[str, str] = {
    "invalid_input": "Invalid input",
    "unauthorized": "Missing, unknown, revoked or expired bearer token",
    "forbidden": "The token's role may not do this",
    "not_found": "Not found",
    "rule_violated": "Not allowed in the record's current state",
    "concurrent_modification": "Changed by someone else at the same time; retry",
    "payload_too_large": "Request body or batch too large",
    "rate_limited": "Too many requests; retry later",
    "projection_failed": "A projection failed while catching up",
    "views_ahead": "The views are ahead of the log; rebuild them",
    "store_unavailable": "The event store is unavailable",
    "log_altered": "The event log does not match its hash chain",
}


def problem(
    kind: str, detail: str, *, instance: str | None = None, **extra: Any
) -> tuple[int, dict[str, Any]]:
    """The status and body of one problem of ``kind``."""
    status = STATUS.get(kind, 500)
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + kind,
        "title": TITLES.get(kind, "Error"),
        "status": status,
        "detail": detail,
    }
    if instance is not None:
        body["instance"] = instance
    body.update(extra)
    return status, body


def from_error(error: RendaError, instance: str | None = None) -> tuple[int, dict[str, Any]]:
    """A renda error as a problem; invalid input lists every field (``errors``)."""
    extra: dict[str, Any] = {}
    fields = getattr(error, "errors", None)
    if fields is not None:
        extra["errors"] = [
            {"field": str(f.get("field", "")), "message": str(f.get("message", ""))} for f in fields
        ]
    return problem(error.kind, error.message, instance=instance, **extra)
