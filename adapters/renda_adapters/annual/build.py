"""Building the annual report from the section reports' views (no log scan).

Each section reads only the figures it names, rolled up by prefecture where the area
filter allows (:mod:`.read`), and no entity documents but a prefecture's name: the
report reads a bounded number of rows whatever the size of the province.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from renda_adapters.stations import PREFECTURE
from renda_adapters.suggestions import SEP, overdue_on
from renda_adapters.timeline import cumulative, in_year, rate
from renda_adapters.training import course_entries
from renda_core.application.base import store_errors
from renda_core.application.inputs import BUSINESS_TZ
from renda_core.application.inputs import today as business_today
from renda_core.application.store import StoreConfig
from renda_core.domain.bulletin import ItemKind
from renda_core.domain.division import BASE_KINDS, whole_of
from renda_core.domain.errors import InvalidInput, ProjectionFailed
from renda_core.domain.inspection import InspectionKind
from renda_core.domain.meeting import MeetingKind
from renda_core.domain.motion import Decision
from renda_core.domain.session import AttendanceStatus
from renda_core.domain.training import CourseKind
from renda_core.domain.values import MUNICIPALITIES, PROVINCE_PREFIXES, Level, area_prefix
from renda_core.ports.contracts import Report
from renda_core.projections import asof as asof_module
from renda_core.projections.asof import AsOf, LogReplay, as_of_from
from renda_core.projections.reports import fresh_context
from renda_core.projections.runner import ProjectionRunner

from .model import OPTIONAL_SECTIONS, AnnualReport
from .read import SectionContext

LEVELS = [level.value for level in Level]
DUTY, TOPICAL = CourseKind.DUTY.value, CourseKind.TOPICAL.value
#: the section reports the annual report reads (``meetings``: the meetings view;
#: ``plan``: the committee view)
NAMES = (
    "training",
    "stations",
    "deputies",
    "suggestions",
    "groups",
    "bulletin",
    "meetings",
    "plan",
)
#: figures read besides the rolled-up ones, by section (read in the same query)
OTHER_FIGURES = {
    "training": ("classes",),
    "bulletin": (
        "issues",
        "published",
        "items",
        "instructed",
        "instructions",
        "forwarded",
        "forwarded_created",
        "forwarded_replied",
    ),
    "meetings": (
        "sessions_held",
        "attendance",
        "meetings_held",
        "observers",
        "absence_warnings",
        "motions_submitted",
        "motions_received",
        "motions_decided",
        "motions_to_suggestions",
        "inspections",
        "inspection_participants",
        "inspection_reports",
        "feedback_requested",
        "feedback_received",
        "feedback_outstanding",
        "constituent_reports",
    ),
    "plan": ("plan_tasks", "plan_tasks_completed"),
}


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _prefix(code: str) -> str:
    """The code prefix of a prefecture (220100 → 2201, 222400 → 2224)."""
    return code[:4]


def check_year_begun(year: int, day: date) -> None:
    """Refuse a report of ``year`` on ``day``, before that year has begun."""
    if year > (latest := day.year):
        on = day.isoformat()
        raise InvalidInput(
            f"the year {year} has not begun on {on}: there is no recorded work of it to report",
            [{"field": "year", "message": f"at most {latest}"}],
        )


def build_annual(
    runner: ProjectionRunner,
    reports: Mapping[str, Report],
    *,
    year: int,
    area: str | None = None,
    level: str | None = None,
    as_of: AsOf | date | None = None,
) -> dict[str, Any]:
    """The annual report for ``year``, optionally for an area prefix and a level, as the
    log was recorded by ``as_of`` (a date: the end of that day, Beijing time). Returns
    data valid for AnnualReport. A year that has not begun by ``as_of`` (else today) is
    :class:`InvalidInput`: no work of it can have been recorded, and a report of zeros
    would say there was none."""
    moment = as_of_from(as_of)
    check_year_begun(year, moment.day if moment is not None else business_today())
    if area is not None:  # a division's own code is the division (220100: 2201)
        area = area_prefix(area) or None

    # One catch-up for every view the report reads (adapters at one position share it).
    for result in runner.catch_up([reports[n].projection for n in NAMES]):
        if result.error:
            raise ProjectionFailed(
                f"the '{result.name}' adapter failed {result.error}; "
                "the report would be stale (see `renda projections status`)"
            )

    # The sections' documents as of the moment: one pass over the log for them all.
    replay = LogReplay(runner, moment) if moment is not None else None

    def context(name: str) -> SectionContext:
        projection = reports[name].projection
        ctx = fresh_context(
            runner,
            projection,
            as_of=moment,
            area=area,
            level=level,
            catch_up=False,
            check=False,  # caught up (and so checked) above: no second read of positions
            replay=replay,
        )
        adapter = runner.projections[projection]
        rolled: frozenset[str] = getattr(adapter, "rolled", frozenset())
        section_ctx = SectionContext.of(ctx, rolled, getattr(adapter, "province", ()))
        section_ctx.prefetch([*rolled, *OTHER_FIGURES.get(name, ())])
        return section_ctx

    def section(name: str, **options: Any) -> tuple[dict[str, Any], Any]:
        ctx = context(name)
        return reports[name].build(ctx, **options), ctx

    if replay is not None:
        for name in NAMES:
            projection = reports[name].projection
            with store_errors("cannot read the view"):
                replay.want(projection, runner.view(projection).position_at(replay.as_of.moment))
    training, training_ctx = section("training", year=year)
    stations, stations_ctx = section("stations", year=year)
    province = _province(stations_ctx)
    roster, roster_ctx = section("deputies")
    suggestions = _suggestions(context("suggestions"), year)
    groups, groups_ctx = section("groups", year=year)
    bulletin, _ = section("bulletin", year=year)

    by_target = _classes_by_target(training_ctx, year)
    trained_levels = set(by_target.get(DUTY, {})) | {
        lv for lv, n in training["duty_trained_by_level"].items() if n
    }
    coverage = {
        lv: rate
        for lv, rate in training["coverage_by_level"].items()
        if lv in trained_levels or "all" in trained_levels
    }
    entered = stations["deputies_entered"]
    opinions = stations["opinions"]
    data: dict[str, Any] = {
        "meta": {
            "year": year,
            "area": area,
            "area_name": _area_name(stations_ctx, area, province),
            "province": province,
            "level": level,
            "as_of": moment.label if moment else None,
        },
        "training": {
            "classes": {"total": training["classes"]["total"], **training["classes"]["by_kind"]},
            "classes_by_target": by_target,
            "topics": _topics(training_ctx, year),
            "deputies_trained": dict(training["deputies_trained"]),
            "duty_coverage": {lv: _number(coverage.get(lv)) for lv in LEVELS},
        },
        "stations": {
            "divisions_total": stations["divisions_total"],
            "divisions_covered": stations["divisions_covered"],
            "coverage_rate": stations["coverage_rate"],
            "stations_open": stations["stations_open"],
            "deputies_entered": {"total": entered["total"], **entered["by_level"]},
            "activities": {
                "total": stations["activities"]["total"],
                "by_kind": stations["activities"]["by_kind"],
                "by_month": stations["activities"]["by_month"],
            },
            "people_received": stations["people_received"],
            "opinions_collected": opinions["collected"],
            "items_pushed": opinions["items_pushed"],
            "closed_loop_rate": _number(opinions["closed_loop_rate"]),
            "median_days_to_feedback": _number(opinions["median_days_to_feedback"]),
            "coverage_by_prefecture": _coverage_by_prefecture(stations_ctx, year, province),
        },
        "liaison": {
            "deputies_contacted": roster["deputies_contacted"].get(str(year), 0),
            "deputies_contacted_by_level": _nonzero(
                roster_ctx.by("deputies_contacted", "level", year=year)
            ),
            "liaison_deputies": roster["liaison_deputies"],
            "contacts": roster["contacts"].get(str(year), 0),
            "contacts_by_form": _nonzero(roster_ctx.by("contacts", "key", year=year)),
        },
        "suggestions": {
            "submitted": suggestions["submitted"],
            "accepted": suggestions["accepted"],
            "assigned": suggestions["assigned"],
            "handled": suggestions["replied"],
            "replied_rate": _number(suggestions["replied_rate"]),
            "on_time_rate": _number(suggestions["on_time_rate"]),
            "by_class": dict(suggestions["by_class"]),
            "satisfaction_first": _number(suggestions["satisfaction_first"]),
            "satisfaction_final": _number(suggestions["satisfaction_final"]),
            "rehandled": suggestions["rehandled"],
            "overdue": suggestions["overdue"],
        },
        "groups": {
            "groups": groups["groups"],
            "groups_by_level": _nonzero(cumulative(groups_ctx, "groups", year, "level")),
            "activities": {
                "total": groups["activities"]["total"],
                "by_kind": groups["activities"]["by_kind"],
            },
            "disputes_handled": groups["disputes_handled"],
            "disputes_resolved": groups["disputes_resolved"],
        },
        "bulletin": {
            "issues": bulletin["issues"],
            "items": bulletin["items"],
            "items_by_kind": {
                kind.value: bulletin["items_by_kind"].get(kind.value, 0) for kind in ItemKind
            },
            **{k: bulletin[k] for k in ("instructed", "forwarded", "forwarded_replied")},
        },
    }
    data.update(_processes(context("meetings"), context("plan"), year, area))
    report = AnnualReport.model_validate(data).model_dump(mode="json")
    for name in OPTIONAL_SECTIONS:
        if report[name] is None:
            del report[name]
    return report


def report_position(
    runner: ProjectionRunner, reports: Mapping[str, Report], as_of: AsOf | date | None = None
) -> int:
    """The log position the annual report reflects: the furthest its views had processed
    (by the recorded moment ``as_of``, if given)."""
    moment = as_of_from(as_of)
    positions = []
    for name in NAMES:
        projection = reports[name].projection
        with store_errors("cannot read the view"):
            if moment is None:
                positions.append(runner.position(projection))
            else:
                positions.append(runner.view(projection).position_at(moment.moment))
    return max(positions, default=0)


def describe_store(store: StoreConfig) -> str:
    """The store as the page's footer names it (a URL never carries its password)."""
    return f"{store.backend}: {store.location}"


