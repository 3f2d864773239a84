"""``renda deputy import``: the office's roster spreadsheet (.xlsx or CSV) in.

The sheet's header row is in Chinese or English (docs/office.md lists the columns);
CSV may be UTF-8 (with or without BOM), GBK or GB18030. Every row is checked first;
a rejected file is written back next to it with an added ``错误说明`` column naming
each bad cell, and nothing is recorded. Importing the same rows again records nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO, Any

import click

from renda_core import i18n
from renda_core.cli.common import (
    InputFile,
    OutputPath,
    date_option,
    echo,
    emit,
    env,
    json_option,
    today,
)
from renda_core.cli.i18n import colon, field_label, field_line, field_message, note_copy
from renda_core.cli.progress import progress_bar
from renda_core.domain.errors import InvalidInput


def shown_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Field errors with their messages in the active language (the 错误说明 column)."""
    return noted([{"field": str(e["field"]), "message": field_message(e)} for e in errors])


#: a cell named with its column's header: ``C4 (层级)``
_CELL = re.compile(r"^([A-Z]+\d+) \((.+)\)$")


def noted(items: list[dict[str, str]]) -> list[dict[str, str]]:
    """Error items with their ``note`` for the 错误说明 column: the cell or row and the
    message as the active language writes them (「C4（层级）：应为…」, 「第 4 行：…」;
    ``C4 (层级): …`` and ``row 4: …`` in English)."""
    out = []
    for item in items:
        where = field_label(item["field"])
        if i18n.language() == "zh":
            where = _CELL.sub(r"\1（\2）", where)
        out.append({**item, "note": f"{where}{colon()}{item['message']}"})
    return out


def error_copy_path(source: Path, kind: str) -> Path:
    """Where the annotated copy of a rejected sheet goes: beside it, ``-错误说明``."""
    suffix = ".xlsx" if kind == "xlsx" else ".csv"
    return source.with_name(f"{source.stem}-错误说明{suffix}")


@click.command(name="import")
@click.argument("file", type=InputFile())
@date_option(help="Business date for rows without 任职日期 (YYYY-MM-DD).")
@click.option(
    "--errors",
    "errors_path",
    type=OutputPath(),
    help="Where to write the annotated copy of a rejected sheet "
    "(default: beside it, NAME-错误说明.xlsx or .csv).",
)
@json_option
@click.pass_context
def deputy_import(
    ctx: click.Context, /, file: IO[bytes], on: str | None, errors_path: Path | None, as_json: bool
) -> None:
    """Register the deputies of a roster spreadsheet (.xlsx or CSV, 代表名册).

    Columns (Chinese or English header): 姓名 name, 层级 level, 届次 term, 选举单位
    electoral unit, 行政区划代码 area, 任职日期 date, and optionally 性别 gender, 民族
    ethnicity, 代表构成类别 category, 联系电话 phone; other columns are ignored.
    Every row is checked first; a bad file is written back with a 错误说明 column
    naming each bad cell, and nothing is recorded (exit 3). Rows imported before are
    skipped; a deputy already registered with other details is an error (use
    `renda deputy correct`).
    """
    from renda_core.application import spreadsheets
    from renda_core.application.roster import import_roster, plan_roster

    raw = file.read()
    source = Path(getattr(file, "name", "roster.csv"))
    sheet = spreadsheets.read_sheet(raw)
    e = env(ctx)
    try:
        mapped = spreadsheets.map_columns(sheet, spreadsheets.DEPUTY_COLUMNS)
        plan = plan_roster(mapped, e.actor(), on or today())
        app = e.get_app()
        with progress_bar("导入 import", len(plan.commands), quiet=as_json) as advance:
            result, ids = import_roster(app, plan, progress=advance)
    except InvalidInput as error:
        if error.errors:
            target = errors_path or error_copy_path(source, sheet.kind)
            if sheet.kind == "xlsx" or target.suffix == ".xlsx":
                copy = spreadsheets.error_workbook(sheet, shown_errors(error.errors))
            else:
                copy = spreadsheets.error_csv(sheet, shown_errors(error.errors))
            try:
                target.write_bytes(copy)
                note_copy(error, target)
            except OSError:
                pass
            if not as_json:
                for item in error.errors[1:]:
                    click.echo(f"  {field_line(item)}", err=True)
        raise
    if result.exception is not None:
        raise result.exception
    summary = {**result.to_dict(), "ignored_columns": ignored(sheet, mapped), "ids": ids}
    if as_json:
        emit(summary, True)
    else:
        echo(
            f"{source.name}: {result.total} rows — {result.applied} registered, "
            f"{result.skipped} already imported"
        )


def ignored(sheet: object, mapped: object) -> list[str]:
    from renda_core.application.spreadsheets import ERROR_COLUMN, Mapped, Sheet

    assert isinstance(sheet, Sheet) and isinstance(mapped, Mapped)
    used = set(mapped.positions.values())
    return [
        name
        for index, name in enumerate(sheet.header)
        if index not in used and name.strip() and name.strip() != ERROR_COLUMN
    ]
