"""What the HTTP driver reads: reports, records, the event log as CloudEvents, health.

Plain functions over the public API (no FastAPI here), so each is tested on its own.
"""

from __future__ import annotations

import json
from typing import Any

import click
from eventsourcing.application import AggregateNotFoundError

from renda_core.api.facade import RendaAPI
from renda_core.application.base import store_errors, to_uuid
from renda_core.application.readpolicy import (
    may_see_log,
    reader,
    record_disclosure,
    redact_event_row,
)
from renda_core.domain.errors import InvalidInput, NotFound, RendaError
from renda_core.domain.values import Actor
from renda_core.projections.asof import parse_as_of
from renda_core.projections.log import event_to_dict

CLOUDEVENTS_SOURCE = "urn:renda:log"

_GETTERS = {
    "Deputy": ("deputy", "get_deputy"),
    "Station": ("station", "get_station"),
    "Opinion": ("opinion", "get_opinion"),
    "Suggestion": ("suggestion", "get_suggestion"),
    "DeputyGroup": ("group", "get_group"),
    "Bulletin": ("bulletin", "get_bulletin"),
    "TrainingCourse": ("course", "get_course"),
    "CongressSession": ("session", "get_session"),
    "Meeting": ("meeting", "get_meeting"),
    "Motion": ("motion", "get_motion"),
    "Inspection": ("inspection", "get_inspection"),
    "CommitteeBody": ("body", "get_body"),
    "CommitteeMember": ("member", "get_member"),
    "Campaign": ("campaign", "get_campaign"),
}


def report(
    api: RendaAPI,
    name: str,
    *,
    as_of: str | None,
    area: str | None,
    level: str | None,
    year: int | None,
    fmt: str,
    lang: str,
    options: dict[str, str],
) -> tuple[str, str]:
    """A report's body and media type: the JSON the CLI prints with ``--json``; the
    annual report also as HTML or CSV (``fmt``)."""
    if name not in api.report_names():
        raise NotFound(f"no report named '{name}' (reports: {', '.join(api.report_names())})")
    if fmt != "json" and name != "annual":
        raise InvalidInput(
            f"report '{name}' is JSON only; format={fmt} is for the annual report",
            [{"field": "format", "message": "json"}],
        )
    moment: Any = parse_as_of(as_of, "as_of") if as_of is not None else None
    given: dict[str, Any] = {**_typed_options(api, name, options)}
    if year is not None:
        given["year"] = year
    if name == "annual" and "year" not in given:
        given["year"] = (moment.day if moment else _today()).year - 1
    data = api.report(name, as_of=moment, area=area, level=level, **given)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, default=str), "application/json"
    from renda_adapters.annual import render
    from renda_adapters.annual.build import describe_store, now_label, report_position

    shared = api._shared
    provenance = None
    if fmt == "html":
        with shared.lock:
            provenance = {
                "moment": moment.label if moment else now_label(),
                "position": report_position(shared.runner(), shared.reports(), moment),
                "store": describe_store(api._application.store),
            }
    body = render(data, fmt, lang, shared.plugins, provenance)
    media = "text/html; charset=utf-8" if fmt == "html" else "text/csv; charset=utf-8"
    return str(body), media


def _today() -> Any:
    from renda_core.projections.asof import business_today

    return business_today()


def _typed_options(api: RendaAPI, name: str, given: dict[str, str]) -> dict[str, Any]:
    """A report's own options from query strings, converted as its CLI options are."""
    report = api._shared.reports().get(name)
    params: dict[str, click.Parameter] = {
        p.name: p for p in getattr(report, "options", ()) if p.name is not None
    }
    typed: dict[str, Any] = {}
    for key, value in given.items():
        param = params.get(key)
        if param is None:
            raise InvalidInput(
                f"report '{name}' has no option '{key[:40]}'",
                [{"field": key[:40], "message": "unknown option"}],
            )
        try:
            typed[key] = param.type.convert(value, param, None)
        except click.BadParameter as exc:
            raise InvalidInput(
                f"{key}: {exc.message}", [{"field": key, "message": exc.message}]
            ) from None
    return typed


