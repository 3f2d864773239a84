"""``renda area …``: administrative divisions (行政区划)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import click
from rich.table import Table

from renda_core.application.areas import read_division_csv
from renda_core.cli.common import (
    InputFile,
    RendaGroup,
    choices,
    date_option,
    echo,
    emit,
    env,
    json_option,
    today,
)
from renda_core.domain.division import DivisionKind
from renda_core.domain.errors import InvalidInput
from renda_core.projections.reports import fresh_context


@click.group(cls=RendaGroup)
def area() -> None:
    """Administrative divisions (行政区划): import from CSV, list."""


@area.command(name="import")
@click.argument("file", type=InputFile())
@date_option(help="Business date of the import (YYYY-MM-DD).")
@json_option
@click.pass_context
def area_import(ctx: click.Context, /, file: BinaryIO, on: str | None, as_json: bool) -> None:
    """Import divisions from a CSV or .xlsx sheet (columns code, name, parent_code,
    kind — or 区划代码, 名称, 上级代码, 类型).

    Codes and names are enough (民政部's list of codes): a parent or a kind left out
    is told by the code (GB/T 2260, GB/T 10114). CSV may be UTF-8 (with or without
    BOM), GBK or GB18030. Every row is checked first; a bad row is reported with its
    line (row) number and nothing of the file is recorded. Re-importing the same file
    records nothing.
    """
    from renda_core.application.spreadsheets import division_csv

    e = env(ctx)
    raw = file.read()
    try:
        rows = read_division_csv(division_csv(raw))
        result = e.get_app().import_divisions({"rows": rows, "date": on or today()}, e.actor())
    except InvalidInput as error:
        _write_error_copy(raw, Path(getattr(file, "name", "divisions.csv")), error)
        raise
    if as_json:
        emit(result, True)
    else:
        source = Path(getattr(file, "name", "-")).name
        echo(
            f"{source}: {result['rows']} rows — {result['recorded']} recorded, "
            f"{result['corrected']} corrected, {result['unchanged']} unchanged"
        )
        if result.get("villages"):
            echo(
                f"{result['villages']} village-level rows (村民委员会, 居民委员会) left out: "
                "renda records divisions down to townships and streets"
            )


def _write_error_copy(raw: bytes, source: Path, error: InvalidInput) -> None:
    """Beside a rejected sheet: a copy with a 错误说明 column naming each bad cell."""
    from renda_core.application import spreadsheets
    from renda_core.cli.i18n import note_copy
    from renda_core.cli.office import error_copy_path, noted, shown_errors

    if not error.errors:
        return
    try:
        sheet = spreadsheets.read_sheet(raw)
        mapped = spreadsheets.map_columns(sheet, spreadsheets.DIVISION_COLUMNS)
    except InvalidInput:
        return  # unreadable or headerless: the message says why, there is no sheet to mark
    items = noted(spreadsheets.cell_errors(mapped, shown_errors(error.errors)))
    target = error_copy_path(source, sheet.kind)
    if sheet.kind == "xlsx":
        copy = spreadsheets.error_workbook(sheet, items)
    else:
        copy = spreadsheets.error_csv(sheet, items)
    try:
        target.write_bytes(copy)
    except OSError:
        return
    note_copy(error, target)


@area.command(name="list")
@click.option("--kind", help=f"Only this kind: {choices(DivisionKind)}.")
@click.option("--area", "prefix", help="Only codes starting with this prefix, e.g. 2201.")
@json_option
@click.pass_context
def area_list(ctx: click.Context, /, kind: str | None, prefix: str | None, as_json: bool) -> None:
    """List recorded divisions with their open stations."""
    from renda_adapters.stations import StationsProjection, division_entries

    wanted = None
    if kind:
        try:
            wanted = DivisionKind.parse(kind).value
        except ValueError as exc:
            raise InvalidInput(str(exc), [{"field": "kind", "message": str(exc)}]) from None
    context = fresh_context(env(ctx).runner(), StationsProjection.name, area=prefix)
    rows = division_entries(context, wanted)

    def render() -> Table:
        table = Table(title="行政区划")
        for col in ("code", "name", "kind", "parent", "stations"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["code"],
                r["name"],
                DivisionKind.of(r["kind"]).label,
                r["parent_code"] or "",
                str(r["stations_open"]),
            )
        return table

    emit(rows, as_json, render)
