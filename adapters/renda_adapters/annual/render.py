"""Rendering the annual report: table, json, csv, markdown, text (prose) and html."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from renda_core.domain.division import WHOLE_IN_ENGLISH
from renda_core.domain.group import GroupActivityKind
from renda_core.domain.station import ActivityKind
from renda_core.domain.training import CourseKind
from renda_core.domain.values import MUNICIPALITIES, ContactForm, Level, level_label

if TYPE_CHECKING:
    import jinja2
    from rich.console import Group

from . import svg
from .model import FIGURES, SECTION_LABELS, sections_of

FORMATS = ("table", "json", "csv", "xlsx", "markdown", "text", "html")

#: (name, lang) -> template source; replaced through ``renda_report_template``
TemplateSource = Callable[[str, str], str | None]

#: the provincial-level division of the report being rendered (``meta.province``): a
#: municipality names its levels as it does (市人大代表 for its own congress's deputies)
_PROVINCE: ContextVar[str | None] = ContextVar("annual_province", default=None)
_LEVELS = frozenset(m.value for m in Level)


@contextmanager
def rendering(data: dict[str, Any]) -> Iterator[None]:
    """Render ``data`` with its province's words for the levels."""
    token = _PROVINCE.set(data["meta"].get("province"))
    try:
        yield
    finally:
        _PROVINCE.reset(token)


def _level(value: str) -> str:
    """A level's Chinese label in the province being rendered (any other value as is)."""
    return level_label(value, _PROVINCE.get()) if value in _LEVELS else value


def _districts() -> str:
    """What the coverage is broken down by: 市州, or a municipality's 区 (区县)."""
    if _PROVINCE.get() in MUNICIPALITIES:
        return _level(Level.COUNTY.value)
    return "市州"


def _absent(path: str, value: Any) -> bool:
    """A figure of a level the province has no congress of (a municipality's cities
    with districts), with nothing in it: not shown."""
    return path.endswith(".municipal") and not value and _PROVINCE.get() in MUNICIPALITIES


