"""Administrative divisions (行政区划): ``renda area import FILE.csv`` as events.

An import is atomic: every row is validated first (with its line number), then every
new or changed division is saved in one write. Re-importing the same file records
nothing.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from pydantic import Field, TypeAdapter, ValidationError, field_validator

from renda_core.application.base import RendaBase
from renda_core.application.commands import (
    AreaCode,
    BusinessDate,
    Command,
    Text,
    accepts_labels,
    check_area_prefix,
    command,
)
from renda_core.application.field_errors import field_error
from renda_core.domain.division import (
    Division,
    DivisionKind,
    check_parent,
    kind_of_code,
    parent_codes,
)
from renda_core.domain.errors import InvalidInput, NotFound, RuleViolated
from renda_core.domain.values import Actor, is_village_code

STAFF = {"staff"}
COLUMNS = ("code", "name", "parent_code", "kind")
#: a list of codes and names (民政部's) is enough: the parent and the kind are told by
#: the code when left out (``kind_of_code``, ``parent_codes``)
REQUIRED_COLUMNS = ("code", "name")
MAX_REPORTED = 50

DivisionKindField = Annotated[DivisionKind, accepts_labels(DivisionKind)]


class DivisionRow(Command):
    """One row of a division file."""

    code: AreaCode
    name: Text
    parent_code: AreaCode | None = Field(
        default=None, description="empty: the nearest division its code names (parent_codes)"
    )
    kind: DivisionKindField | None = Field(
        default=None, description="empty: the kind its code names (kind_of_code)"
    )
    line: int | None = Field(default=None, description="line in the source file")

    @field_validator("kind", mode="before")
    @classmethod
    def _empty_kind(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    _codes = field_validator("code", "parent_code")(check_area_prefix)

    @field_validator("parent_code", mode="before")
    @classmethod
    def _empty_parent(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


class ImportDivisions(Command):
    """Import administrative divisions (code, name, parent_code, kind)."""

    rows: list[dict[str, Any]]
    date: BusinessDate = Field(description="business date of the import")


_ROW = TypeAdapter(DivisionRow)


def read_division_csv(data: bytes | str) -> list[dict[str, Any]]:
    """Rows of a UTF-8 CSV file (with or without BOM), each with its ``line``."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"the file is not UTF-8 (byte {exc.start}): save it as UTF-8 CSV",
                [{"field": "file", "message": "not UTF-8"}],
            ) from None
    else:
        text = data.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InvalidInput(
            "the file is empty", [{"field": "file", "message": "no header"}]
        ) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            f"line 1: the header lacks column(s) {', '.join(missing)} "
            f"(expected {', '.join(REQUIRED_COLUMNS)} or 区划代码, 名称; "
            "optionally parent_code, kind or 上级代码, 类型)",
            [{"field": "line 1", "message": f"missing column {c}"} for c in missing],
        )
    rows: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append(
                {
                    "field": f"line {line}",
                    "message": f"{len(values)} fields, the header has {len(header)}",
                }
            )
            continue
        row = dict(zip(header, values, strict=True))
        rows.append({**{c: row.get(c, "") for c in COLUMNS}, "line": line})
    if errors:
        raise _bad_rows(errors)
    return rows


def _with_parent(
    row: DivisionRow, in_file: dict[str, DivisionRow], existing: dict[str, Division]
) -> DivisionRow:
    """``row`` with the parent its code names when it gives none and is no province:
    the nearest of :func:`parent_codes` in the file or recorded, else the nearest (then
    refused: "division 220100 is neither in the file nor recorded")."""
    if row.parent_code is not None or row.kind is DivisionKind.PROVINCE:
        return row
    candidates = _parents(row)
    for code in candidates:
        if code in in_file or code in existing:
            return row.model_copy(update={"parent_code": code})
    return row.model_copy(update={"parent_code": candidates[0]}) if candidates else row


def _parents(row: DivisionRow) -> tuple[str, ...]:
    return parent_codes(row.code, row.kind) if row.kind is not None else ()


def _line_of(error: dict[str, Any]) -> int:
    digits = error["field"].removeprefix("line ").split(".")[0]
    return int(digits) if digits.isdigit() else 0


#: how many bad rows the one-line message names (the error lists up to MAX_REPORTED)
SUMMARIZED = 5


def _bad_rows(errors: list[dict[str, Any]]) -> InvalidInput:
    errors = sorted(errors, key=_line_of)
    shown = errors[:MAX_REPORTED]
    count, listed = len(errors), min(len(errors), SUMMARIZED)
    rows = len({_line_of(e) for e in errors})  # a row may have several errors
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in shown[:listed])
    # whole sentences (none with an empty part), so that a catalogue translates each;
    # given as msgid and params: a driver shows the summary's rows (the first ``listed``
    # of the errors) each in its own language
    if count == rows and count == listed:
        msgid = "{count} bad row(s), nothing was recorded — {summary}"
    elif count == rows:
        msgid = "{count} bad row(s), nothing was recorded; the first {listed}: {summary}"
    elif count == listed:
        msgid = "{count} error(s) in {rows} bad row(s), nothing was recorded — {summary}"
    else:
        msgid = (
            "{count} error(s) in {rows} bad row(s), nothing was recorded; "
            "the first {listed}: {summary}"
        )
    params = {"count": count, "rows": rows, "listed": listed, "summary": summary}
    return InvalidInput(msgid.format(**params), shown, msgid=msgid, params=params)


