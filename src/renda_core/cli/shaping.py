"""Shared list and export options, applied once in :func:`renda_core.cli.common.emit`.

``@list_options`` gives a list command ``--search``, ``--limit``, ``--offset``,
``--jsonl`` and the export options; ``@export_options`` gives a report ``--format
csv|xlsx``, ``--headers zh|en`` and ``--output``. The options do not reach the
command's function: they are kept in the click context and :func:`shape_and_export`
applies them to whatever the command emits.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import click

from renda_core.domain.errors import InvalidInput

F = TypeVar("F", bound=Callable[..., Any])

META_KEY = "renda.shape"

#: Chinese headers of the keys lists and reports carry (``--headers zh``, the default).
HEADERS_ZH: dict[str, str] = {
    "id": "编号",
    "name": "姓名",
    "level": "层级",
    "term": "届次",
    "electoral_unit": "选举单位",
    "area": "行政区划代码",
    "gender": "性别",
    "ethnicity": "民族",
    "category": "代表构成类别",
    "phone": "联系电话",
    "status": "状态",
    "liaison": "联系的常委会组成人员",
    "registered_on": "任职日期",
    "terminated_on": "终止日期",
    "code": "区划代码",
    "parent_code": "上级代码",
    "kind": "类型",
    "stations_open": "开放的代表家站",
    "division": "所在区划",
    "title": "标题",
    "date": "日期",
    "year": "年度",
    "count": "数量",
    "total": "合计",
    "members": "成员",
    "leader": "组长",
    "figure": "指标",
    "value": "数值",
    "section": "部分",
    "people_received": "接待群众人次",
    "recorded_on": "记录日期",
    "route": "办理方式",
    "fed_back_on": "反馈日期",
}

#: Sheet names of report sections (``--headers zh``).
SECTIONS_ZH: dict[str, str] = {"summary": "概要", "rows": "明细", "list": "列表", "value": "数值"}


@dataclass
class Shape:
    search: str | None = None
    limit: int | None = None
    offset: int = 0
    jsonl: bool = False
    fmt: str | None = None
    headers: str = "zh"
    output: Path | None = None


def _shape(ctx: click.Context) -> Shape:
    shape = ctx.meta.get(META_KEY)
    if not isinstance(shape, Shape):
        shape = ctx.meta[META_KEY] = Shape()
    return shape


def _keep(attr: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def store(ctx: click.Context, _: click.Parameter, value: Any) -> Any:
        if value is not None and value is not False:
            setattr(_shape(ctx), attr, value)
        return value

    return store


def export_params() -> list[click.Parameter]:
    """``--format table|json|csv|xlsx``, ``--headers zh|en``, ``--output FILE``."""
    from renda_core.cli.common import OutputPath

    return [
        click.Option(
            ["--format", "export_format"],
            type=click.Choice(["table", "json", "csv", "xlsx"]),
            default=None,
            expose_value=False,
            callback=_keep("fmt"),
            help="Output: table (default), json, csv (UTF-8 with BOM, opens in Excel) "
            "or xlsx (needs --output).",
        ),
        click.Option(
            ["--headers"],
            type=click.Choice(["zh", "en"]),
            default=None,
            expose_value=False,
            callback=_keep("headers"),
            help="Column headers of csv/xlsx: zh (Chinese, default) or en (field keys).",
        ),
        click.Option(
            ["--output", "export_output"],
            type=OutputPath(),
            default=None,
            expose_value=False,
            callback=_keep("output"),
            help="Write csv/xlsx to this file.",
        ),
    ]


def list_params() -> list[click.Parameter]:
    """``--search``, ``--limit``, ``--offset``, ``--jsonl`` and the export options."""
    return [
        click.Option(
            ["--search"],
            default=None,
            expose_value=False,
            callback=_keep("search"),
            help="Only rows with this text in a field; simplified and traditional "
            "Chinese match alike (OpenCC).",
        ),
        click.Option(
            ["--limit"],
            type=click.IntRange(min=0),
            default=None,
            expose_value=False,
            callback=_keep("limit"),
            help="At most this many rows.",
        ),
        click.Option(
            ["--offset"],
            type=click.IntRange(min=0),
            default=None,
            expose_value=False,
            callback=_keep("offset"),
            help="Skip this many rows first.",
        ),
        click.Option(
            ["--jsonl"],
            is_flag=True,
            default=False,
            expose_value=False,
            callback=_keep("jsonl"),
            help="Stream JSON Lines: one object a row.",
        ),
        *export_params(),
    ]


def export_options(fn: F) -> F:
    """Decorator: the export options on a command (reports)."""
    params = getattr(fn, "__click_params__", [])
    params.extend(reversed(export_params()))
    fn.__click_params__ = params  # type: ignore[attr-defined]
    return fn


@cache
def _converter() -> Callable[[str], str]:
    """Traditional → simplified (OpenCC), or unchanged when OpenCC is not installed."""
    try:
        from opencc import OpenCC
    except ImportError:  # pragma: no cover - a dependency; kept optional for embedders
        return lambda text: text
    for config in ("t2s", "t2s.json"):
        try:
            convert = OpenCC(config).convert
        except Exception:
            continue
        return lambda text: str(convert(text))
    return lambda text: text  # pragma: no cover


def normalise(text: str) -> str:
    """Text as search compares it: simplified Chinese, case-folded."""
    return _converter()(text).casefold()


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _texts(v)]
    return [] if value is None else [str(value)]


def search_rows(rows: list[Any], needle: str) -> list[Any]:
    wanted = normalise(needle.strip())
    return [r for r in rows if any(wanted in normalise(t) for t in _texts(r))]


def current_shape() -> Shape | None:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None
    shape = ctx.meta.get(META_KEY)
    return shape if isinstance(shape, Shape) else None


def shape_and_export(data: Any, title: str = "") -> bool:
    """Apply the list/export options to what a command emits; True when the output
    was written here (JSON Lines or a spreadsheet)."""
    shape = current_shape()
    if shape is None:
        return False
    if isinstance(data, list):
        rows = data
        if shape.search:
            rows = search_rows(rows, shape.search)
        end = None if shape.limit is None else shape.offset + shape.limit
        data[:] = rows[shape.offset : end]  # in place: the command's table shows the same
    if shape.jsonl:
        for item in data if isinstance(data, list) else [data]:
            click.echo(json.dumps(item, ensure_ascii=False, default=str))
        return True
    if shape.fmt in ("csv", "xlsx"):
        export(data, shape, title)
        return True
    if shape.fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return True
    return False


def export(data: Any, shape: Shape, title: str = "") -> None:
    from renda_core.application import spreadsheets

    sections = to_sections(data, shape.headers, title)
    if shape.fmt == "xlsx":
        if shape.output is None:
            raise InvalidInput(
                "--format xlsx needs --output FILE.xlsx",
                [{"field": "output", "message": "required with --format xlsx"}],
            )
        write_bytes(shape.output, spreadsheets.workbook_bytes(sections))
    else:
        first = sections[0]
        raw = spreadsheets.csv_bytes(first.header, first.rows)
        if len(sections) > 1:  # a report's sections, one after another
            parts = [raw]
            for section in sections[1:]:
                parts.append(b"\r\n" + f"{section.title}\r\n".encode())
                parts.append(spreadsheets.csv_bytes(section.header, section.rows)[3:])
            raw = b"".join(parts)
        if shape.output is None:
            sys.stdout.flush()
            buffer = getattr(sys.stdout, "buffer", None)
            if buffer is not None:
                buffer.write(raw)
                buffer.flush()
            else:  # a text-only stream: the same text, BOM included
                sys.stdout.write(raw.decode("utf-8"))
        else:
            write_bytes(shape.output, raw)
    if shape.output is not None:
        from renda_core.cli.common import say

        click.echo(say(f"written {shape.output}"), err=True)


def write_bytes(path: Path, raw: bytes) -> None:
    try:
        path.write_bytes(raw)
    except OSError as exc:
        raise InvalidInput(
            f"cannot write {path}: {exc.strerror or exc}",
            [{"field": "output", "message": "not writable"}],
        ) from None


#: lists whose export an importer reads back (``renda deputy import`` of ``renda deputy
#: list --format xlsx``): their columns keep the importer's Chinese header
#: (``renda_core.application.spreadsheets``), whatever the table calls them
IMPORTED_BY: dict[str, str] = {
    "renda deputy list": "DEPUTY_COLUMNS",
    "renda area list": "DIVISION_COLUMNS",
}


def header_label(key: str, headers: str) -> str:
    """A sheet's column header: under en the key; under zh the header an importer reads
    for that column (lists it reads back), else the column's Chinese in the command's
    tables (the table header's ``msgctxt``, :func:`renda_core.cli.i18n.table_context`),
    else :data:`HEADERS_ZH`, else its context-free entry in the catalogue, else the key."""
    if headers != "zh":
        return key
    from renda_core import i18n
    from renda_core.cli.i18n import table_context

    context = table_context()
    imported = _imported_header(key, context)
    if imported:
        return imported
    with i18n.use("zh_CN"):
        for tables in _contexts(context):
            shown = i18n.pgettext(tables, key) if i18n.catalogued(key, tables) else key
            if shown != key:
                return shown
        if key in HEADERS_ZH:
            return HEADERS_ZH[key]
        return i18n.gettext(key) if i18n.catalogued(key) else key


def _contexts(context: str | None) -> list[str]:
    """The command's own tables, then its group's ``show`` table (a list's row has the
    fields of the record ``show`` shows: a station's ``closed_on`` is its 关闭日期)."""
    if not context:
        return []
    words = context.split()
    show = " ".join([*words[:-1], "show"])
    return [context] if show == context or len(words) < 3 else [context, show]


def _imported_header(key: str, context: str | None) -> str | None:
    table = IMPORTED_BY.get(context or "")
    if table is None:
        return None
    from renda_core.application import spreadsheets

    columns: tuple[spreadsheets.Column, ...] = getattr(spreadsheets, table)
    return next((c.zh for c in columns if c.key == key), None)


def cell_value(key: str, value: Any, headers: str) -> Any:
    """A value as the sheet shows it: under zh, a term (a level, a status, a kind) by
    its Chinese label — by the enumeration the command's field means
    (:mod:`renda_core.cli.term_fields`: a session's ``closed`` 已闭会, a suggestion's
    已办结) —, anything else as it is."""
    if headers != "zh" or not isinstance(value, str) or not value:
        return value
    from renda_core import i18n
    from renda_core.cli.i18n import table_context
    from renda_core.cli.term_fields import vocabulary_of

    vocabulary = vocabulary_of(key, table_context())
    with i18n.use("zh_CN"):
        return i18n.term_text(value, vocabulary)


def table_section(title: str, rows: list[dict[str, Any]], headers: str) -> Any:
    from renda_core.application.spreadsheets import Section

    keys: list[str] = []
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    labels = [header_label(k, headers) for k in keys]
    for i, key in enumerate(keys):  # two keys, one Chinese header (station_id, station)
        if labels.count(labels[i]) > 1 and key.endswith("_id"):
            labels[i] = f"{labels[i]}ID"
    for i, key in enumerate(keys):
        if labels.index(labels[i]) != i:
            labels[i] = f"{labels[i]}（{key}）"
    return Section(
        title,
        labels,
        [[cell_value(k, row.get(k), headers) for k in keys] for row in rows],
    )


def to_sections(data: Any, headers: str, title: str = "") -> list[Any]:
    """Sheets of an emitted value: a list of records is one sheet; a report (a dict)
    gets a summary sheet of its figures and one sheet per table it holds."""
    from renda_core.application.spreadsheets import Section

    if isinstance(data, list):
        records = [r if isinstance(r, dict) else {"value": r} for r in data]
        return [table_section(sheet_title(title or "list", headers), records, headers)]
    if not isinstance(data, dict):
        return [table_section(sheet_title(title or "value", headers), [{"value": data}], headers)]
    summary: list[list[Any]] = []
    sections: list[Any] = []
    for key, value in data.items():
        # an empty table (``plans: []``) is an empty sheet of its own, not "[]" in the summary
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            sections.append(table_section(header_label(key, headers), value, headers))
        else:
            for path, leaf in _flatten(value, key):
                summary.append([figure_label(path, headers), leaf])
    head = Section(
        SECTIONS_ZH["summary"] if headers == "zh" else "summary",
        [header_label("figure", headers), header_label("value", headers)],
        summary,
    )
    return [head, *sections] if summary or not sections else sections


def figure_label(path: str, headers: str) -> str:
    """A figure's name in a report's summary sheet: under en its path
    (``by_level.provincial``); under zh each part by its header, else as a term
    (``按级别·省级``), a part that is data (a year, a unit's name) as it is."""
    if headers != "zh":
        return path
    from renda_core import i18n

    labels = []
    for part in path.split("."):
        label = header_label(part, headers)
        if label == part:
            with i18n.use("zh_CN"):
                label = i18n.term_text(part)
        labels.append(label)
    return "·".join(labels)


def sheet_title(title: str, headers: str) -> str:
    """A sheet's name: under zh its Chinese (:data:`SECTIONS_ZH`, else as a header)."""
    if headers != "zh":
        return title
    return SECTIONS_ZH.get(title) or header_label(title, headers)


def _flatten(value: Any, prefix: str) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _flatten(v, f"{prefix}.{k}")]
    return [(prefix, value)]
