"""Streaming exports of the event log, in constant memory.

- :func:`events_feed`: the log as a feed for another system (``renda events export``):
  each event a CloudEvent (structured JSON mode) or a renda JSON line, read page by
  page through ``select_notifications``, optionally following the log as it grows.
- :func:`write_audit_export` / :func:`verify_export`: the auditors' export
  (``renda audit export`` / ``renda audit verify --export``): the stored events of a
  range with their links in the hash chain, in JSON lines, CSV or XLSX, and a manifest
  beside the file that lets the chain, the file's SHA-256 and the seals be checked
  offline, without the store. The chain is recomputed with
  :mod:`renda_core.application.audit.chain` (the same functions the recorders use).

See ``docs/integration.md`` and ``docs/audit.md``.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol
from uuid import UUID

from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from eventsourcing.persistence import Notification

from renda_core import __version__
from renda_core.application.app import Renda, store_errors, to_uuid
from renda_core.application.audit.chain import (
    PAGE,
    event_digest,
    head,
    link_hash,
    originator_text,
)
from renda_core.application.audit.keys import key_id
from renda_core.application.audit.verify import (
    AuditRecorder,
    Seal,
    ensure_chained,
    link_before,
    stored_seals,
)
from renda_core.application.inputs import escape_controls, shown
from renda_core.application.outage import OutagePauses, Unavailable
from renda_core.application.readpolicy import redact_event_row
from renda_core.domain.errors import (
    InvalidInput,
    LogAltered,
    NotFound,
    RuleViolated,
    StoreUnavailable,
)
from renda_core.projections.log import event_to_dict, iter_notifications, plain

# ---------------------------------------------------------------------------------------
# The feed: CloudEvents or JSON lines


_JSON = JSONFormat()


def source_of(store_id: str) -> str:
    """The CloudEvents ``source`` of a store: a URN naming its id."""
    return f"urn:renda:store:{store_id}"


def event_id(aggregate_id: object, version: int) -> str:
    """A stable CloudEvents ``id``: the record's id and the event's version in it
    (unique within one store, the same on every export)."""
    return f"{aggregate_id}/{version}"


def cloud_event_dict(
    store_id: str, position: int, event: Any, *, redacted: bool = False
) -> dict[str, Any]:
    """One event as the attributes and data of a CloudEvent (spec 1.0); ``redacted``:
    personal fields of the data replaced (the read policy)."""
    row = event_to_dict(position, event)
    if redacted:
        row = redact_event_row(row)
    attributes: dict[str, Any] = {
        "specversion": "1.0",
        "id": event_id(row["aggregate_id"], row["version"]),
        "source": source_of(store_id),
        "type": row["topic"],
        "subject": row["aggregate_id"],
        "time": row["recorded_at"],
        "datacontenttype": "application/json",
        "rendaposition": position,
    }
    actor = row["actor"]
    if isinstance(actor, dict):
        attributes["rendaactor"] = str(actor.get("id", ""))
        attributes["rendarole"] = str(actor.get("role", ""))
    on = getattr(event, "on", None)
    if on is not None:
        attributes["rendaon"] = plain(on)
    return {**attributes, "data": row["data"]}


def cloud_event_json(store_id: str, position: int, event: Any, *, redacted: bool = False) -> str:
    """One event as a CloudEvent in structured JSON mode, on one line (the SDK's
    encoding)."""
    attributes = cloud_event_dict(store_id, position, event, redacted=redacted)
    data = attributes.pop("data")
    attributes["time"] = datetime.fromisoformat(attributes["time"])
    return _JSON.write(CloudEvent(attributes, data)).decode("utf-8")


def jsonl_line(position: int, event: Any, *, redacted: bool = False) -> str:
    """One event as renda's JSON line (the shape of ``renda events list --json``)."""
    row = event_to_dict(position, event)
    return json.dumps(redact_event_row(row) if redacted else row, ensure_ascii=False)