def flatten(data: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf figure as (dotted path, value)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from flatten(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, data


def figure_rows(data: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(section, figure, value) for every figure of every section, in order."""
    for section in sections_of(data):
        for path, value in flatten(data[section]):
            yield section, path, value


#: families of figures: path prefix -> (Chinese, English) with {x} for the sub-key's label
FAMILIES: dict[str, tuple[str, str, Any]] = {
    "training.duty_coverage.": ("{x}人大代表履职培训覆盖率", "Duty-training coverage, {x}", Level),
    "stations.deputies_entered.": ("进家入站的{x}人大代表", "Deputies who entered, {x}", Level),
    "stations.activities.by_kind.": ("活动：{x}", "Activities: {x}", ActivityKind),
    "stations.activities.by_month.": ("{x}月活动", "Activities in month {x}", None),
    "suggestions.by_class.": ("{x}类办理结果", "Result class {x}", None),
    "groups.activities.by_kind.": ("小组活动：{x}", "Group activities: {x}", GroupActivityKind),
    "groups.groups_by_level.": ("{x}人大代表小组（年末）", "Groups at year end, {x}", Level),
    "liaison.deputies_contacted_by_level.": (
        "直接联系的{x}人大代表",
        "Deputies contacted directly, {x}",
        Level,
    ),
    "liaison.contacts_by_form.": ("联系形式：{x}", "Contacts: {x}", ContactForm),
}

#: training.classes_by_target.<kind>.<level>: the kind's label and the level's
TARGETS = "training.classes_by_target."


PREFECTURE = "stations.coverage_by_prefecture."
PREFECTURE_FIELDS = {
    "name": ("市州", "prefecture"),
    "divisions_total": ("乡镇街道数", "township/street divisions"),
    "divisions_covered": ("建有家站的乡镇街道", "divisions covered"),
    "coverage_rate": ("家站覆盖率", "coverage rate"),
}


def label(path: str, lang: str) -> str:
    """A figure's label: its own entry, its family's, or a readable form of its path."""
    entry = FIGURES.get(path)
    if entry:
        return entry[0] if lang == "zh" else entry[1]
    if path.startswith(TARGETS):
        kind, _, level = path[len(TARGETS) :].partition(".")
        return _target_label(kind, level, lang)
    if path.startswith(PREFECTURE):
        code, _, field = path[len(PREFECTURE) :].partition(".")
        zh, en = PREFECTURE_FIELDS.get(field, (field, field))
        if field == "name" and _PROVINCE.get() in MUNICIPALITIES:  # its districts
            zh, en = _level(Level.COUNTY.value), "district"
        return f"{code} {zh if lang == 'zh' else en}"
    for prefix, (zh, en, enum) in FAMILIES.items():
        if path.startswith(prefix):
            sub = path[len(prefix) :]
            if enum is Level and lang == "zh":
                sub = _level(sub)
            elif enum is not None and lang == "zh":
                sub = next((m.label for m in enum if m.value == sub), sub)
            elif prefix.endswith("by_month.") and lang == "zh":
                sub = str(int(sub)) if sub.isdigit() else sub
            return (zh if lang == "zh" else en).format(x=sub.replace("_", " "))
    tail = path.split(".", 1)[1] if "." in path else path
    return tail.replace("_", " ").replace(".", " · ")


def _target_label(kind: str, level: str, lang: str) -> str:
    kinds = {k.value: k for k in CourseKind}
    if lang == "zh":
        course = kinds[kind].label if kind in kinds else kind
        return f"{deputies(level, lang)}{course}班"
    return f"{kind} classes for {deputies(level, lang)}"


def deputies(level: str, lang: str) -> str:
    """'省人大代表' / 'provincial deputies'; 'all': deputies of every level."""
    if level == "all":
        return "各级人大代表" if lang == "zh" else "deputies of every level"
    if lang == "zh":
        return f"{_level(level)}人大代表"
    return f"{level} deputies"


def levels_phrase(by_level: dict[str, int], lang: str) -> str:
    """The deputies of the levels present: '五级人大代表' / '省、县级人大代表'."""
    present = [m for m in Level if by_level.get(m.value)]
    if len(present) == len(Level):
        return "五级人大代表" if lang == "zh" else "deputies of the five levels"
    if lang == "zh":
        if len(present) == 1:
            return deputies(present[0].value, lang)
        return "、".join(_level(m.value) for m in present) + "级人大代表"
    return and_list([m.value for m in present], lang) + " deputies"


def and_list(items: list[str], lang: str) -> str:
    """'A、B和C' / 'A, B and C'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    if lang == "zh":
        return "、".join(items[:-1]) + "和" + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def enum_label(enum: str, value: str, lang: str) -> str:
    """The Chinese label (or the English value, spaced) of a member of a known enum."""
    enums: dict[str, Any] = {
        "level": Level,
        "course": CourseKind,
        "contact": ContactForm,
        "activity": ActivityKind,
        "group_activity": GroupActivityKind,
    }
    member = next((m for m in enums[enum] if m.value == value), None)
    if lang == "zh" and enum == "level":
        return _level(value)
    if lang == "zh":
        return member.label if member is not None else value
    return value.replace("_", " ")


def show(value: Any, path: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) if value else "—"
    if isinstance(value, float) and (
        "rate" in path or "coverage" in path or "satisfaction" in path
    ):
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def title(data: dict[str, Any], lang: str) -> str:
    meta = data["meta"]
    scope = meta["area_name"]
    if lang == "zh":
        text = f"{scope}{meta['year']}年代表工作情况"
    else:
        whole = WHOLE_IN_ENGLISH.get(scope, "the province")
        text = f"Deputy work in {meta['year']} — {scope if meta['area'] else whole}"
    if meta["level"]:
        text += f"（{_level(meta['level'])}级）" if lang == "zh" else f" ({meta['level']})"
    if meta["as_of"]:
        text += (
            f"（截至{meta['as_of']}的记录）"
            if lang == "zh"
            else f" (as recorded by {meta['as_of']})"
        )
    elif meta.get("through"):  # a year not over when the report was made
        text += f"（截至{meta['through']}）" if lang == "zh" else f" (to {meta['through']})"
    return text


def render_table(data: dict[str, Any], lang: str) -> Group:
    from rich.console import Group  # imported when a table is printed (a fast start)
    from rich.table import Table

    tables = []
    for section in sections_of(data):
        zh, en = SECTION_LABELS[section]
        table = Table(title=zh if lang == "zh" else en, title_justify="left")
        table.add_column("指标" if lang == "zh" else "Figure")
        table.add_column("数值" if lang == "zh" else "Value", justify="right")
        for path, value in flatten(data[section]):
            full = f"{section}.{path}"
            if isinstance(value, dict) or ".by_month." in f".{path}.":
                continue
            if path.startswith("coverage_by_prefecture."):
                continue
            if path.startswith("duty_coverage.") and value is None:
                continue  # a level the year's duty training did not reach
            if _absent(full, value):
                continue
            table.add_row(label(full, lang), show(value, full))
        tables.append(table)
    heading = Table.grid()
    heading.add_row(f"[bold]{title(data, lang)}[/bold]")
    return Group(heading, *tables)


def render_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "figure", "value"])
    for section, path, value in figure_rows(data):
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        writer.writerow([section, path, "" if value is None else value])
    return out.getvalue()


def render_xlsx(data: dict[str, Any], lang: str) -> bytes:
    """A workbook with one sheet per section: figure (labelled), value, and the
    figure's path (its key in ``--format json``); ratios as percentages."""
    from renda_core.application.spreadsheets import Section, workbook_bytes

    zh = lang == "zh"
    header = ["指标", "数值", "字段"] if zh else ["Figure", "Value", "Key"]
    sheets = []
    for section in sections_of(data):
        rows: list[list[Any]] = []
        for path, value in flatten(data[section]):
            full = f"{section}.{path}"
            if isinstance(value, list):
                value = "; ".join(str(v) for v in value)
            if not _absent(full, value):
                rows.append([label(full, lang), value, full])
        sheets.append(Section(SECTION_LABELS[section][0 if zh else 1], header, rows))
    return workbook_bytes(sheets)


def render_markdown(data: dict[str, Any], lang: str) -> str:
    lines = [f"# {title(data, lang)}", ""]
    for section in sections_of(data):
        zh, en = SECTION_LABELS[section]
        lines += [f"## {zh if lang == 'zh' else en}", ""]
        lines += ["| 指标 | 数值 |" if lang == "zh" else "| Figure | Value |", "|---|---:|"]
        for path, value in flatten(data[section]):
            full = f"{section}.{path}"
            if not _absent(full, value):
                lines.append(f"| {label(full, lang)} | {show(value, full)} |")
        lines.append("")
    return "\n".join(lines)


def _environment(source: TemplateSource, lang: str) -> jinja2.Environment:
    import jinja2  # imported when a template is rendered: a fast start

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: source(name, lang)),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters["pct"] = lambda v, digits=0: "—" if v is None else f"{v * 100:.{digits}f}%"
    env.filters["num"] = lambda v: (
        "—" if v is None else f"{v:g}" if isinstance(v, float) else str(v)
    )
    env.filters["capitalize_first"] = lambda text: str(text)[:1].upper() + str(text)[1:]
    env.globals["label"] = lambda path: label(path, lang)
    env.globals["show"] = show
    env.globals["deputies"] = lambda level: deputies(level, lang)
    env.globals["levels_phrase"] = lambda by_level: levels_phrase(by_level, lang)
    env.globals["and_list"] = lambda items: and_list(list(items), lang)
    env.globals["whole_in_english"] = WHOLE_IN_ENGLISH  # 全省 / 全市 / 全区 in English
    env.globals["enum_label"] = lambda enum, value: enum_label(enum, value, lang)
    return env


