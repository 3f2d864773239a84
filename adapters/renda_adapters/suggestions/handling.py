"""The handling report (代表建议办理情况报告, Deputies Law Art. 51–52): every suggestion
of a year, one row each, with the figures a standing committee's report states.

``renda report handling --year Y [--area P] [--level L] [--as-of MOMENT]
[--format table|json|csv|html] [--lang zh|en] [--output FILE]``

Rows are the suggestions submitted in year Y (the cohort a work report speaks of),
read from the ``suggestions`` view: number, title, lead deputy, lead and co-handling
units, status, the latest reply's result class, whether the first reply was on time,
the latest evaluation (result and attitude), re-handlings, commitments (made and
delivered), the disclosure of the latest reply (disclosed, 不宜公开 or still due) and
how many times the clock urged its units (``urged``: "已催办 2 次").
The ``summary`` is computed from the rows alone, so anyone can check it by hand.
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

import click

from renda_core.cli.common import choices, env
from renda_core.cli.report_options import check_year, report_options, write_result
from renda_core.domain.suggestion import POSITIVE, Rating, Status
from renda_core.domain.values import Level
from renda_core.ports.contracts import Report
from renda_core.projections import asof as asof_clock
from renda_core.projections.asof import AsOf, business_today
from renda_core.projections.provenance import stamp_report
from renda_core.projections.reports import ReportContext, run_report

from . import VIEW, matching_docs, rate

FORMATS = ("table", "json", "csv", "xlsx", "html")

#: the row's columns, with their Chinese and English headings (CSV, table, HTML)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("number", "建议编号", "Number"),
    ("title", "标题", "Title"),
    ("lead_name", "领衔代表", "Lead deputy"),
    ("lead_unit", "主办单位", "Lead unit"),
    ("co_units", "协办单位", "Co-handling units"),
    ("status", "状态", "Status"),
    ("result_class", "办理结果类别", "Result class"),
    ("replied_on", "答复日期", "Replied on"),
    ("on_time", "按期答复", "Replied on time"),
    ("result_rating", "结果评价", "Result rating"),
    ("attitude_rating", "态度评价", "Attitude rating"),
    ("rehandlings", "重新办理", "Re-handlings"),
    ("commitments", "承诺事项", "Commitments"),
    ("commitments_delivered", "已兑现", "Delivered"),
    ("disclosure", "答复公开", "Disclosure"),
    ("urged", "催办", "Urged (催办)"),
)
SUMMARY: tuple[tuple[str, str, str], ...] = (
    ("suggestions", "建议件数", "Suggestions"),
    ("assigned", "交办件数", "Assigned"),
    ("replied", "已答复", "Replied"),
    ("replied_rate", "办复率", "Reply rate"),
    ("replied_on_time", "按期答复", "Replied on time"),
    ("on_time_rate", "按期答复率", "On-time rate"),
    ("evaluated", "已评价", "Evaluated"),
    ("satisfied", "结果满意（含基本满意）", "Satisfied (result)"),
    ("satisfaction_rate", "满意率", "Satisfaction rate"),
    ("rehandled", "重新办理件数", "Re-handled"),
    ("commitments", "承诺事项", "Commitments"),
    ("commitments_delivered", "承诺已兑现", "Commitments delivered"),
    ("disclosed", "答复已公开", "Replies disclosed"),
    ("withheld", "不宜公开", "Not to be disclosed"),
    ("urged", "已催办（次）", "Urgings (催办)"),
)
#: the terminal is narrow: the table shows these columns (CSV and HTML show all)
TABLE_COLUMNS = (
    "number",
    "title",
    "lead_name",
    "lead_unit",
    "result_class",
    "on_time",
    "result_rating",
    "rehandlings",
    "commitments",
    "urged",
)
DISCLOSURE = {
    "disclosed": ("已公开", "disclosed"),
    "withheld": ("不宜公开", "not to be disclosed"),
    "due": ("待公开", "due"),
}
ASSIGNED = {
    Status.ASSIGNED.value,
    Status.REPLIED.value,
    Status.EVALUATED.value,
    Status.REHANDLING.value,
    Status.CLOSED.value,
}


def handling_row(key: str, doc: dict[str, Any]) -> dict[str, Any]:
    """One suggestion's row, from its document in the ``suggestions`` view."""
    replies = doc.get("replies") or []
    evaluations = doc.get("evaluations") or []
    commitments = doc.get("commitments") or []
    latest = replies[-1] if replies else None
    evaluation = evaluations[-1] if evaluations else None
    if latest is None:
        disclosure = None
    elif doc.get("disclosed"):
        disclosure = "disclosed"
    elif doc.get("withheld"):
        disclosure = "withheld"
    else:
        disclosure = "due"
    return {
        "id": key,
        "number": doc.get("number"),
        "title": doc["title"],
        "lead_deputy": doc.get("lead_deputy"),
        "lead_name": doc.get("lead_name"),
        "lead_unit": doc.get("lead_unit"),
        "co_units": list(doc.get("co_units") or []),
        "status": doc["status"],
        "submitted_on": doc.get("submitted_on"),
        "assigned_on": doc.get("assigned_on"),
        "result_class": latest["result_class"] if latest else None,
        "replied_on": replies[0]["on"] if replies else None,
        "on_time": replies[0]["on_time"] if replies else None,
        "result_rating": evaluation["result"] if evaluation else None,
        "attitude_rating": evaluation["attitude"] if evaluation else None,
        "rehandlings": doc.get("rehandlings", 0),
        "commitments": len(commitments),
        "commitments_delivered": sum(1 for c in commitments if c.get("delivered_on")),
        "disclosure": disclosure,
        "urged": doc.get("urged", 0),  # the clock's 催办 (Reminder.Issued, kind urge)
    }


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The report's figures, from its rows only."""
    assigned = sum(1 for r in rows if r["status"] in ASSIGNED)
    replied = sum(1 for r in rows if r["replied_on"] is not None)
    on_time = sum(1 for r in rows if r["on_time"] is True)
    evaluated = sum(1 for r in rows if r["result_rating"] is not None)
    satisfied = sum(1 for r in rows if r["result_rating"] in POSITIVE)
    by_class: dict[str, int] = {}
    for r in rows:
        if r["result_class"]:
            by_class[r["result_class"]] = by_class.get(r["result_class"], 0) + 1
    return {
        "suggestions": len(rows),
        "assigned": assigned,
        "replied": replied,
        "replied_rate": rate(replied, assigned),
        "replied_on_time": on_time,
        "on_time_rate": rate(on_time, replied),
        "by_class": dict(sorted(by_class.items())),
        "evaluated": evaluated,
        "satisfied": satisfied,
        "satisfaction_rate": rate(satisfied, evaluated),
        "rehandled": sum(1 for r in rows if r["rehandlings"]),
        "commitments": sum(r["commitments"] for r in rows),
        "commitments_delivered": sum(r["commitments_delivered"] for r in rows),
        "disclosed": sum(1 for r in rows if r["disclosure"] == "disclosed"),
        "withheld": sum(1 for r in rows if r["disclosure"] == "withheld"),
        "urged": sum(r["urged"] for r in rows),
    }