def events_feed(
    app: Renda,
    since: int,
    fmt: str,
    *,
    follow: bool = False,
    poll: float = 1.0,
    stop: threading.Event | None = None,
    redacted: bool = False,
    unavailable: Unavailable | None = None,
) -> Iterator[str]:
    """The log after position ``since`` as lines (without newline), page by page;
    ``redacted``: personal fields replaced (the read policy).

    With ``follow``, polls for new events every ``poll`` seconds until ``stop`` is set;
    the stop is checked between events, so a line is never cut. A poll the store cannot
    serve (:class:`StoreUnavailable`) does not end a follow: ``unavailable(error,
    pause)`` is told, and the log is read again from the last line given after a pause
    doubling from ``poll`` (:class:`~renda_core.application.outage.OutagePauses`), so
    no line is lost or given twice. Without ``follow`` the error is raised.
    """
    stop = stop or threading.Event()
    store_id = _store_id(app)
    last = since
    pauses = OutagePauses(poll)
    while not stop.is_set():
        try:
            for position, event in iter_notifications(app, last):
                last = position
                yield (
                    cloud_event_json(store_id, position, event, redacted=redacted)
                    if fmt == "cloudevents"
                    else jsonl_line(position, event, redacted=redacted)
                )
                if stop.is_set():
                    return
        except StoreUnavailable as error:
            if not follow:
                raise
            pause = pauses.next()
            if unavailable is not None:
                unavailable(error, pause)
            stop.wait(pause)
            continue
        pauses.reset()
        if not follow:
            return
        stop.wait(poll)


def _store_id(app: Renda) -> str:
    recorder: Any = app.recorder
    with store_errors("cannot read the store's id"):
        return str(recorder.store_id())


# ---------------------------------------------------------------------------------------
# The auditors' export

EXPORT_FORMAT = "renda-audit-export-1"
FORMATS = ("jsonl", "csv", "xlsx")
COLUMNS = (
    "position",
    "prev_position",
    "originator_id",
    "version",
    "topic",
    "state",
    "digest",
    "hash",
    "recorded_at",
    "actor",
    "role",
    "on",
    "data",
)
"""The columns of an export. ``originator_id``, ``version``, ``topic`` and ``state``
(base64 of the stored bytes: encrypted when a cipher is on) are what the chain hashes,
as the recorders hash them; ``recorded_at`` … ``data`` are the decoded event, for
reading. A row of another record (``--aggregate``) carries only its link."""


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


class RowWriter(Protocol):
    def write(self, row: dict[str, Any]) -> None: ...
    def close(self) -> None: ...


class _JsonlWriter:
    def __init__(self, path: Path) -> None:
        self.file: IO[str] = path.open("w", encoding="utf-8", newline="\n")

    def write(self, row: dict[str, Any]) -> None:
        self.file.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")

    def close(self) -> None:
        self.file.close()


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return escape_controls(str(value))


class _CsvWriter:
    def __init__(self, path: Path) -> None:
        self.file: IO[str] = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.file)
        self.writer.writerow(COLUMNS)

    def write(self, row: dict[str, Any]) -> None:
        self.writer.writerow(["" if row[c] is None else _cell(row[c]) for c in COLUMNS])

    def close(self) -> None:
        self.file.close()


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a declared dependency
        raise RuleViolated(
            "the xlsx format needs the openpyxl package (pip install openpyxl); "
            "use --format jsonl or csv"
        ) from None
    return openpyxl