def now_label() -> str:
    """The current moment in Beijing time, to the second (the report's own clock)."""
    return asof_module.now().astimezone(BUSINESS_TZ).isoformat(timespec="seconds")


def _suggestions(ctx: SectionContext, year: int) -> dict[str, Any]:
    """The figures of the suggestions report the annual report prints, from counters
    only (overdue too: ``open_reply_due``), judged on the context's business date."""

    def total(figure: str) -> int:
        return ctx.total(figure, year=year)

    by_class: dict[str, int] = {}
    for key, value in ctx.by("reply_class", "key", year=year).items():
        cls = key.partition(SEP)[0]
        if value:
            by_class[cls] = by_class.get(cls, 0) + value
    assigned, replied = total("assigned"), total("replied")
    return {
        "submitted": total("submitted"),
        "accepted": total("accepted"),
        "assigned": assigned,
        "replied": replied,
        "replied_rate": rate(replied, assigned),
        "on_time_rate": rate(total("replied_on_time"), replied),
        "by_class": dict(sorted(by_class.items())),
        "satisfaction_first": rate(total("satisfied_first"), total("evaluated_first")),
        "satisfaction_final": rate(total("satisfied_final"), total("evaluated_final")),
        "rehandled": total("rehandled"),
        "overdue": overdue_on(ctx, ctx.today, year),
    }