def build_handling(ctx: ReportContext, year: int | None = None) -> dict[str, Any]:
    """The handling report of ``year`` (default: last year, by the context's day)."""
    year = year if year is not None else ctx.today.year - 1
    rows = [handling_row(key, doc) for key, doc in matching_docs(ctx, year=year)]
    rows.sort(key=lambda r: (r["number"] is None, r["number"] or "", r["submitted_on"], r["id"]))
    return {
        "year": year,
        "area": ctx.area,
        "level": ctx.level,
        "as_of": ctx.as_of_label,
        "judged_on": ctx.today.isoformat(),
        "summary": summarize(rows),
        "suggestions": rows,
    }


# -- rendering ---------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def cell(key: str, value: Any, lang: str) -> str:
    """A row's value as printed (table, CSV, HTML)."""
    zh = lang == "zh"
    if value is None:
        return "" if key not in ("on_time",) else "—"
    if key == "co_units":
        return ("、" if zh else "; ").join(value)
    if key == "on_time":
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if key == "status":
        return Status.of(value).label if zh else str(value)
    if key in ("result_rating", "attitude_rating"):
        return Rating.of(value).label if zh else str(value).replace("_", " ")
    if key == "disclosure":
        return DISCLOSURE[value][0 if zh else 1]
    if key == "urged":
        if not value:
            return ""
        return f"已催办 {value} 次" if zh else f"urged {value}×"
    return str(value)


def figure(key: str, value: Any) -> str:
    return _pct(value) if key.endswith("_rate") else str(value)


def title(data: dict[str, Any], lang: str) -> str:
    if lang == "zh":
        return f"{data['year']}年代表建议办理情况"
    return f"Handling of deputies' suggestions, {data['year']}"


def render_table(data: dict[str, Any], lang: str = "zh") -> Any:
    from rich.console import Group
    from rich.table import Table

    zh = lang == "zh"
    summary = Table(title=title(data, lang))
    summary.add_column("指标" if zh else "Figure")
    summary.add_column("数值" if zh else "Value", justify="right")
    for key, label_zh, label_en in SUMMARY:
        summary.add_row(label_zh if zh else label_en, figure(key, data["summary"][key]))
    for cls, n in data["summary"]["by_class"].items():
        summary.add_row(f"{cls}类" if zh else f"Class {cls}", str(n))
    rows = Table(title="逐件办理情况" if zh else "Suggestion by suggestion")
    shown = [c for c in COLUMNS if c[0] in TABLE_COLUMNS]
    for _, label_zh, label_en in shown:
        rows.add_column(label_zh if zh else label_en)
    for r in data["suggestions"]:
        rows.add_row(*(cell(key, r[key], lang) for key, _, _ in shown))
    return Group(summary, rows)