class _XlsxWriter:
    """openpyxl's write-only mode: rows go to a temporary file as they come."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book = _openpyxl().Workbook(write_only=True)
        self.sheet = self.book.create_sheet("events")
        self.sheet.append(list(COLUMNS))

    def write(self, row: dict[str, Any]) -> None:
        self.sheet.append([_cell(row[c]) for c in COLUMNS])

    def close(self) -> None:
        self.book.save(self.path)


def _writer(fmt: str, path: Path) -> RowWriter:
    if fmt == "jsonl":
        return _JsonlWriter(path)
    if fmt == "csv":
        return _CsvWriter(path)
    return _XlsxWriter(path)


@dataclass
class ExportSummary:
    """The manifest of an export (what ``FILE.manifest.json`` holds)."""

    file: str
    file_format: str
    store_id: str
    range_from: int
    range_to: int
    aggregate: str | None
    start: tuple[int, str]
    rows: int = 0
    events: int = 0
    first_position: int | None = None
    last_position: int | None = None
    end: tuple[int, str] | None = None
    seals: list[dict[str, Any]] = field(default_factory=list)
    sha256: str = ""
    exported_at: str = ""
    exported_by: str = ""
    redacted: bool = False
    withheld: int = 0

    def to_dict(self) -> dict[str, Any]:
        end = self.end or self.start
        redaction = (
            {
                "redacted": True,
                "withheld_states": self.withheld,
                "redaction": "personal fields replaced by [已隐藏]; the stored state of "
                "those events withheld (kept when encrypted); their digest links them",
            }
            if self.redacted
            else {}
        )
        return {
            **redaction,
            "format": EXPORT_FORMAT,
            "file": self.file,
            "file_format": self.file_format,
            "sha256": self.sha256,
            "store_id": self.store_id,
            "from": self.range_from,
            "to": self.range_to,
            "aggregate": self.aggregate,
            "rows": self.rows,
            "events": self.events,
            "links_only": self.rows - self.events,
            "first_position": self.first_position,
            "last_position": self.last_position,
            "start": {"position": self.start[0], "hash": self.start[1]},
            "end": {"position": end[0], "hash": end[1]},
            "seals": self.seals,
            "exported_at": self.exported_at,
            "exported_by": self.exported_by,
            "renda_version": __version__,
        }


def _audit_page(recorder: AuditRecorder, after: int) -> list[Any]:
    sql = recorder.chain_sql
    with recorder.audit_transaction(write=False) as curs:
        curs.execute(sql.audit_rows, (after, after, PAGE))
        return list(curs.fetchall())


def _readable(app: Renda, row: Any) -> dict[str, Any]:
    originator = row["originator_id"]
    uid = originator if isinstance(originator, UUID) else UUID(str(originator))
    event = app.mapper.to_domain_event(
        Notification(
            id=int(row["position"]),
            originator_id=uid,
            originator_version=int(row["originator_version"]),
            topic=str(row["topic"]),
            state=bytes(row["state"]),
        )
    )
    shown_row = event_to_dict(int(row["position"]), event)
    actor = shown_row["actor"] if isinstance(shown_row["actor"], dict) else {}
    on = getattr(event, "on", None)
    return {
        "recorded_at": shown_row["recorded_at"],
        "actor": actor.get("id"),
        "role": actor.get("role"),
        "on": plain(on) if on is not None else None,
        "data": shown_row["data"],
    }


def audit_rows(
    app: Renda, start: int, stop: int, aggregate: UUID | None, redacted: bool = False
) -> Iterator[dict[str, Any]]:
    """The export rows of positions ``start``..``stop``, checking each link as it goes
    (an export never certifies an altered chain).

    ``redacted`` (the read policy): an event with personal fields has them replaced in
    ``data`` and its stored ``state`` withheld (``None``) unless the store is encrypted
    (then the ciphertext stays); its ``digest`` still links it into the chain."""
    recorder: Any = app.recorder
    encrypted = getattr(app.mapper, "cipher", None) is not None
    prev_position, prev_hash = link_before(recorder, start)
    wanted = aggregate.hex if aggregate is not None else None
    after = start - 1
    while True:
        with store_errors("cannot read the event log"):
            page = _audit_page(recorder, after)
        for row in page:
            p = int(row["position"])
            if p > stop:
                return
            if row["hash"] is None or row["topic"] is None:
                raise LogAltered(
                    f"the log was altered at position {p}; nothing was exported. "
                    "Run `renda audit verify`"
                )
            state = bytes(row["state"])
            originator = originator_text(row["originator_id"])
            version = int(row["originator_version"])
            digest = event_digest(originator, version, str(row["topic"]), state)
            value = link_hash(p, prev_position, digest, prev_hash)
            if (
                int(row["prev_position"]) != prev_position
                or digest != row["digest"]
                or value != row["hash"]
            ):
                raise LogAltered(
                    f"the log was altered at position {p}; nothing was exported. "
                    "Run `renda audit verify`"
                )
            out: dict[str, Any] = dict.fromkeys(COLUMNS)
            out.update(position=p, prev_position=prev_position, digest=digest, hash=value)
            if wanted is None or originator == wanted:
                out.update(
                    originator_id=originator,
                    version=version,
                    topic=str(row["topic"]),
                    state=base64.b64encode(state).decode("ascii"),
                )
                with store_errors("cannot decode the event log"):
                    out.update(_readable(app, row))
                if redacted:
                    data = redact_event_row(out)["data"]
                    if data != out["data"]:
                        out["data"] = data
                        out["state"] = out["state"] if encrypted else None
            yield out
            prev_position, prev_hash = p, value
        if len(page) < PAGE:
            return
        after = int(page[-1]["position"])


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _export_target(app: Renda, aggregate: str | None) -> UUID | None:
    """The record an export is narrowed to (None: every record), after checking that
    the store has its hash chain and that the record exists."""
    recorder: Any = app.recorder
    wanted = to_uuid(aggregate, "aggregate") if aggregate is not None else None
    with store_errors("cannot export the log"):
        if not recorder.chain_exists():
            raise RuleViolated(
                "this store has no hash chain yet (read-only, written before the chain): "
                "open it writable or run `renda audit verify` first"
            )
        if wanted is not None and not recorder.select_originator(wanted):
            raise NotFound(f"no record with id {wanted}")
    return wanted


def _export_stop(start: int, stop: int | None, last: int) -> int:
    """The last position exported: ``stop`` within the log's ``last``; an error for a
    range with nothing in it."""
    stop = last if stop is None else min(stop, last)
    if stop < start:
        raise InvalidInput(
            f"nothing to export: positions {start}–{stop} (the log ends at {last})",
            [{"field": "to", "message": "before --from"}],
        )
    return stop


def check_audit_export(
    app: Renda, *, start: int = 1, stop: int | None = None, aggregate: str | None = None
) -> None:
    """Raise what :func:`write_audit_export` would raise before writing a row — a bad
    or unknown record id, a store without its hash chain, a range past the log's end —
    without writing anything, so that a driver can refuse the export before it records
    an auditor's disclosure (bad input records nothing)."""
    _export_target(app, aggregate)
    with store_errors("cannot export the log"):
        last = app.recorder.max_notification_id() or 0
    _export_stop(start, stop, last)


