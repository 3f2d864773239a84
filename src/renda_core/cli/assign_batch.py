"""``renda suggestion assign-batch``: the 交办会, many assignments in one transaction.

Rows come from a file (CSV with a header, or JSON lines) or from a filter (a session's
suggestions in a status, all to the same units). One ``Assigned`` event per suggestion,
all written together; any bad line and nothing is recorded, with an error naming it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any
from uuid import UUID

import click

from renda_core.cli.common import (
    InputFile,
    date_option,
    decode_utf8,
    echo,
    emit,
    env,
    json_option,
    today,
)
from renda_core.domain.errors import InvalidInput, NotFound, RuleViolated
from renda_core.domain.suggestion import Status
from renda_core.i18n import ErrorMessage
from renda_core.projections.reports import fresh_context

COLUMNS = ("suggestion", "lead_unit", "co_units", "complex")
TRUE = {"1", "true", "yes", "y", "是", "复杂"}
FALSE = {"", "0", "false", "no", "n", "否"}
UNIT_SEPARATORS = re.compile(r"[;；、|]")


def _bad(where: str, message: ErrorMessage) -> InvalidInput:
    """A bad line or row: its label and the reason, each shown in the active language."""
    return InvalidInput(
        f"{where}: {message}",
        [{"field": where, "message": message}],
        msgid="{field}: {reason}",
        params={"field": where, "reason": message},
    )


def _flag(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise _bad(where, f"complex is '{value}'; give true/false (是/否)")


def _units(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        if not all(isinstance(u, str) for u in value):
            raise _bad(where, "co_units must be a list of unit names")
        return [u.strip() for u in value if u.strip()]
    if isinstance(value, str):
        return [u.strip() for u in UNIT_SEPARATORS.split(value) if u.strip()]
    raise _bad(where, "co_units must be unit names separated by ; or 、")


def read_rows(text: str) -> list[dict[str, Any]]:
    """Rows of a CSV (header: suggestion,lead_unit[,co_units][,complex]) or JSON-lines
    text, each with ``line`` ("line N" of the file)."""
    stripped = text.lstrip("\ufeff")
    if stripped.lstrip().startswith("{"):
        return _json_lines(stripped)
    return _csv_rows(stripped)


def _json_lines(text: str) -> list[dict[str, Any]]:
    rows = []
    for number, raw in enumerate(text.splitlines(), 1):
        where = f"line {number}"
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as exc:
            reason = exc.msg  # one of field_errors.JSON_REASONS
            raise _bad(where, f"not JSON ({reason})") from None
        if not isinstance(item, dict):
            raise _bad(where, "each line is a JSON object")
        unknown = sorted(set(item) - set(COLUMNS))
        if unknown:
            fields, columns = ", ".join(unknown), ", ".join(COLUMNS)
            raise _bad(where, f"unknown field(s) {fields}; use {columns}")
        rows.append(_row(item, where))
    return rows


def _csv_rows(text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS[:2] if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        raise _bad(
            "line 1",
            f"the header needs {', '.join(COLUMNS[:2])} (and may have co_units, complex)"
            + (f"; unknown: {', '.join(unknown)}" if unknown else ""),
        )
    reader.fieldnames = header
    rows = []
    for item in reader:
        where = f"line {reader.line_num}"
        if None in item:
            raise _bad(where, "more fields than the header names")
        if not any((v or "").strip() for v in item.values()):
            continue
        rows.append(_row(item, where))
    return rows


def _row(item: dict[str, Any], where: str) -> dict[str, Any]:
    ref = item.get("suggestion")
    lead = item.get("lead_unit")
    if not isinstance(ref, str) or not ref.strip():
        raise _bad(where, "suggestion (an id or a number) is required")
    if not isinstance(lead, str) or not lead.strip():
        raise _bad(where, "lead_unit is required")
    return {
        "line": where,
        "suggestion": ref.strip(),
        "lead_unit": lead.strip(),
        "co_units": _units(item.get("co_units"), where),
        "complex": _flag(item.get("complex") or "", where),
    }


def _resolve(ctx: click.Context, rows: list[dict[str, Any]]) -> None:
    """Suggestion numbers (建议编号) become ids, through the suggestions view."""
    numbered = [r for r in rows if not _is_uuid(r["suggestion"])]
    for r in rows:
        if _is_uuid(r["suggestion"]):
            r["suggestion_id"] = r.pop("suggestion")
    if not numbered:
        return
    from renda_adapters.suggestions import VIEW

    by_number: dict[str, list[str]] = {}
    for key, doc in fresh_context(env(ctx).runner(), VIEW).entities("suggestion"):
        if doc.get("number"):
            by_number.setdefault(doc["number"], []).append(key)
    for r in numbered:
        found = by_number.get(r["suggestion"], [])
        if not found:
            raise NotFound(f"{r['line']}: no suggestion has the number {r['suggestion']}")
        if len(found) > 1:
            raise RuleViolated(
                f"{r['line']}: the number {r['suggestion']} belongs to {len(found)} "
                "suggestions; give the id"
            )
        r["suggestion_id"] = found[0]
        del r["suggestion"]


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True


@click.command(name="assign-batch")
@click.option(
    "--file",
    "file",
    type=InputFile(),
    help="CSV (header suggestion,lead_unit,co_units,complex) or JSON lines; "
    "suggestion is an id or a number (建议编号); co_units separated by ; or 、. '-': stdin.",
)
@click.option("--session", "session_id", help="Instead of a file: this session's suggestions.")
@click.option(
    "--status",
    default=Status.ACCEPTED.value,
    show_default=True,
    help="With --session: only suggestions in this status.",
)
@click.option("--lead-unit", help="With --session: the lead unit (主办) of every one.")
@click.option("--co-unit", "co_units", multiple=True, help="With --session: a co-unit (协办).")
@click.option("--complex", "complex_", is_flag=True, help="With --session: all are complex.")
@date_option(help="The day of the 交办会 (YYYY-MM-DD).")
@json_option
@click.pass_context
def assign_batch(
    ctx: click.Context,
    /,
    file: Any,
    session_id: str | None,
    status: str,
    lead_unit: str | None,
    co_units: tuple[str, ...],
    complex_: bool,
    on: str | None,
    as_json: bool,
) -> None:
    """Assign many suggestions at once (交办会): one Assigned event each, all or nothing."""
    e = env(ctx)
    app = e.get_app()
    if (file is None) == (session_id is None):
        raise InvalidInput(
            "give either --file or --session (one of them)",
            [{"field": "file", "message": "either --file or --session"}],
        )
    if file is not None:
        if lead_unit or co_units or complex_:
            raise InvalidInput(
                "--lead-unit, --co-unit and --complex go with --session; a file names them",
                [{"field": "lead_unit", "message": "only with --session"}],
            )
        rows = read_rows(decode_utf8(file.read()))
        _resolve(ctx, rows)
    else:
        assert session_id is not None
        if not lead_unit:
            raise InvalidInput(
                "--session needs --lead-unit", [{"field": "lead_unit", "message": "required"}]
            )
        try:
            wanted = Status.parse(status).value
        except ValueError as exc:
            raise InvalidInput(str(exc), [{"field": "status", "message": str(exc)}]) from None
        ids = app.session_suggestions(session_id, wanted)
        rows = [
            {
                "line": f"suggestion {i}",
                "suggestion_id": str(i),
                "lead_unit": lead_unit,
                "co_units": list(co_units),
                "complex": complex_,
            }
            for i in ids
        ]
    day = on or today()
    done = app.assign_batch([{**r, "date": day} for r in rows], e.actor())
    if as_json:
        emit({"assigned": [str(i) for i in done], "count": len(done), "date": day}, True)
    else:
        echo(f"assigned {len(done)} suggestion(s) on {day}")
