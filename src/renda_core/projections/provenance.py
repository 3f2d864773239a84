"""Provenance of a report: which log, up to which position, under which policy.

Every report printed as JSON carries ``provenance``::

    {"report": "suggestions", "parameters": {...}, "store_id": "…",
     "position": 1234, "recorded_at": "…", "as_of": "…", "chain_head_hash": "…",
     "renda_version": "0.3.0", "policy": "national"}

``position`` is the last log position the report reflects (the log head when it was
built, or the last event recorded by its ``--as-of`` moment), ``recorded_at`` that
event's recorded time, ``as_of`` the recorded moment the report is a picture of (the
``--as-of`` moment, else the moment it was built), ``chain_head_hash`` the hash chain's
link at ``position`` (see :mod:`renda_core.application.audit.chain`).

:func:`reproduce` recomputes the report from the log as of ``as_of`` with the same
parameters and compares: the first differing key is named (``renda audit reproduce``).
Recorded time never goes backwards in the log (``audit.clock``), so the position at a
moment is found by a binary search over positions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol, cast

from renda_core.projections import asof as asof_clock
from renda_core.projections.asof import AsOf, as_of_from

if TYPE_CHECKING:  # a report read from current views imports neither (issue 15, target 4)
    from renda_core.ports.contracts import Report
    from renda_core.projections.runner import ProjectionRunner

KEY = "provenance"


class LogAccess(Protocol):
    """What a provenance reads of the log: the runner's application
    (:class:`RunnerLog`), or the log read with the standard library only
    (:class:`renda_core.projections.reader.PlainLog`)."""

    def head(self) -> int:
        """The last position of the log (0 if empty)."""
        ...

    def first_recorded(self, start: int, stop: int) -> tuple[int, datetime] | None:
        """The first event at a position from ``start`` to ``stop``: its position and
        recorded time (None if there is none)."""
        ...

    def store_id(self) -> str | None: ...

    def chain_hash(self, position: int) -> str | None:
        """The hash chain's link at ``position`` > 0 (None when there is none)."""
        ...

    def policy(self) -> str | None:
        """The name of the deadline policy in force."""
        ...


def recorded_time(mapper: Any, stored: Any) -> datetime:
    """When the stored event was recorded: its ``timestamp``, decoded from its state as
    :meth:`~eventsourcing.persistence.Mapper.to_domain_event` decodes it, without
    resolving its class (a report's provenance imports no aggregate module it does not
    read; issue 15, target 4). Undecodable bytes raise the mapper's own error."""
    state = stored.state
    try:
        if mapper.cipher:
            state = mapper.cipher.decrypt(state)
        if mapper.compressor:
            state = mapper.compressor.decompress(state)
        stamp: datetime = mapper.transcoder.decode(state)["timestamp"]
    except Exception as exc:
        from eventsourcing.persistence import MapperDeserialisationError

        msg = (
            f"Failed to deserialise state of stored event with topic '{stored.topic}', "
            f"originator_id '{stored.originator_id}' and originator_version "
            f"{stored.originator_version}: {exc}"
        )
        raise MapperDeserialisationError(msg) from exc
    return stamp


class RunnerLog:
    """The log as the runner's application reads it (every store, every case)."""

    def __init__(self, runner: ProjectionRunner) -> None:
        self.runner = runner

    def head(self) -> int:
        from renda_core.application.base import store_errors

        with store_errors("cannot read the event log"):
            return self.runner.app.recorder.max_notification_id() or 0

    def first_recorded(self, start: int, stop: int) -> tuple[int, datetime] | None:
        from renda_core.application.base import store_errors

        app = self.runner.app
        with store_errors("cannot read the event log"):
            page = app.recorder.select_notifications(start=start, limit=1, stop=stop)
            if not page:
                return None
            return page[0].id, recorded_time(app.mapper, page[0])

    def store_id(self) -> str | None:
        from renda_core.application.base import store_errors

        with store_errors("cannot read the event log"):
            store_id = getattr(self.runner.app.recorder, "store_id", None)
            return str(store_id()) if callable(store_id) else None

    def chain_hash(self, position: int) -> str | None:
        from renda_core.application.base import store_errors

        recorder: Any = self.runner.app.recorder
        sql = getattr(recorder, "chain_sql", None)
        if sql is None:
            return None
        with (
            store_errors("cannot read the hash chain"),
            recorder.audit_transaction(write=False) as c,
        ):
            c.execute(sql.q(f"SELECT hash FROM {sql.chain} WHERE position = ?"), (position,))
            row = c.fetchone()
        return None if row is None else str(row["hash"])

    def policy(self) -> str | None:
        app = self.runner.app
        name = getattr(app, "deadline_policy_name", None) or getattr(
            getattr(app, "deadline_policy", None), "name", None
        )
        return None if name is None else str(name)


def _log(source: ProjectionRunner | LogAccess) -> LogAccess:
    if hasattr(source, "first_recorded"):
        return cast("LogAccess", source)
    return RunnerLog(source)


def log_position_at(source: ProjectionRunner | LogAccess, moment: datetime) -> int:
    """The last log position recorded at or before ``moment`` (0 if none)."""
    log = _log(source)
    low, high = 0, log.head()
    while low < high:
        middle = (low + high + 1) // 2
        found = log.first_recorded(middle, high)
        if found is None:
            high = middle - 1
            continue
        position, stamp = found
        if stamp <= moment:
            low = position
        else:
            high = middle - 1
    return low