def write_audit_export(
    app: Renda,
    path: Path,
    fmt: str,
    *,
    start: int = 1,
    stop: int | None = None,
    aggregate: str | None = None,
    actor: str = "",
    redacted: bool = False,
) -> ExportSummary:
    """Write the export of positions ``start``..``stop`` (default: the chain's head) to
    ``path`` and its manifest beside it. On any error the file is removed.

    ``redacted``: personal fields replaced, their events' state withheld (see
    :func:`audit_rows`); the manifest says so and counts the rows withheld."""
    recorder: Any = app.recorder
    wanted = _export_target(app, aggregate)
    with store_errors("cannot export the log"):
        if not app.store.read_only:
            ensure_chained(recorder)
        with recorder.audit_transaction(write=False) as curs:
            top = head(curs, recorder.chain_sql)
        store_id = recorder.store_id()
        seals = stored_seals(recorder)
    last = top[0] if top else 0
    stop = _export_stop(start, stop, last)
    summary = ExportSummary(
        file=path.name,
        file_format=fmt,
        store_id=store_id,
        range_from=start,
        range_to=stop,
        aggregate=str(wanted) if wanted else None,
        start=link_before(recorder, start),
        exported_at=datetime.now(UTC).isoformat(timespec="seconds"),
        exported_by=actor,
        redacted=redacted,
    )
    try:
        writer = _writer(fmt, path)
    except OSError as exc:
        raise InvalidInput(
            f"cannot write {shown(str(path))}: {exc.strerror or exc}",
            [{"field": "output", "message": "not writable"}],
        ) from None
    try:
        for row in audit_rows(app, start, stop, wanted, redacted):
            writer.write(row)
            summary.withheld += row["topic"] is not None and row["state"] is None
            summary.rows += 1
            summary.events += row["topic"] is not None
            summary.first_position = summary.first_position or row["position"]
            summary.last_position = row["position"]
            summary.end = (row["position"], row["hash"])
        writer.close()
    except BaseException as exc:
        with suppress(OSError):
            writer.close()
        path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InvalidInput(
                f"cannot write {shown(str(path))}: {exc.strerror or exc}",
                [{"field": "output", "message": "not writable"}],
            ) from None
        raise
    low = summary.start[0] if summary.start[0] else start
    summary.seals = [
        s.to_dict() for s in seals if low <= s.position <= (summary.last_position or 0)
    ]
    summary.sha256 = file_sha256(path)
    text = json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n"
    manifest_path(path).write_text(text, encoding="utf-8")
    return summary


