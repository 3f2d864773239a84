"""Reports and lists read from the ``meetings`` view::

renda report meetings --year 2025      sessions, attendance, 常委会会议 and 列席, warnings
renda report motions --year 2025       motions submitted, decided, passed, to suggestions
renda report inspections --year 2025   inspections and research, reports, feedback
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from renda_adapters.meetings.view import DEPUTY, INSPECTION, MEETING, MOTION, SESSION
from renda_adapters.timeline import in_year
from renda_core.domain.inspection import InspectionKind
from renda_core.domain.meeting import MeetingKind
from renda_core.domain.motion import Decision, MotionStatus
from renda_core.domain.session import AttendanceStatus
from renda_core.projections.reports import ReportContext

if TYPE_CHECKING:
    from rich.table import Table


def _year(ctx: ReportContext, year: int | None) -> int:
    return ctx.today.year if year is None else year


def _zeros(enum: Any) -> dict[str, int]:
    return {m.value: 0 for m in enum}


def build_meetings(ctx: ReportContext, year: int | None = None) -> dict[str, Any]:
    """Sessions held, attendance by status, standing-committee meetings and forums with
    their observers (列席), and deputies warned for two sessions missed without leave."""
    year = _year(ctx, year)
    attendance = _zeros(AttendanceStatus) | in_year(ctx, "attendance", year, "key")
    recorded = sum(attendance.values())
    return {
        "year": year,
        "area": ctx.area,
        "level": ctx.level,
        "sessions_held": in_year(ctx, "sessions_held", year),
        "attendance": attendance,
        "attendance_rate": round(attendance["present"] / recorded, 4) if recorded else None,
        "meetings_held": _zeros(MeetingKind) | in_year(ctx, "meetings_held", year, "key"),
        "observers": _zeros(MeetingKind) | in_year(ctx, "observers", year, "key"),
        "absence_warnings": in_year(ctx, "absence_warnings", year),
        "as_of": ctx.as_of_label,
    }


def render_meetings(data: dict[str, Any], lang: str = "zh") -> Table:
    from rich.table import Table

    zh = lang == "zh"
    table = Table(title=f"{data['year']}年会议与出席" if zh else f"Meetings in {data['year']}")
    table.add_column("指标" if zh else "Figure")
    table.add_column("数值" if zh else "Value", justify="right")
    table.add_row("人民代表大会会议" if zh else "Congress sessions", str(data["sessions_held"]))
    for status in AttendanceStatus:
        label = f"  {status.label}" if zh else f"  {status.value}"
        table.add_row(label, str(data["attendance"][status.value]))
    for kind in MeetingKind:
        table.add_row(kind.label if zh else kind.value, str(data["meetings_held"][kind.value]))
        table.add_row(
            f"  {kind.label}列席代表（人次）" if zh else f"  observers ({kind.value})",
            str(data["observers"][kind.value]),
        )
    table.add_row(
        "未经批准两次缺席的代表（提示）" if zh else "Warned: two sessions missed without leave",
        str(data["absence_warnings"]),
    )
    return table


def build_motions(ctx: ReportContext, year: int | None = None) -> dict[str, Any]:
    """Motions submitted (by proposer), the presidium's decisions, votes, and those
    handled as suggestions."""
    year = _year(ctx, year)
    return {
        "year": year,
        "area": ctx.area,
        "level": ctx.level,
        "submitted": in_year(ctx, "motions_submitted", year),
        "submitted_by_proposer": in_year(ctx, "motions_submitted", year, "key"),
        "decided": _zeros(Decision) | in_year(ctx, "motions_decided", year, "key"),
        "voted": {"passed": 0, "not_passed": 0} | in_year(ctx, "motions_voted", year, "key"),
        "handled_as_suggestions": in_year(ctx, "motions_to_suggestions", year),
        "as_of": ctx.as_of_label,
    }


def render_motions(data: dict[str, Any], lang: str = "zh") -> Table:
    from rich.table import Table

    zh = lang == "zh"
    table = Table(title=f"{data['year']}年代表议案" if zh else f"Motions in {data['year']}")
    table.add_column("指标" if zh else "Figure")
    table.add_column("数值" if zh else "Value", justify="right")
    table.add_row("提出议案" if zh else "Submitted", str(data["submitted"]))
    for decision in Decision:
        label = decision.label if zh else decision.value
        table.add_row(label, str(data["decided"][decision.value]))
    table.add_row("  通过" if zh else "  passed", str(data["voted"]["passed"]))
    table.add_row("  未通过" if zh else "  not passed", str(data["voted"]["not_passed"]))
    table.add_row(
        "作为建议处理" if zh else "Handled as suggestions", str(data["handled_as_suggestions"])
    )
    return table


def build_inspections(ctx: ReportContext, year: int | None = None) -> dict[str, Any]:
    """Inspections and research held (by kind), deputies taking part (人次), reports,
    the year's research topics, and the feedback of the inspected bodies."""
    year = _year(ctx, year)
    received = {"on_time": 0, "late": 0} | in_year(ctx, "feedback_received", year, "key")
    return {
        "year": year,
        "area": ctx.area,
        "level": ctx.level,
        "held": _zeros(InspectionKind) | in_year(ctx, "inspections", year, "key"),
        "participants": _zeros(InspectionKind)
        | in_year(ctx, "inspection_participants", year, "key"),
        "reports": _zeros(InspectionKind) | in_year(ctx, "inspection_reports", year, "key"),
        "annual_topics": in_year(ctx, "annual_topics", year),
        "feedback_requested": in_year(ctx, "feedback_requested", year),
        "feedback_received": received,
        "as_of": ctx.as_of_label,
    }