def _processes(
    meetings: SectionContext, plans: SectionContext, year: int, area: str | None
) -> dict[str, Any]:
    """Issue 14's sections, each only when the year has data for it. Motions,
    inspections and plans are not counted by area: with ``area`` they are left out."""

    def of(figure: str, ctx: SectionContext = meetings) -> int:
        return int(in_year(ctx, figure, year))

    def by(figure: str, enum: Any) -> dict[str, int]:
        found = in_year(meetings, figure, year, "key")
        return {m.value: int(found.get(m.value, 0)) for m in enum}

    out: dict[str, Any] = {}
    attendance = by("attendance", AttendanceStatus)
    sessions: dict[str, Any] = {
        "sessions_held": of("sessions_held"),
        "attendance": attendance,
        "attendance_rate": rate(attendance["present"], sum(attendance.values())),
        "meetings_held": by("meetings_held", MeetingKind),
        "observers": by("observers", MeetingKind),
        "absence_warnings": of("absence_warnings"),
    }
    if (
        sessions["sessions_held"]
        or any(attendance.values())
        or any(sessions["meetings_held"].values())
    ):
        out["sessions"] = sessions
    reports = of("constituent_reports")
    if reports:
        out["accountability"] = {"constituent_reports": reports}
    if area:
        return out
    decided = by("motions_decided", Decision)
    motions = {
        "submitted": of("motions_submitted"),
        "received": of("motions_received"),
        "on_agenda": decided[Decision.AGENDA.value],
        "not_on_agenda": decided[Decision.NOT_AGENDA.value],
        "handled_as_suggestions": of("motions_to_suggestions"),
    }
    if any(motions.values()):
        out["motions"] = motions
    received = in_year(meetings, "feedback_received", year)
    inspections: dict[str, Any] = {
        "held": by("inspections", InspectionKind),
        "participants": by("inspection_participants", InspectionKind),
        "reports": by("inspection_reports", InspectionKind),
        "feedback_requested": of("feedback_requested"),
        "feedback_received": int(received),
        "feedback_outstanding": of("feedback_outstanding"),
    }
    if any(inspections["held"].values()) or any(inspections["reports"].values()):
        out["inspections"] = inspections
    tasks, completed = of("plan_tasks", plans), of("plan_tasks_completed", plans)
    if tasks:
        out["plan"] = {
            "tasks": tasks,
            "completed": completed,
            "completion_rate": rate(completed, tasks),
        }
    return out