# ---------------------------------------------------------------------------------------
# Offline verification of an export


@dataclass
class ExportCheck:
    """What ``verify --export`` found."""

    rows: int = 0
    events: int = 0
    first: int | None = None
    last: int | None = None
    head_hash: str | None = None
    sha256_ok: bool = False
    seals: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "events": self.events,
            "first": self.first,
            "last": self.last,
            "head_hash": self.head_hash,
            "sha256_ok": self.sha256_ok,
            "seals": self.seals,
            "notes": self.notes,
            "problem": self.problem,
        }


class _Bad(Exception):
    pass


def read_manifest(path: Path) -> dict[str, Any]:
    where = manifest_path(path)
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise InvalidInput(
            f"cannot read the manifest {shown(str(where))}: "
            f"{getattr(exc, 'strerror', None) or exc}",
            [{"field": "export", "message": "no readable manifest beside the file"}],
        ) from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise InvalidInput(
            f"{shown(str(where))} is not the manifest of a renda audit export",
            [{"field": "export", "message": "not a renda export manifest"}],
        )
    return data


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("not a number")
    return int(value)


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


READABLE = ("recorded_at", "actor", "role", "on", "data")


def _parsed(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "readable": {k: raw.get(k) for k in READABLE},
        "position": _int(raw.get("position")),
        "prev_position": _int(raw.get("prev_position")),
        "originator_id": _text(raw.get("originator_id")),
        "version": _int(raw.get("version")),
        "topic": _text(raw.get("topic")),
        "state": _text(raw.get("state")),
        "digest": _text(raw.get("digest")),
        "hash": _text(raw.get("hash")),
    }


