"""Training courses (培训班): the ``training`` view and report::

    renda report training --year 2023 [--area 22] [--level provincial] [--json]

``coverage_by_level`` is the share of deputies active at the end of the year who
completed a duty training (履职培训) in that year; ``coverage_by_level_term`` counts a
duty training completed at any time of the deputy's current mandate up to the year's
end. Both are kept per deputy (area and level of the deputy) as counters, so the
report reads a few rows and works ``--as-of``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click
from eventsourcing.dispatch import singledispatchmethod

from renda_adapters.rollup import rolled_up
from renda_adapters.timeline import cumulative, in_year, iso, rate, steps, sync, year_runs
from renda_core.domain.deputy import Deputy
from renda_core.domain.training import CourseKind, TrainingCourse
from renda_core.domain.values import Level, level_label, province_of
from renda_core.ports import hookimpl
from renda_core.ports.contracts import Report
from renda_core.projections.reports import ReportContext
from renda_core.projections.unit import ViewUnit
from renda_core.projections.views import FigureKey

if TYPE_CHECKING:
    from rich.table import Table

COURSE, DEPUTY = "course", "deputy"
DUTY = CourseKind.DUTY.value


@rolled_up(
    "trained",
    "active",
    "duty_covered",
    "duty_covered_term",
    "enrolments",
    "attendance_days",
    province=True,
)
class TrainingProjection:
    name = "training"
    version = 3  # 2: rolled up by prefecture, sections of issue 14; 3: province-wide
    pure = True  # changes nothing but its view: no undo copies (see Projection)
    topics = (
        "renda:Deputy.Registered",
        "renda:Deputy.DetailsCorrected",
        "renda:Deputy.MandateTerminated",
        "renda:TrainingCourse.Planned",
        "renda:TrainingCourse.DeputyEnrolled",
        "renda:TrainingCourse.AttendanceRecorded",
        "renda:TrainingCourse.DeputyCompleted",
    )

    @singledispatchmethod
    def process_event(self, event: Any, view: ViewUnit) -> None:
        """Events of other kinds are not this adapter's business."""

    @process_event.register(Deputy.Registered)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = {
            "level": event.level,
            "area": event.area,
            "registered_on": event.on.isoformat(),
            "terminated_on": None,
            "completions": [],
        }
        _sync_deputy(view, doc)
        view.put(DEPUTY, str(event.originator_id), doc)

    @process_event.register(Deputy.DetailsCorrected)
    def _(self, event: Any, view: ViewUnit) -> None:
        if not {"level", "area"} & set(event.changes):
            return
        doc = _doc(view, DEPUTY, str(event.originator_id))
        for key in ("level", "area"):
            if key in event.changes:
                doc[key] = event.changes[key]
        _sync_deputy(view, doc)
        view.put(DEPUTY, str(event.originator_id), doc)

    @process_event.register(Deputy.MandateTerminated)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _doc(view, DEPUTY, str(event.originator_id))
        doc["terminated_on"] = event.on.isoformat()
        _sync_deputy(view, doc)
        view.put(DEPUTY, str(event.originator_id), doc)

    @process_event.register(TrainingCourse.Planned)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = {
            "kind": event.kind,
            "title": event.title,
            "topic": event.topic,
            "starts": event.starts.isoformat(),
            "ends": event.ends.isoformat(),
            "target_level": event.target_level,
            "enrolled": 0,
            "completed": 0,
        }
        view.add("classes", key=event.kind, level=event.target_level or "", year=event.starts.year)
        view.put(COURSE, str(event.originator_id), doc)

    @process_event.register(TrainingCourse.DeputyEnrolled)
    def _(self, event: Any, view: ViewUnit) -> None:
        course = _doc(view, COURSE, str(event.originator_id))
        course["enrolled"] += 1
        deputy = view.get(DEPUTY, event.deputy_id) or {}
        year = int(course["starts"][:4])
        view.add(
            "enrolments",
            key=course["kind"],
            area=deputy.get("area", ""),
            level=deputy.get("level", ""),
            year=year,
        )
        view.put(COURSE, str(event.originator_id), course)

    @process_event.register(TrainingCourse.AttendanceRecorded)
    def _(self, event: Any, view: ViewUnit) -> None:
        course = _doc(view, COURSE, str(event.originator_id))
        deputy = view.get(DEPUTY, event.deputy_id) or {}
        view.add(
            "attendance_days",
            key=course["kind"],
            area=deputy.get("area", ""),
            level=deputy.get("level", ""),
            year=event.on.year,
        )

    @process_event.register(TrainingCourse.DeputyCompleted)
    def _(self, event: Any, view: ViewUnit) -> None:
        course = _doc(view, COURSE, str(event.originator_id))
        course["completed"] += 1
        view.put(COURSE, str(event.originator_id), course)
        deputy = _doc(view, DEPUTY, event.deputy_id)
        deputy["completions"].append([course["kind"], event.on.isoformat()])
        _sync_deputy(view, deputy)
        view.put(DEPUTY, event.deputy_id, deputy)