def _nonzero(counts: Mapping[str, int]) -> dict[str, int]:
    return {k: v for k, v in sorted(counts.items()) if v}


def _classes_by_target(ctx: Any, year: int) -> dict[str, dict[str, int]]:
    """Classes of ``year`` by kind, then by the level they were held for ('all': any)."""
    out: dict[str, dict[str, int]] = {}
    for row in ctx.figures(["classes"]):
        if row.year == year and row.value:
            target = out.setdefault(row.key, {})
            target[row.level or "all"] = target.get(row.level or "all", 0) + row.value
    order = {kind.value: i for i, kind in enumerate(CourseKind)}
    levels = {level: i for i, level in enumerate([*LEVELS, "all"])}
    return {
        kind: {lv: n for lv, n in sorted(targets.items(), key=lambda t: levels[t[0]]) if n}
        for kind, targets in sorted(out.items(), key=lambda t: order.get(t[0], 99))
        if any(targets.values())
    }


def _topics(ctx: Any, year: int) -> list[str]:
    """The topics (else titles) of the year's topical classes, by start date, once each."""
    topics: list[str] = []
    for course in course_entries(ctx, TOPICAL):
        topic = course.get("topic") or course.get("title")
        if course["starts"].startswith(f"{year}-") and topic and topic not in topics:
            topics.append(str(topic))
    return topics