def _read_rows(path: Path, fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line or sheet row number, parsed row), streaming."""
    if fmt == "jsonl":
        with path.open(encoding="utf-8", newline="\n") as f:
            for n, line in enumerate(f, 1):
                value = json.loads(line)
                if not isinstance(value, dict):
                    raise ValueError("not an object")
                yield n, _parsed(value)
    elif fmt == "csv":
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header is None or tuple(header) != COLUMNS:
                raise ValueError("the header is not an export's")
            for n, values in enumerate(reader, 2):
                yield n, _parsed(dict(zip(COLUMNS, values, strict=True)))
    else:
        book = _openpyxl().load_workbook(path, read_only=True)
        try:
            rows = book["events"].iter_rows(values_only=True)
            header = next(rows, None)
            if header is None or tuple(header) != COLUMNS:
                raise ValueError("the header is not an export's")
            for n, values in enumerate(rows, 2):
                yield n, _parsed(dict(zip(COLUMNS, values, strict=True)))
        finally:
            book.close()


class _Decoder:
    """Decodes exported states with renda's own mapper (an in-memory application: no
    store), to check that the readable columns say what the hashed state says."""

    def __init__(self, result: ExportCheck) -> None:
        self.result = result
        self.app: Renda | None = None
        self.off = False

    def close(self) -> None:
        if self.app is not None:
            self.app.close()

    def expected(
        self, row: dict[str, Any], state: bytes, fmt: str, redacted: bool = False
    ) -> dict[str, Any] | None:
        if self.off:
            return None
        try:
            if self.app is None:
                self.app = Renda(":memory:")
            shown_row = _readable(
                self.app,
                {
                    "position": row["position"],
                    "originator_id": row["originator_id"],
                    "originator_version": row["version"],
                    "topic": row["topic"],
                    "state": state,
                },
            )
        except Exception as exc:  # encrypted without the key, a topic unknown here, …
            self.off = True
            self.result.notes.append(
                "the readable columns (recorded_at … data) were not checked against the "
                f"hashed state: it cannot be decoded here ({type(exc).__name__}; an "
                "encrypted store needs RENDA_CIPHER_KEY); the file's SHA-256 covers them"
            )
            return None
        if redacted:
            shown_row["data"] = redact_event_row({**shown_row, "topic": row["topic"]})["data"]
        if fmt == "jsonl":
            return shown_row
        if fmt == "csv":
            return {k: "" if v is None else str(_cell(v)) for k, v in shown_row.items()}
        return {k: _cell(v) for k, v in shown_row.items()}


def _same_readable(found: dict[str, Any], expected: dict[str, Any], fmt: str) -> bool:
    if fmt == "csv":
        found = {k: "" if v is None else str(v) for k, v in found.items()}
    return found == expected


def verify_export(path: Path, trusted: list[Any], extra_seals: Sequence[Seal] = ()) -> ExportCheck:
    """Check an export offline: the file's SHA-256 against its manifest, the chain
    recomputed over its rows from the manifest's start link to its end link, and
    every seal in the manifest or in ``extra_seals`` (seal files) that falls in its
    range (signature, trusted key, the hash at its position). A path that is no file
    (empty, a folder, not there) is :class:`InvalidInput`."""
    try:
        is_file = bool(path.name) and path.is_file()
    except (OSError, ValueError):  # a NUL in it, a name too long
        is_file = False
    if not is_file:
        raise InvalidInput(
            f"{shown(str(path))!r} is not an export file",
            [{"field": "export", "message": "not a file"}],
        )
    manifest = read_manifest(path)
    result = ExportCheck()
    try:
        actual = file_sha256(path)
    except OSError as exc:
        raise InvalidInput(
            f"cannot read {shown(str(path))}: {exc.strerror or exc}",
            [{"field": "export", "message": "not readable"}],
        ) from None
    result.sha256_ok = actual == manifest.get("sha256")
    try:
        _check_export(path, manifest, trusted, extra_seals, result)
    except _Bad as bad:
        result.problem = str(bad)
    if result.problem is None and not result.sha256_ok:
        result.problem = (
            "the file's SHA-256 is not the manifest's: the file was changed after the export"
        )
    elif result.problem is not None and not result.sha256_ok:
        result.problem += " (and the file's SHA-256 is not the manifest's)"
    return result


def _check_export(
    path: Path,
    manifest: dict[str, Any],
    trusted: list[Any],
    extra_seals: Sequence[Seal],
    result: ExportCheck,
) -> None:
    try:
        fmt = str(manifest["file_format"])
        start = manifest["start"]
        prev_position, prev_hash = int(start["position"]), str(start["hash"])
        end = manifest["end"]
        last = int(end["position"])
        seals = [Seal.from_dict(s, "the manifest") for s in manifest.get("seals", [])]
        store_id = str(manifest["store_id"])
        redacted = manifest.get("redacted") is True
    except (KeyError, TypeError, ValueError, InvalidInput) as exc:
        raise _Bad(f"the manifest is incomplete ({exc})") from None
    known = {s.signature for s in seals}
    for seal in extra_seals:
        if seal.signature in known:
            continue
        if prev_position <= seal.position <= last and seal.store_id == store_id:
            seals.append(seal)
        else:
            result.notes.append(
                f"{seal.label()} is for another store or outside the export's range "
                f"({prev_position}–{last}): not checked"
            )
    if fmt not in FORMATS:
        raise _Bad(f"the manifest names an unknown file format {fmt!r}")
    trusted_ids = {key_id(k) for k in trusted}
    if not trusted_ids and seals:
        result.notes.append(
            "seal signatures were checked against the public key recorded with each seal; "
            "give --public-key (or RENDA_SEAL_PUBLIC_KEY) to check they are your keys"
        )
    pins: dict[int, list[Seal]] = {}
    for seal in seals:
        if seal.store_id != store_id:
            raise _Bad(f"{seal.label()}: it is for store {seal.store_id}, not {store_id}")
        if not seal.check_signature():
            raise _Bad(f"{seal.label()}: its signature is not valid (forged)")
        if trusted_ids and seal.key_id not in trusted_ids:
            raise _Bad(f"{seal.label()}: signed by key {seal.key_id}, which is not trusted")
        pins.setdefault(seal.position, []).append(seal)
    _check_pins(pins, prev_position, prev_hash, result)
    decoder = _Decoder(result)
    try:
        _check_rows(path, fmt, (prev_position, prev_hash), pins, decoder, result, redacted=redacted)
    finally:
        decoder.close()
    if (result.last or prev_position, result.head_hash or prev_hash) != (
        end.get("position"),
        end.get("hash"),
    ):
        raise _Bad(
            f"the export ends at position {result.last or prev_position}, the manifest at "
            f"{end.get('position')} (rows removed or added at the end, or the chain rewritten)"
        )
    if result.rows != manifest.get("rows"):
        raise _Bad(f"the export has {result.rows} rows, the manifest says {manifest.get('rows')}")
    if pins:
        seal = next(iter(pins.values()))[0]
        raise _Bad(f"{seal.label()}: its position is not in the export")


def _check_rows(
    path: Path,
    fmt: str,
    prev: tuple[int, str],
    pins: dict[int, list[Seal]],
    decoder: _Decoder,
    result: ExportCheck,
    redacted: bool = False,
) -> None:
    prev_position, prev_hash = prev
    withheld = 0
    rows = _read_rows(path, fmt)
    while True:
        try:
            item = next(rows, None)
        except (ValueError, TypeError, KeyError, UnicodeDecodeError, csv.Error) as exc:
            raise _Bad(f"row {result.rows + 1 + (fmt != 'jsonl')}: unreadable ({exc})") from None
        except Exception as exc:  # an xlsx that is no longer a zip, …: untrusted input
            raise _Bad(f"the file cannot be read as {fmt} ({exc})") from None
        if item is None:
            break
        n, row = item
        p = row["position"]
        where = f"line {n}" if fmt == "jsonl" else f"row {n}"
        if p is None or row["hash"] is None or row["digest"] is None:
            raise _Bad(f"{where}: not a row of the export")
        if row["prev_position"] != prev_position:
            raise _Bad(
                f"position {p} ({where}): its link follows position {row['prev_position']}, "
                f"the row before is {prev_position or 'the start'} (rows removed, added or moved)"
            )
        digest = row["digest"]
        if row["topic"] is not None and redacted and row["state"] is None:
            if row["originator_id"] is None or row["version"] is None:
                raise _Bad(f"position {p} ({where}): altered (fields missing)")
            withheld += 1  # redacted: only its digest (in the link below) proves it
            result.events += 1
        elif row["topic"] is not None:
            try:
                state = base64.b64decode(row["state"] or "", validate=True)
            except ValueError:
                raise _Bad(f"position {p} ({where}): altered (its state is not base64)") from None
            if row["originator_id"] is None or row["version"] is None:
                raise _Bad(f"position {p} ({where}): altered (fields missing)")
            digest = event_digest(row["originator_id"], row["version"], row["topic"], state)
            if digest != row["digest"]:
                raise _Bad(f"position {p} ({where}): altered (the event does not match its link)")
            expected = decoder.expected(row, state, fmt, redacted)
            if expected is not None and not _same_readable(row["readable"], expected, fmt):
                raise _Bad(
                    f"position {p} ({where}): altered (its readable columns do not say what "
                    "its hashed state says)"
                )
            result.events += 1
        value = link_hash(p, prev_position, digest, prev_hash)
        if value != row["hash"]:
            raise _Bad(f"position {p} ({where}): the chain was altered (its link does not follow)")
        prev_position, prev_hash = p, value
        result.rows += 1
        result.first = result.first or p
        result.last = p
        _check_pins(pins, p, value, result)
        result.head_hash = value
    if withheld:
        result.notes.append(
            f"a redacted export: {withheld} events' state was withheld (personal data); "
            "the chain and the seals are checked through their digests, but their content "
            "is not: an unredacted export (staff, or an auditor's recorded reason) checks it"
        )


def _check_pins(
    pins: dict[int, list[Seal]], position: int, value: str, result: ExportCheck
) -> None:
    for seal in pins.pop(position, []):
        if seal.hash != value:
            raise _Bad(
                f"{seal.label()}: the chain at {position} is not what was sealed "
                "(the export or the log it came from was rewritten)"
            )
        result.seals.append({"seal": seal.label(), "ok": True})