class AreaCommands(RendaBase):
    """The administrative-division part of the application."""

    @command("area.import", ImportDivisions, STAFF)
    def import_divisions(self, cmd: ImportDivisions, actor: Actor) -> dict[str, int]:
        """Import divisions atomically; returns counts of recorded/corrected/unchanged
        (and ``villages``: the village-level rows of a statistical list, left out)."""
        rows, errors, villages = self._validate_rows(cmd.rows)
        existing = self._existing_divisions(
            {r.code for r in rows}
            | {r.parent_code for r in rows if r.parent_code}
            | {c for r in rows if r.parent_code is None for c in _parents(r)}
        )
        in_file = {r.code: r for r in rows}
        rows = [_with_parent(r, in_file, existing) for r in rows]
        in_file = {r.code: r for r in rows}
        for row in rows:
            where = f"line {row.line}"
            parent_kind: str | None = None
            if row.parent_code is not None:
                parent_row = in_file.get(row.parent_code)
                parent = existing.get(row.parent_code)
                if parent_row is not None and parent_row.kind is not None:
                    parent_kind = parent_row.kind.value
                elif parent is not None:
                    parent_kind = parent.kind
                else:
                    errors.append(
                        {
                            "field": f"{where}.parent_code",
                            "message": f"division {row.parent_code} is neither in the file "
                            "nor recorded",
                        }
                    )
                    continue
            try:
                assert row.kind is not None  # told by _validate_rows
                check_parent(row.kind.value, parent_kind, row.code)
            except RuleViolated as exc:
                errors.append({"field": where, "message": exc.message})
        if errors:
            raise _bad_rows(errors)
        changed: list[Division] = []
        counts = {"recorded": 0, "corrected": 0, "unchanged": 0}
        for row in rows:
            assert row.kind is not None  # told by _validate_rows
            division = existing.get(row.code)
            if division is None:
                changed.append(
                    Division.record(
                        code=row.code,
                        name=row.name,
                        kind=row.kind,
                        parent_code=row.parent_code,
                        on=cmd.date,
                        actor=actor,
                    )
                )
                counts["recorded"] += 1
                continue
            changes = division.changes_from(
                name=row.name, kind=row.kind, parent_code=row.parent_code
            )
            if changes:
                division.correct(changes, on=cmd.date, actor=actor)
                changed.append(division)
                counts["corrected"] += 1
            else:
                counts["unchanged"] += 1
        if changed:
            self._save(*changed)
        result = {**counts, "rows": len(rows)}
        if villages:  # the statistics bureau's list: its village-level rows, not recorded
            result["villages"] = villages
        return result

    def _validate_rows(
        self, raw: list[dict[str, Any]]
    ) -> tuple[list[DivisionRow], list[dict[str, Any]], int]:
        """The rows, each with its kind; the errors; and how many rows were of a
        village-level unit with no kind given (the statistics bureau's list has one per
        村民委员会 and 居民委员会: below the townships and streets renda records, they are
        counted and left out, not refused one by one)."""
        rows: list[DivisionRow] = []
        errors: list[dict[str, Any]] = []
        villages = 0
        seen: dict[str, int] = {}
        for index, data in enumerate(raw):
            line = data.get("line") or index + 2
            try:
                row = _ROW.validate_python({**data, "line": line})
            except ValidationError as exc:
                for err in exc.errors():
                    field = ".".join(str(p) for p in err["loc"])
                    errors.append(field_error(f"line {line}.{field}", err))
                continue
            assert row.line is not None
            if row.kind is None and is_village_code(row.code):
                villages += 1
                continue
            if row.kind is None:
                told = kind_of_code(row.code, row.name)
                if told is None:
                    errors.append(
                        {
                            "field": f"line {line}.kind",
                            "message": (
                                f"the code {row.code} does not tell the kind: fill in the kind"
                            ),
                        }
                    )
                    continue
                row = row.model_copy(update={"kind": told})
            if row.code in seen:
                errors.append(
                    {
                        "field": f"line {line}.code",
                        "message": f"division {row.code} is already on line {seen[row.code]}",
                    }
                )
                continue
            seen[row.code] = line
            rows.append(row)
        return rows, errors, villages

    def _existing_divisions(self, codes: set[str]) -> dict[str, Division]:
        """The divisions of these codes that are recorded (or made in this batch).

        Which ids the store holds is asked in one statement (one round trip on
        PostgreSQL, where a lookup a code was one each: 370 for the demo's province,
        all of them missing); only those, and those the open batch made, are loaded."""
        ids = {code: Division.create_id(code) for code in codes}
        stored = self.existing_aggregates(list(ids.values())) if ids else set()
        batch = self._batch
        made: set[UUID] = set() if batch is None else set(batch.aggregates)
        found: dict[str, Division] = {}
        for code in sorted(codes):
            if ids[code] not in stored and ids[code] not in made:
                continue
            try:
                division = self._get(ids[code])
            except AggregateNotFoundError:
                continue
            if isinstance(division, Division):
                found[code] = division
        return found

    # -- queries ----------------------------------------------------------------

    def get_division(self, code: str) -> Division:
        try:
            return self._load(Division, Division.create_id(code), f"division {code}")
        except NotFound:
            raise NotFound(f"no division with code {code} is recorded") from None

    def division(self, code: str) -> dict[str, Any]:
        return self.get_division(code).to_dict()