def _area_name(ctx: Any, area: str | None, province: str | None) -> str:
    if not area:
        return whole_of(province)
    doc = ctx.entity("division", area.ljust(6, "0")) if len(area) <= 6 else None
    if doc is None:
        doc = ctx.entity("division", area)
    return str(doc["name"]) if doc else area


def _province(ctx: Any) -> str | None:
    """The two-digit code of the provincial-level division the store records: its
    prefectures' (one look-up per prefecture), else the one province-level division
    recorded (a municipality's districts sit under it directly); ``None`` when neither
    tells one."""
    prefixes = {str(code)[:2] for code, _ in ctx.entities(PREFECTURE)}
    if len(prefixes) != 1:
        prefixes = {p for p in sorted(PROVINCE_PREFIXES) if ctx.entity("division", p + "0000")}
    return next(iter(prefixes)) if len(prefixes) == 1 else None


def _coverage_by_prefecture(ctx: Any, year: int, province: str | None) -> dict[str, Any]:
    """Coverage of township/street divisions per prefecture, from the same counters; a
    municipality's, which has no prefectures, per district and county; the county-level
    units a province administers directly (省直辖县级行政单位, XX90YY: 湖北's 仙桃市,
    海南's 文昌市) each on its own row, as the province's reports list them."""
    if province in MUNICIPALITIES:
        return _coverage_by_district(ctx, year)
    prefectures = {code: doc["name"] for code, doc in ctx.entities(PREFECTURE)}
    totals: dict[str, int] = {}
    for row in ctx.figures(["divisions"]):
        if row.key in BASE_KINDS:
            totals[_prefix(row.area)] = totals.get(_prefix(row.area), 0) + row.value
    covered: dict[str, int] = {}
    for code, value in cumulative(ctx, "divisions_covered", year, "area").items():
        covered[_prefix(code)] = covered.get(_prefix(code), 0) + value
    out: dict[str, Any] = {}
    for code, name in sorted(prefectures.items()):
        total = totals.get(_prefix(code), 0)
        done = covered.get(_prefix(code), 0)
        if ctx.area and not code.startswith(ctx.area[:4]) and not ctx.area.startswith(code[:4]):
            continue
        out[code] = {
            "name": name,
            "divisions_total": total,
            "divisions_covered": done,
            "coverage_rate": round(done / total, 4) if total else None,
        }
    for prefix in sorted(p for p in totals if p[2:4] == "90"):  # directly administered
        out.update(_coverage_by_district(ctx, year, prefix))
    return dict(sorted(out.items()))


def _coverage_by_district(ctx: Any, year: int, under: str = "") -> dict[str, Any]:
    """Coverage per county-level division (区县, the first six digits of its townships'
    and streets' codes) of those whose code starts with ``under``, from the townships'
    own counters: the rolled ones are per four digits, which a municipality's districts
    share (1101), as do the units a province administers directly (4290)."""
    own = SectionContext.of(ctx, ())  # no figure read rolled up
    totals: dict[str, int] = {}
    for row in own.figures(["divisions"]):
        if row.key in BASE_KINDS and len(row.area) > 6 and row.area.startswith(under):
            totals[row.area[:6]] = totals.get(row.area[:6], 0) + row.value
    covered: dict[str, int] = {}
    for code, value in cumulative(own, "divisions_covered", year, "area").items():
        if code.startswith(under):
            covered[code[:6]] = covered.get(code[:6], 0) + value
    out: dict[str, Any] = {}
    for code in sorted(totals):
        if ctx.area and not code.startswith(ctx.area[:6]) and not ctx.area.startswith(code):
            continue
        doc = ctx.entity("division", code)
        total, done = totals[code], covered.get(code, 0)
        out[code] = {
            "name": doc["name"] if doc else code,
            "divisions_total": total,
            "divisions_covered": done,
            "coverage_rate": round(done / total, 4) if total else None,
        }
    return out