def record(
    api: RendaAPI, record_id: str, actor: Actor | None = None, reason: str | None = None
) -> dict[str, Any]:
    """A record as it is now: ``{"kind", "id", "version", "state"}``; the state as the
    read policy lets ``actor`` see it (a record of a kind without a ``show``: no
    state)."""
    uid = to_uuid(record_id, "record")
    application = api._application
    try:
        with store_errors("cannot load"):
            aggregate: Any = application.repository.get(uid)
    except AggregateNotFoundError:
        raise NotFound(f"no record with id {uid}") from None
    kind = type(aggregate).__name__
    state: dict[str, Any] | None = None
    if kind in _GETTERS:
        getter = getattr(api, _GETTERS[kind][1])
        state = getter(str(uid), actor=actor, reason=reason).model_dump(mode="json")
    return {"kind": kind, "id": str(uid), "version": aggregate.version, "state": state}


def cloud_event(position: int, event: Any, redacted: bool = False) -> dict[str, Any]:
    """One event of the log as a CloudEvents 1.0 JSON object; ``sequence`` is its
    position in the log (the ``since`` of the next request); ``redacted``: personal
    fields replaced (the read policy)."""
    row = event_to_dict(position, event)
    if redacted:
        row = redact_event_row(row)
    topic = str(row["topic"])
    return {
        "specversion": "1.0",
        "id": f"{row['aggregate_id']}/{row['version']}",
        "source": CLOUDEVENTS_SOURCE,
        "type": topic.replace(":", ".", 1),
        "subject": row["aggregate_id"],
        "time": row["recorded_at"],
        "datacontenttype": "application/json",
        "sequence": str(position),
        "data": {
            "position": position,
            "topic": topic,
            "record_id": row["aggregate_id"],
            "version": row["version"],
            "actor": row["actor"],
            "data": row["data"],
        },
    }


def log_reveal(api: RendaAPI, actor: Actor | None, reason: str | None) -> bool:
    """The read policy for the log (``events.list``): Forbidden for a role that may not
    read it; whether personal fields show (an auditor's reason is recorded first)."""
    if actor is None:
        return True
    who = reader(actor, reason)
    reveal = may_see_log(who, "events.list")
    if who.reason is not None and who.kind == "auditor":
        record_disclosure(api._application, "events.list", ["log"], who.reason, actor)
    return reveal


def events_page(
    api: RendaAPI,
    since: int,
    limit: int,
    actor: Actor | None = None,
    reason: str | None = None,
    reveal: bool | None = None,
) -> dict[str, Any]:
    """Events after position ``since`` (at most ``limit``), oldest first, as the read
    policy lets ``actor`` see them (``reveal``: decided already)."""
    if reveal is None:
        reveal = log_reveal(api, actor, reason)
    application = api._application
    with store_errors("cannot read the event log"):
        notifications = application.recorder.select_notifications(
            start=since, limit=limit, inclusive_of_start=False
        )
        items = [
            cloud_event(n.id, application.mapper.to_domain_event(n), not reveal)
            for n in notifications
        ]
    last = int(items[-1]["sequence"]) if items else since
    return {"items": items, "next_since": last, "more": len(items) == limit}


def health(api: RendaAPI) -> dict[str, Any]:
    """The store reachable? The head of the log and each projection's lag."""
    try:
        with api._shared.lock:
            statuses = api._shared.runner().status()
        head = statuses[0].head if statuses else api._shared.runner().head()
    except RendaError as error:
        return {"status": "unavailable", "store": "unreachable", "error": error.message}
    return {
        "status": "ok",
        "store": "reachable",
        "head": head,
        "projections": {
            s.name: {"position": s.position, "lag": s.lag, "error": s.error} for s in statuses
        },
    }