def _doc(view: ViewUnit, kind: str, key: str) -> dict[str, Any]:
    doc = view.get(kind, key)
    if doc is None:
        raise LookupError(f"{kind} {key} is not in the training view")
    return doc


def _sync_deputy(view: ViewUnit, doc: dict[str, Any]) -> None:
    where = {"area": doc["area"], "level": doc["level"]}
    registered = iso(doc["registered_on"])
    terminated = iso(doc["terminated_on"])
    assert registered is not None
    active_years = year_runs([(registered, terminated)], at_year_end=True)
    new: dict[FigureKey, int] = steps("active", active_years, **where)  # a dict of its own

    def active_at_end(year: int) -> bool:
        return any(first <= year and (last is None or year <= last) for first, last in active_years)

    completions = [(kind, date.fromisoformat(on)) for kind, on in doc["completions"]]
    for kind, year in sorted({(k, d.year) for k, d in completions}):
        new[("trained", kind, doc["area"], doc["level"], year)] = 1
        if kind == DUTY and active_at_end(year):
            new[("duty_covered", "", doc["area"], doc["level"], year)] = 1
    duty = [d for k, d in completions if k == DUTY]
    if duty:
        start = max(registered, min(duty))
        runs = year_runs([(start, terminated)], at_year_end=True)
        new.update(steps("duty_covered_term", runs, **where))
    sync(view, doc, new)


def build_training(ctx: ReportContext, year: int | None = None) -> dict[str, Any]:
    """The training report: classes, deputies trained, duty-training coverage by level."""
    if year is None:
        year = ctx.today.year
    classes = {k.value: 0 for k in CourseKind}
    classes.update(in_year(ctx, "classes", year, "key"))
    trained = {k.value: 0 for k in CourseKind}
    trained.update(in_year(ctx, "trained", year, "key"))
    active = cumulative(ctx, "active", year, "level")
    covered = in_year(ctx, "duty_covered", year, "level")
    covered_term = cumulative(ctx, "duty_covered_term", year, "level")
    levels = [lv.value for lv in Level]
    return {
        "year": year,
        "area": ctx.area,
        "level": ctx.level,
        # the provincial-level division of the deputies counted (its levels' names)
        "province": province_of(ctx.by("active", "area")),
        "classes": {"total": sum(classes.values()), "by_kind": classes},
        "deputies_trained": trained,
        "active_by_level": {lv: active.get(lv, 0) for lv in levels},
        "duty_trained_by_level": {lv: covered.get(lv, 0) for lv in levels},
        "coverage_by_level": {lv: rate(covered.get(lv, 0), active.get(lv, 0)) for lv in levels},
        "coverage_by_level_term": {
            lv: rate(covered_term.get(lv, 0), active.get(lv, 0)) for lv in levels
        },
        "enrolments": in_year(ctx, "enrolments", year),
        "attendance_days": in_year(ctx, "attendance_days", year),
        "as_of": ctx.as_of_label,
    }


def render_training(data: dict[str, Any], lang: str = "zh") -> Table:
    from rich.table import Table

    zh = lang == "zh"
    year = data["year"]
    table = Table(title=f"{year}年代表培训" if zh else f"Training in {year}")
    table.add_column("指标" if zh else "Figure")
    table.add_column("数值" if zh else "Value", justify="right")
    table.add_row("培训班（期）" if zh else "Classes", str(data["classes"]["total"]))
    for kind in CourseKind:
        label = f"  {kind.label}" if zh else f"  {kind.value}"
        table.add_row(label, str(data["classes"]["by_kind"][kind.value]))
        table.add_row(
            f"  {kind.label}结业代表" if zh else f"  deputies trained ({kind.value})",
            str(data["deputies_trained"][kind.value]),
        )
    for level in Level:
        value = data["coverage_by_level"][level.value]
        if data["active_by_level"][level.value]:
            name = level_label(level.value, data.get("province"))
            table.add_row(
                f"{name}级代表履职培训覆盖率" if zh else f"Duty coverage ({level.value})",
                "—" if value is None else f"{value * 100:.1f}%",
            )
    if data.get("as_of"):
        table.caption = f"截至 {data['as_of']} 的记录" if zh else f"as recorded by {data['as_of']}"
    return table


def course_entries(ctx: ReportContext, kind: str | None = None) -> list[dict[str, Any]]:
    rows = []
    for key, doc in ctx.entities(COURSE):
        if kind and doc["kind"] != kind:
            continue
        if ctx.level and doc["target_level"] not in (None, ctx.level):
            continue
        rows.append({"id": key, **doc})
    return sorted(rows, key=lambda r: (r["starts"], r["title"], r["id"]))


@hookimpl
def renda_register_projections(register: Any) -> None:
    register(TrainingProjection())


@hookimpl
def renda_register_reports(register: Any) -> None:
    register(
        Report(
            name="training",
            title="代表培训 Training",
            projection=TrainingProjection.name,
            build=build_training,
            render=render_training,
            options=(
                click.Option(
                    ["--year"], type=int, help="Report year (business dates). Default: this year."
                ),
            ),
        )
    )


__all__ = ["TrainingProjection", "build_training", "course_entries", "render_training"]
