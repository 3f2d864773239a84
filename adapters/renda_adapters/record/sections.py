"""The sections of a duty record (履职档案), in the order a page prints them.

Each section is a list of the record with its Chinese heading and the columns shown
(key, heading). ``renda deputy record`` counts them, the printable page lists them, and
an assessment scheme reads the same lists. Sections filled by processes that record
nothing yet (attendance, 列席, motions, inspections, legislation) are empty lists until
their events exist.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    columns: tuple[tuple[str, str], ...]
    dated_by: str | None = "on"  # the date the year filter reads (None: a span)


SECTIONS: tuple[Section, ...] = (
    Section(
        "attendance",
        "出席人民代表大会会议及常委会会议",
        (("on", "日期"), ("title", "会议"), ("kind", "类别"), ("status", "出席情况")),
    ),
    Section("observer", "列席常委会会议", (("on", "日期"), ("title", "会议"))),
    Section(
        "motions",
        "提出议案",
        (("title", "议案"), ("role", "领衔/附议"), ("status", "状态")),
    ),
    Section(
        "suggestions_led",
        "领衔提出建议",
        (
            ("on", "日期"),
            ("title", "建议"),
            ("status_label", "办理状态"),
            ("status_since", "状态日期"),
            ("urged", "催办次数"),
        ),
    ),
    Section(
        "suggestions_cosigned",
        "附议建议",
        (
            ("on", "日期"),
            ("title", "建议"),
            ("status_label", "办理状态"),
            ("status_since", "状态日期"),
            ("urged", "催办次数"),
        ),
    ),
    Section(
        "stations",
        "进家站",
        (("station", "代表家站"), ("since", "进站"), ("until", "离站")),
        dated_by=None,
    ),
    Section(
        "station_activities",
        "参加家站活动",
        (("on", "日期"), ("station", "代表家站"), ("kind", "活动形式"), ("topic", "主题")),
    ),
    Section(
        "opinions",
        "收集社情民意",
        (("on", "日期"), ("station", "代表家站"), ("category", "类别"), ("status", "状态")),
    ),
    Section(
        "inspections",
        "视察、专题调研",
        (("on", "日期"), ("topic", "主题"), ("kind", "类别"), ("report", "形成报告")),
    ),
    Section(
        "legislation",
        "参与立法、监督和专门委员会工作",
        (("on", "日期"), ("title", "事项"), ("kind", "类别")),
    ),
    Section(
        "groups",
        "代表小组",
        (("group", "小组"), ("since", "加入"), ("until", "退出"), ("leader_since", "任组长")),
        dated_by=None,
    ),
    Section(
        "group_activities",
        "参加小组活动",
        (("on", "日期"), ("group", "小组"), ("kind", "活动形式"), ("topic", "主题")),
    ),
    Section(
        "trainings",
        "参加培训",
        (
            ("title", "培训班"),
            ("starts", "开班"),
            ("days_attended", "出勤天数"),
            ("completed_on", "结业"),
        ),
        dated_by="starts",
    ),
    Section(
        "liaisons",
        "常委会组成人员联系（双联系）",
        (("member", "联系人"), ("since", "起"), ("until", "止")),
        dated_by=None,
    ),
    Section(
        "contacts",
        "常委会组成人员联系情况",
        (("on", "日期"), ("member", "联系人"), ("form", "形式"), ("note", "内容")),
    ),
    Section(
        "constituent_reports",
        "向选民述职",
        (
            ("on", "日期"),
            ("place", "地点"),
            ("attendees", "参加人数"),
            ("evaluation_label", "评议"),
        ),
    ),
    Section(
        "bulletin_items",
        "《人大代表之声》专刊刊载",
        (("on", "日期"), ("issue", "期号"), ("title", "标题")),
    ),
)
BY_KEY = {s.key: s for s in SECTIONS}