def render_text(data: dict[str, Any], lang: str, source: TemplateSource) -> str:
    """The report as prose in the seed's style, from the ``annual.text`` template."""
    template = _environment(source, lang).get_template("annual.text")
    return str(template.render(**data, title=title(data, lang)))


#: sentence-ending punctuation: a prose line ending otherwise is a heading
_SENTENCE_END = ("。", "；", "！", "？", ".", ";", "!", "?", "）", ")")


def prose_blocks(text: str) -> list[tuple[str, str]]:
    """The prose after its title line as ("h", heading) and ("p", paragraph) blocks: a
    line that does not end a sentence is a heading."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return [("p" if line.endswith(_SENTENCE_END) else "h", line) for line in lines[1:]]


def _charts(data: dict[str, Any], lang: str) -> dict[str, tuple[str, str]]:
    """name -> (caption, svg) of the charts that have something to show."""
    zh = lang == "zh"
    stations, suggestions = data["stations"], data["suggestions"]
    months = stations["activities"]["by_month"]
    kinds = stations["activities"]["by_kind"]
    prefectures = [
        p for p in stations["coverage_by_prefecture"].values() if p["coverage_rate"] is not None
    ]
    funnel = [
        ("提出" if zh else "Submitted", suggestions["submitted"]),
        ("立案" if zh else "Accepted", suggestions["accepted"]),
        ("交办" if zh else "Assigned", suggestions["assigned"]),
        ("办复" if zh else "Replied", suggestions["handled"]),
    ]
    by = _districts()  # 市州, or a municipality's districts
    by_en = "prefecture" if by == "市州" else "district"
    specs: dict[str, tuple[str, list[tuple[str, float]], dict[str, Any]]] = {
        "activities_by_month": (
            "各月代表家站活动（次）" if zh else "Station activities by month",
            [(f"{int(m)}月" if zh else m, v) for m, v in months.items()],
            {},
        ),
        "activities_by_kind": (
            "活动形式（次）" if zh else "Station activities by kind",
            [(label(f"stations.activities.by_kind.{k}", lang), v) for k, v in kinds.items()],
            {"horizontal": True},
        ),
        "suggestion_funnel": (
            "代表建议办理（件）" if zh else "Suggestion handling",
            funnel,
            {"horizontal": True},
        ),
        "result_classes": (
            "办理结果分类（件）" if zh else "Result classes",
            sorted(suggestions["by_class"].items()),
            {},
        ),
        "coverage_by_prefecture": (
            f"各{by}乡镇街道家站覆盖率（%）" if zh else f"Station coverage by {by_en} (%)",
            [(p["name"], round(p["coverage_rate"] * 100, 1)) for p in prefectures],
            {"horizontal": True, "maximum": 100},
        ),
    }
    return {
        name: (caption, svg.bar_chart(items, caption, **options))
        for name, (caption, items, options) in specs.items()
        if any(value for _, value in items)
    }


def render_html(
    data: dict[str, Any],
    lang: str,
    source: TemplateSource,
    provenance: dict[str, Any] | None = None,
) -> str:
    """One self-contained page (inline CSS and SVG charts; opens offline). ``provenance``:
    ``moment`` (what the report reflects), ``position`` (log position) and ``store``,
    printed in the footer."""
    zh = lang == "zh"
    template = _environment(source, lang).get_template("annual.html")
    prose = render_text(data, lang, source)
    about = dict(provenance or {})
    moment = data["meta"]["as_of"] or about.get("moment")
    return str(
        template.render(
            **data,
            data=data,
            title=title(data, lang),
            lang=lang,
            sections=[(s, SECTION_LABELS[s][0 if zh else 1]) for s in sections_of(data)],
            rows=lambda section: [
                (label(f"{section}.{p}", lang), show(v, f"{section}.{p}"), f"{section}.{p}")
                for p, v in flatten(data[section])
                if not _absent(f"{section}.{p}", v)
            ],
            charts=_charts(data, lang),
            prose=prose_blocks(prose),
            footer={
                "moment": moment or "—",
                "position": "—" if about.get("position") is None else str(about["position"]),
                "store": about.get("store") or "—",
            },
            json_data=json.dumps(data, ensure_ascii=False).replace("</", "<\\/"),
        )
    )
