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


#: the HTTP driver's own details and Starlette's titles, catalogued (``msgctxt
#: "error"``) with :data:`TITLES`; a detail that is a renda error's message is
#: translated as the CLI translates it
DETAILS: tuple[str, ...] = (
    "send Authorization: Bearer <token> (renda token issue)",
    "the bearer token is unknown, revoked or expired",
    "more than {rate} requests a minute; retry in {seconds} s",
    "the request body is larger than {limit} bytes",
    "{size} commands in one batch; at most {limit} are accepted",
    "Error",
    "Not Found",
    "Method Not Allowed",
)


def message_ids() -> list[str]:
    """The human text of problems that the catalogues hold (titles and details)."""
    return [*TITLES.values(), *DETAILS]


def translated(text: str, locale: str | None) -> str:
    """A title or detail in ``locale`` (as it is when ``locale`` is None)."""
    if locale is None:
        return text
    from renda_core import i18n
    from renda_core.cli.i18n import translate_template

    with i18n.speaking(locale):
        return translate_template(text, DETAILS)


def _body(
    kind: str, title: str, detail: str, instance: str | None, extra: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    status = STATUS.get(kind, 500)
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + kind,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance is not None:
        body["instance"] = instance
    body.update(extra)
    return status, body


def problem(
    kind: str,
    detail: str,
    *,
    instance: str | None = None,
    locale: str | None = None,
    **extra: Any,
) -> tuple[int, dict[str, Any]]:
    """The status and body of one problem of ``kind``, its title and detail in
    ``locale`` (untranslated when None)."""
    title = translated(TITLES.get(kind, "Error"), locale)
    return _body(kind, title, translated(detail, locale), instance, extra)


def field_entries(fields: Any, locale: str | None) -> list[dict[str, Any]]:
    """The ``errors`` of a problem: each field's name, message (in ``locale``) and
    pydantic's error ``type`` when there is one."""
    from renda_core import i18n
    from renda_core.cli.i18n import field_message

    entries: list[dict[str, Any]] = []
    for f in fields:
        message = str(f.get("message", ""))
        if locale is not None:
            with i18n.speaking(locale):
                message = field_message(f)
        entry: dict[str, Any] = {"field": str(f.get("field", "")), "message": message}
        if "type" in f:
            entry["type"] = str(f["type"])
        entries.append(entry)
    return entries


def from_error(
    error: RendaError, instance: str | None = None, locale: str | None = None
) -> tuple[int, dict[str, Any]]:
    """A renda error as a problem, its text in ``locale``; invalid input lists every
    field (``errors``)."""
    extra: dict[str, Any] = {}
    fields = getattr(error, "errors", None)
    if fields is not None:
        extra["errors"] = field_entries(fields, locale)
    detail = error.message
    if locale is not None:
        from renda_core import i18n
        from renda_core.cli.i18n import error_text

        with i18n.speaking(locale):
            detail = error_text(error)
    title = translated(TITLES.get(error.kind, "Error"), locale)
    return _body(error.kind, title, detail, instance, extra)