def render_csv(data: dict[str, Any], lang: str = "zh") -> str:
    """One line per suggestion, headed by the column names (``id`` first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", *(key for key, _, _ in COLUMNS)])
    for r in data["suggestions"]:
        writer.writerow([r["id"], *(cell(key, r[key], lang) for key, _, _ in COLUMNS)])
    return out.getvalue()


def render_xlsx(data: dict[str, Any], lang: str = "zh") -> bytes:
    """A workbook: the summary (rates as percentages), then one row per suggestion with
    the CSV's columns under Chinese (or English) headings."""
    from renda_core.application.spreadsheets import Section, workbook_bytes

    zh = lang == "zh"
    summary: list[list[Any]] = [
        [label_zh if zh else label_en, data["summary"][key]] for key, label_zh, label_en in SUMMARY
    ]
    for cls, n in data["summary"]["by_class"].items():
        summary.append([f"{cls}类" if zh else f"Class {cls}", n])
    header = [
        "记录号" if zh else "Id",
        *(label_zh if zh else label_en for _, label_zh, label_en in COLUMNS),
    ]
    rows = [
        [r["id"], *(_xlsx_cell(key, r[key], lang) for key, _, _ in COLUMNS)]
        for r in data["suggestions"]
    ]
    return workbook_bytes(
        [
            Section(
                title(data, lang), ["指标" if zh else "Figure", "数值" if zh else "Value"], summary
            ),
            Section("逐件办理情况" if zh else "Suggestions", header, rows),
        ]
    )


def _xlsx_cell(key: str, value: Any, lang: str) -> Any:
    """Numbers stay numbers in a workbook; everything else as the CSV prints it."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return cell(key, value, lang)


def render_html(data: dict[str, Any], lang: str = "zh") -> str:
    source = (
        resources.files(__package__ or "renda_adapters.suggestions")
        .joinpath("templates", "handling.html.j2")
        .read_text(encoding="utf-8")
    )
    import jinja2  # imported when a template is rendered: a fast start

    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = environment.from_string(source)
    zh = lang == "zh"
    return template.render(
        lang=lang,
        title=title(data, lang),
        data=data,
        summary=[
            (label_zh if zh else label_en, figure(key, data["summary"][key]))
            for key, label_zh, label_en in SUMMARY
        ],
        by_class=data["summary"]["by_class"],
        columns=[label_zh if zh else label_en for _, label_zh, label_en in COLUMNS],
        rows=[[cell(key, r[key], lang) for key, _, _ in COLUMNS] for r in data["suggestions"]],
    )


def render(data: dict[str, Any], fmt: str, lang: str) -> Any:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2)
    if fmt == "csv":
        return render_csv(data, lang)
    if fmt == "xlsx":
        return render_xlsx(data, lang)
    if fmt == "html":
        return render_html(data, lang)
    return render_table(data, lang)


HANDLING = Report(
    name="handling",
    title="代表建议办理情况报告 Handling report (Art. 51)",
    projection=VIEW,
    build=build_handling,
    render=render_table,
    options=(click.Option(["--year"], type=int, help="The year of submission reported."),),
)


@click.command(name="handling")
@report_options(
    formats=FORMATS,
    year_help="Suggestions submitted in this year (default: the year before the --as-of day, "
    "else last year).",
    area_help="Only lead deputies of this division code prefix, e.g. 2224.",
    level_help=f"Only lead deputies of this level: {choices(Level)}.",
    format_help="Output format (html: a printable page; xlsx: a workbook, with --output).",
)
@click.pass_context
def report_handling(
    ctx: click.Context,
    /,
    year: int | None,
    area: str | None,
    level: str | None,
    as_of: AsOf | None,
    fmt: str,
    lang: str,
    output: Path | None,
    as_json: bool,
) -> None:
    """The handling report (办理情况报告): every suggestion of the year with its units,
    result class, timeliness, evaluation, re-handling and commitments."""
    from renda_core.application.commands import LevelField, parse_value

    check_year(year)
    e = env(ctx)
    level_value = parse_value(LevelField, level, "level").value if level else None
    default_year = (as_of.day if as_of else business_today()).year - 1
    built_at = asof_clock.now()  # read through the module: tests move the clock
    chosen = year if year is not None else default_year
    data = run_report(e.runner(), HANDLING, as_of=as_of, area=area, level=level_value, year=chosen)
    if as_json or fmt == "json":  # what it reflects (`renda audit reproduce` checks it)
        data = stamp_report(
            e.runner(),
            HANDLING,
            data,
            as_of=as_of,
            built_at=built_at,
            area=area,
            level=level_value,
            options={"year": chosen},
        )
    result = render(data, "json" if as_json else fmt, lang)
    write_result(result, output, width=160)


__all__ = [
    "HANDLING",
    "build_handling",
    "handling_row",
    "render",
    "render_xlsx",
    "report_handling",
    "summarize",
]