def chain_hash_at(source: ProjectionRunner | LogAccess, position: int) -> str | None:
    """The hash chain's link at ``position`` (None when the store keeps no chain)."""
    if position == 0:
        from renda_core.application.audit.chain import GENESIS

        return GENESIS
    return _log(source).chain_hash(position)


def parameters(
    as_of: AsOf | None, area: str | None, level: str | None, options: Mapping[str, Any]
) -> dict[str, Any]:
    """The parameters a report was asked with, as JSON values."""
    data: dict[str, Any] = {"area": area, "level": level, "options": dict(options)}
    data["as_of"] = as_of.label if as_of is not None else None  # as asked (None: present)
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))  # type: ignore[no-any-return]


def provenance(
    runner: ProjectionRunner | LogAccess,
    report: Report,
    *,
    as_of: AsOf | None,
    built_at: datetime,
    area: str | None = None,
    level: str | None = None,
    options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What a report of ``report`` built at ``built_at`` (as of ``as_of``) reflects;
    ``runner``: the runner whose log the report read, or the log itself."""
    import renda_core

    log = _log(runner)
    moment = as_of.moment if as_of is not None else built_at
    position = log_position_at(log, moment)
    found = log.first_recorded(position, position) if position else None
    stamp = found[1] if found is not None else None
    store = log.store_id()
    return {
        "report": report.name,
        "parameters": parameters(as_of, area, level, options or {}),
        "store_id": store,
        "position": position,
        "recorded_at": stamp.astimezone(UTC).isoformat() if stamp else None,
        "as_of": moment.astimezone(UTC).isoformat(),
        "chain_head_hash": chain_hash_at(log, position),
        "renda_version": renda_core.__version__,
        "policy": log.policy(),
    }


def first_difference(expected: Any, actual: Any, path: str = "") -> str | None:
    """The first key (``a.b[2].c``) where two JSON values differ, or None."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in list(expected) + [k for k in actual if k not in expected]:
            where = f"{path}.{key}" if path else str(key)
            if key not in expected or key not in actual:
                return where
            found = first_difference(expected[key], actual[key], where)
            if found is not None:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        for i, (a, b) in enumerate(zip(expected, actual, strict=False)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found is not None:
                return found
        if len(expected) != len(actual):
            return f"{path}[{min(len(expected), len(actual))}]"
        return None
    return None if expected == actual else (path or "(the whole report)")


def as_json(data: Any) -> Any:
    """A report's data as it is printed with ``--json`` (through JSON)."""
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def stamp_report(
    runner: ProjectionRunner | LogAccess,
    report: Report,
    data: Mapping[str, Any],
    *,
    as_of: AsOf | datetime | None,
    built_at: datetime | None = None,
    area: str | None = None,
    level: str | None = None,
    options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``data`` with its ``provenance`` added (``built_at``: default now)."""
    info = provenance(
        runner,
        report,
        as_of=as_of_from(as_of),
        built_at=built_at or asof_clock.now(),
        area=area,
        level=level,
        options=options,
    )
    return {**data, KEY: info}


CHECKED = ("store_id", "position", "chain_head_hash", "policy")
"""Provenance keys that must match for a report to be reproduced (the version of renda
may differ: it is noted, and the figures decide)."""


def reproduce(
    runner: ProjectionRunner, reports: Mapping[str, Report], document: Mapping[str, Any]
) -> dict[str, Any]:
    """Recompute a report printed with ``--json`` from its ``provenance``.

    Returns ``{"identical": bool, "first_difference": key or None, "provenance": the
    recomputed provenance, "notes": [...]}``. A document without a readable provenance,
    or of a report not registered here, is InvalidInput.
    """
    from renda_core.domain.errors import InvalidInput
    from renda_core.projections.reports import run_report

    given = document.get(KEY) if isinstance(document, Mapping) else None
    if not isinstance(given, Mapping):
        raise InvalidInput("the file has no 'provenance': print the report with --json")
    try:
        name = str(given["report"])
        params = dict(given["parameters"])
        moment = datetime.fromisoformat(str(given["as_of"]))
        if moment.tzinfo is None:
            raise ValueError("as_of has no time zone")
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(f"the provenance is not readable: {exc}") from None
    report = reports.get(name)
    if report is None:
        raise InvalidInput(f"no report '{name}' is registered here (plugins: `renda plugins`)")
    label: Any = params.get("as_of")  # None: the report was read at the present
    as_of = AsOf(moment.astimezone(UTC), label)
    options = dict(params.get("options") or {})
    data = run_report(
        runner, report, as_of=as_of, area=params.get("area"), level=params.get("level"), **options
    )
    again = provenance(
        runner,
        report,
        as_of=as_of,
        built_at=moment,
        area=params.get("area"),
        level=params.get("level"),
        options=options,
    )
    notes: list[str] = []
    if given.get("renda_version") != again["renda_version"]:
        notes.append(
            f"made by renda {given.get('renda_version')}, recomputed by {again['renda_version']}"
        )
    difference = next((f"{KEY}.{k}" for k in CHECKED if given.get(k) != again[k]), None)
    if difference is None:
        original = {k: v for k, v in document.items() if k != KEY}
        difference = first_difference(as_json(original), as_json(data))
    return {
        "identical": difference is None,
        "first_difference": difference,
        "provenance": again,
        "notes": notes,
    }