def render_inspections(data: dict[str, Any], lang: str = "zh") -> Table:
    from rich.table import Table

    zh = lang == "zh"
    table = Table(title=f"{data['year']}年视察调研" if zh else f"Inspections in {data['year']}")
    table.add_column("指标" if zh else "Figure")
    table.add_column("数值" if zh else "Value", justify="right")
    for kind in InspectionKind:
        table.add_row(kind.label if zh else kind.value, str(data["held"][kind.value]))
        table.add_row(
            "  参加代表（人次）" if zh else "  deputies taking part",
            str(data["participants"][kind.value]),
        )
        table.add_row("  报告" if zh else "  reports", str(data["reports"][kind.value]))
    table.add_row("年度重点课题" if zh else "Annual research topics", str(data["annual_topics"]))
    table.add_row("要求反馈" if zh else "Feedback requested", str(data["feedback_requested"]))
    table.add_row(
        "按期反馈" if zh else "Feedback on time", str(data["feedback_received"]["on_time"])
    )
    table.add_row("逾期反馈" if zh else "Feedback late", str(data["feedback_received"]["late"]))
    return table


# -- lists -----------------------------------------------------------------------------


def meeting_entries(ctx: ReportContext, kind: str | None = None) -> list[dict[str, Any]]:
    """Standing-committee meetings and forums, by opening day."""
    rows = [
        {"id": key, **doc, "observers": len(doc["observers"])}
        for key, doc in ctx.entities(MEETING)
        if (kind is None or doc["kind"] == kind) and (not ctx.level or doc["level"] == ctx.level)
    ]
    return sorted(rows, key=lambda r: (r["opened_on"], r["title"], r["id"]))


def motion_entries(ctx: ReportContext, status: str | None = None) -> list[dict[str, Any]]:
    """Motions, by drafting day."""
    rows = [
        {"id": key, **doc, "status_label": MotionStatus.of(doc["status"]).label}
        for key, doc in ctx.entities(MOTION)
        if (status is None or doc["status"] == status)
        and (not ctx.level or doc["level"] == ctx.level)
    ]
    return sorted(rows, key=lambda r: (r["drafted_on"], r["title"], r["id"]))


def inspection_entries(ctx: ReportContext, kind: str | None = None) -> list[dict[str, Any]]:
    """Inspections and research, by starting day."""
    rows = [
        {
            "id": key,
            **{k: v for k, v in doc.items() if k not in ("participants", "feedback")},
            "participants": len(doc["participants"]),
            "feedback_requested": len(doc["feedback"]),
            "feedback_received": sum(1 for f in doc["feedback"].values() if f["received_on"]),
        }
        for key, doc in ctx.entities(INSPECTION)
        if (kind is None or doc["kind"] == kind) and (not ctx.level or doc["level"] == ctx.level)
    ]
    return sorted(rows, key=lambda r: (r["starts"], r["topic"], r["id"]))


def absence_warnings(ctx: ReportContext) -> list[dict[str, Any]]:
    """Deputies with two or more sessions of one term missed without leave (缺席)."""
    titles = {key: doc["title"] for key, doc in ctx.entities(SESSION)}
    rows = []
    for key, doc in ctx.entities(DEPUTY):
        if ctx.level and doc["level"] != ctx.level:
            continue
        if ctx.area and not doc["area"].startswith(ctx.area):
            continue
        for term, missed in doc["missed"].items():
            if len(missed) >= 2:
                level, number = term.split("/")
                rows.append(
                    {
                        "deputy_id": key,
                        "name": doc["name"],
                        "level": level,
                        "term": int(number),
                        "absences": [
                            {"session_id": s, "title": titles.get(s), "opened_on": on}
                            for s, on in missed
                        ],
                    }
                )
    return sorted(rows, key=lambda r: (r["level"], r["term"], r["name"], r["deputy_id"]))
