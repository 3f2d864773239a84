"""The printable page of a deputy's duty record (履职档案): one self-contained HTML page
(inline CSS, A4 print styles), rendered from the Jinja2 template ``record.html``.

A province replaces the template through ``renda_report_template(name="record.html",
lang="zh")``; the built-in one answers last (``renda_report_template`` below).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any

from renda_adapters.record.sections import SECTIONS
from renda_core.domain.values import Level, level_label

TEMPLATE = "record.html"
VALUE_LABELS = {
    "status": {
        "present": "出席",
        "leave": "请假",
        "absent": "缺席",
    },
    "kind": {
        "congress_session": "人民代表大会会议",
        "sc_meeting": "常委会会议",
        "inspection": "视察",
        "research": "专题调研",
        "legislation": "立法",
        "supervision": "监督",
        "committee_liaison": "专门委员会联系",
        "suspended": "暂停执行代表职务",
        "resumed": "恢复执行代表职务",
        "terminated": "代表资格终止",
    },
    "role": {"lead": "领衔", "cosigner": "附议"},
}
SUMMARY_LABELS = {
    "attendance_present": "出席会议",
    "attendance_leave": "请假",
    "attendance_absent": "缺席",
    "trainings_completed": "培训结业",
    "suggestions_urged": "所提建议被催办次数",
}


def builtin_template(name: str, lang: str) -> str | None:
    if name != TEMPLATE:
        return None
    path = resources.files(__package__).joinpath("templates", "record.html.j2")
    return path.read_text(encoding="utf-8")


def show(key: str, value: Any) -> str:
    """A cell: booleans as 是/否, known codes with their Chinese label, nothing as —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    return VALUE_LABELS.get(key, {}).get(str(value), str(value))


def render_page(
    record: dict[str, Any],
    source: Callable[[str, str], str | None],
    footer: dict[str, str] | None = None,
) -> str:
    """The page of one record (the output of ``duty_record``)."""
    import jinja2  # imported when the page is rendered: a fast start

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: source(name, "zh")),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    template = env.get_template(TEMPLATE)
    period = f"{record['year']}年度" if record["year"] else "任期内"
    level = (
        level_label(record["level"], record.get("area"))
        if record["level"] in set(Level)
        else record["level"]
    )
    summary = record["summary"]
    counts = [(s.heading, summary[s.key]) for s in SECTIONS] + [
        (label, summary[key]) for key, label in SUMMARY_LABELS.items()
    ]
    return str(
        template.render(
            title=f"{record['name']} {period}履职档案",
            record=record,
            level_label=level,
            sections=[(s, record[s.key]) for s in SECTIONS],
            counts=counts,
            show=show,
            footer=footer or {},
            json_data=json.dumps(record, ensure_ascii=False).replace("</", "<\\/"),
        )
    )
