"""Stations and the closed loop of public opinion (代表家站 · 社情民意).

A projection adapter (view ``stations``) over divisions, stations, opinions and the
deputies' mandates, and the ``stations`` report::

    renda report stations --year 2023 [--area 2201] [--as-of MOMENT] [--json]

Coverage, open stations and deputies on rosters are kept as year steps (see
:mod:`renda_adapters.timeline`), so a year's figure is a sum over a few rows and
``--as-of`` reads the counters' history.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click
from eventsourcing.dispatch import singledispatchmethod

from renda_adapters.rollup import rolled_up
from renda_adapters.timeline import (
    cumulative,
    in_year,
    iso,
    median_from_histogram,
    rate,
    steps,
    sync,
    year_runs,
)
from renda_core.domain.deputy import Deputy
from renda_core.domain.division import BASE_KINDS, Division, DivisionKind
from renda_core.domain.opinion import Opinion, Rating
from renda_core.domain.station import ActivityKind, Station, StationKind
from renda_core.domain.values import MUNICIPALITIES, Level, level_label, province_of
from renda_core.ports import hookimpl
from renda_core.ports.contracts import Report
from renda_core.projections.reports import ReportContext
from renda_core.projections.unit import ViewUnit
from renda_core.projections.views import FigureKey

if TYPE_CHECKING:
    from rich.table import Table

DIVISION, STATION, DEPUTY, OPINION = "division", "station", "deputy", "opinion"
PREFECTURE = "prefecture"  # a prefecture's name, so a report needs no division list


#: what the annual report shows by prefecture; the other rolled-up figures it reads
#: province-wide (see :mod:`renda_adapters.rollup`)
BY_PREFECTURE = ("divisions", "divisions_covered")
PROVINCE_WIDE = (
    "stations_open",
    "stations_established",
    "activities",
    "activities_by_month",
    "people_received",
    "deputies_entered",
    "deputies_on_roster",
    "collected",
    "accepted",
    "loop_accepted",
    "out_of_scope",
    "merged",
    "answered_on_the_spot",
    "handled",
    "referred",
    "escalated",
    "fed_back",
    "items_pushed",
    "loop_fed_back",
    "days_to_feedback",
    "evaluations",
    "reopened",
    "closed",
)


@rolled_up(*BY_PREFECTURE, *PROVINCE_WIDE, province=PROVINCE_WIDE)
class StationsProjection:
    """Divisions, stations, rosters, activities and opinions, as counters and docs."""

    name = "stations"
    version = 3  # 2: rolled up by prefecture, sections of issue 14; 3: province-wide
    pure = True  # changes nothing but its view: no undo copies (see Projection)
    topics = (
        "renda:Division.Recorded",
        "renda:Division.Corrected",
        "renda:Station.Established",
        "renda:Station.DeputyEntered",
        "renda:Station.DeputyLeft",
        "renda:Station.ActivityHeld",
        "renda:Station.Closed",
        "renda:Deputy.DetailsCorrected",
        "renda:Deputy.MandateTerminated",
        "renda:Opinion.Collected",
        "renda:Opinion.Screened",
        "renda:Opinion.DuplicateMerged",
        "renda:Opinion.AnsweredOnTheSpot",
        "renda:Opinion.Referred",
        "renda:Opinion.Escalated",
        "renda:Opinion.ResultRecorded",
        "renda:Opinion.FedBack",
        "renda:Opinion.Evaluated",
        "renda:Opinion.Closed",
    )

    @singledispatchmethod
    def process_event(self, event: Any, view: ViewUnit) -> None:
        """Events of other kinds are not this adapter's business."""

    # -- divisions ----------------------------------------------------------------

    @process_event.register(Division.Recorded)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = {
            "code": event.code,
            "name": event.name,
            "kind": event.kind,
            "parent_code": event.parent_code,
            "recorded_on": event.on.isoformat(),
            "stations": {},
        }
        view.add("divisions", key=event.kind, area=event.code)
        view.put(DIVISION, event.code, doc)
        if event.kind == DivisionKind.PREFECTURE.value:
            view.put(PREFECTURE, event.code, {"name": event.name})

    @process_event.register(Division.Corrected)
    def _(self, event: Any, view: ViewUnit) -> None:
        code = event.code
        doc = _doc(view, DIVISION, code)
        if "kind" in event.changes and event.changes["kind"] != doc["kind"]:
            view.add("divisions", -1, key=doc["kind"], area=code)
            view.add("divisions", key=event.changes["kind"], area=code)
        doc.update({k: v for k, v in event.changes.items() if k in ("name", "kind", "parent_code")})
        _sync_division(view, doc)
        view.put(DIVISION, code, doc)
        _sync_prefecture(view, doc)

    # -- stations -----------------------------------------------------------------

    @process_event.register(Station.Established)
    def _(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        doc: dict[str, Any] = {
            "name": event.name,
            "kind": event.kind,
            "division": event.division,
            "co_located": list(event.co_located),
            "established_on": event.on.isoformat(),
            "closed_on": None,
            "status": "open",
            "roster": {},
            "activities": 0,
            "people_received": 0,
        }
        _sync_station(view, doc)
        view.add("stations_established", key=event.kind, area=event.division, year=event.on.year)
        view.put(STATION, key, doc)
        division = view.get(DIVISION, event.division)
        if division is not None:
            division["stations"][key] = [event.on.isoformat(), None]
            _sync_division(view, division)
            view.put(DIVISION, event.division, division)

    @process_event.register(Station.DeputyEntered)
    def _(self, event: Any, view: ViewUnit) -> None:
        station_id = str(event.originator_id)
        station = _doc(view, STATION, station_id)
        station["roster"][event.deputy_id] = event.on.isoformat()
        view.put(STATION, station_id, station)
        deputy = view.get(DEPUTY, event.deputy_id) or {
            "level": event.level,
            "terminated_on": None,
            "memberships": [],
        }
        deputy["level"] = event.level
        deputy["memberships"].append(
            {
                "station": station_id,
                "division": station["division"],
                "since": event.on.isoformat(),
                "until": None,
                "closed": None,
            }
        )
        _sync_deputy(view, deputy)
        view.put(DEPUTY, event.deputy_id, deputy)

    @process_event.register(Station.DeputyLeft)
    def _(self, event: Any, view: ViewUnit) -> None:
        station_id = str(event.originator_id)
        station = _doc(view, STATION, station_id)
        station["roster"].pop(event.deputy_id, None)
        view.put(STATION, station_id, station)
        deputy = _doc(view, DEPUTY, event.deputy_id)
        for membership in reversed(deputy["memberships"]):
            if membership["station"] == station_id and membership["until"] is None:
                membership["until"] = event.on.isoformat()
                break
        _sync_deputy(view, deputy)
        view.put(DEPUTY, event.deputy_id, deputy)

    @process_event.register(Station.ActivityHeld)
    def _(self, event: Any, view: ViewUnit) -> None:
        station_id = str(event.originator_id)
        station = _doc(view, STATION, station_id)
        where = {"area": station["division"], "year": event.on.year}
        view.add("activities", key=event.kind, **where)
        view.add("activities_by_month", key=f"{event.on.month:02d}", **where)
        view.add("people_received", event.people_received, **where)
        view.add("deputy_attendances", len(event.deputies), **where)
        station["activities"] += 1
        station["people_received"] += event.people_received
        view.put(STATION, station_id, station)

    @process_event.register(Station.Closed)
    def _(self, event: Any, view: ViewUnit) -> None:
        station_id = str(event.originator_id)
        station = _doc(view, STATION, station_id)
        station["status"] = "closed"
        station["closed_on"] = event.on.isoformat()
        _sync_station(view, station)
        view.put(STATION, station_id, station)
        division = view.get(DIVISION, station["division"])
        if division is not None:
            division["stations"][station_id][1] = event.on.isoformat()
            _sync_division(view, division)
            view.put(DIVISION, station["division"], division)
        for deputy_id in station["roster"]:
            deputy = _doc(view, DEPUTY, deputy_id)
            for membership in deputy["memberships"]:
                if membership["station"] == station_id and membership["until"] is None:
                    membership["closed"] = event.on.isoformat()
            _sync_deputy(view, deputy)
            view.put(DEPUTY, deputy_id, deputy)

    # -- deputies -------------------------------------------------------------------

    @process_event.register(Deputy.DetailsCorrected)
    def _(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        if "level" not in event.changes or (deputy := view.get(DEPUTY, key)) is None:
            return
        deputy["level"] = event.changes["level"]
        _sync_deputy(view, deputy)
        view.put(DEPUTY, key, deputy)

    @process_event.register(Deputy.MandateTerminated)
    def _(self, event: Any, view: ViewUnit) -> None:
        key = str(event.originator_id)
        deputy = view.get(DEPUTY, key)
        if deputy is None:
            return
        deputy["terminated_on"] = event.on.isoformat()
        _sync_deputy(view, deputy)
        view.put(DEPUTY, key, deputy)

    # -- opinions -------------------------------------------------------------------

    @process_event.register(Opinion.Collected)
    def _(self, event: Any, view: ViewUnit) -> None:
        station = _doc(view, STATION, event.station_id)
        doc = {
            "station_id": event.station_id,
            "station": station["name"],
            "area": station["division"],
            "channel": event.channel,
            "category": event.category,
            "deputies": list(event.deputies),
            "collected_on": event.on.isoformat(),
            "status": "collected",
            "route": None,
            "fed_back_on": None,
            "counted": [],
        }
        _count(view, doc, "collected", event.on, key=event.channel)
        view.put(OPINION, str(event.originator_id), doc)

    @process_event.register(Opinion.Screened)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _doc(view, OPINION, str(event.originator_id))
        if event.outcome == "accepted":
            doc["status"] = "accepted"
            _count(view, doc, "accepted", event.on)
            collected = iso(doc["collected_on"])
            assert collected is not None
            _count(view, doc, "loop_accepted", collected)
        elif event.outcome == "out_of_scope":
            doc["status"] = "out_of_scope"
            _count(view, doc, "out_of_scope", event.on, key=event.advice or "")
        else:
            doc["status"] = "merged"
            doc["merged_into"] = event.merged_into
            _count(view, doc, "merged", event.on)
        view.put(OPINION, str(event.originator_id), doc)

    @process_event.register(Opinion.DuplicateMerged)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _doc(view, OPINION, str(event.originator_id))
        doc.setdefault("duplicates", []).append(event.duplicate_id)
        view.put(OPINION, str(event.originator_id), doc)

    @process_event.register(Opinion.AnsweredOnTheSpot)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _doc(view, OPINION, str(event.originator_id))
        doc["status"] = "handled"
        doc["route"] = "on_the_spot"
        _count(view, doc, "answered_on_the_spot", event.on)
        _count(view, doc, "handled", event.on)
        view.put(OPINION, str(event.originator_id), doc)

    @process_event.register(Opinion.Referred)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _doc(view, OPINION, str(event.originator_id))
        doc["status"] = "referred"
        doc["route"] = "referred"
        doc["due"] = event.due.isoformat()
        _count(view, doc, "referred", event.on, key=event.body_kind)
        view.put(OPINION, str(event.originator_id), doc)

    @process_event.register(Opinion.Escalated)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _doc(view, OPINION, str(event.originator_id))
        doc["status"] = "escalated"
        doc["route"] = "escalated"
        doc["escalated_to"] = {"kind": event.target_kind, "id": event.target_id}
        _count(view, doc, "escalated", event.on, key=event.target_kind)
        view.put(OPINION, str(event.originator_id), doc)

    @process_event.register(Opinion.ResultRecorded)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _doc(view, OPINION, str(event.originator_id))
        doc["status"] = "handled"
        _count(view, doc, "handled", event.on)
        view.put(OPINION, str(event.originator_id), doc)

    @process_event.register(Opinion.FedBack)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _doc(view, OPINION, str(event.originator_id))
        doc["status"] = "fed_back"
        view.add("fed_back", area=doc["area"], year=event.on.year)
        _count(view, doc, "items_pushed", event.on)
        if doc["fed_back_on"] is None:
            doc["fed_back_on"] = event.on.isoformat()
            collected = iso(doc["collected_on"])
            assert collected is not None
            _count(view, doc, "loop_fed_back", collected)
            days = (event.on - collected).days
            view.add("days_to_feedback", key=str(days), area=doc["area"], year=event.on.year)
        view.put(OPINION, str(event.originator_id), doc)

    @process_event.register(Opinion.Evaluated)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _doc(view, OPINION, str(event.originator_id))
        view.add("evaluations", key=event.rating, area=doc["area"], year=event.on.year)
        if event.rating == Rating.UNSATISFIED.value:
            doc["status"] = "accepted"
            doc["route"] = None
            view.add("reopened", area=doc["area"], year=event.on.year)
        else:
            doc["status"] = "closed"
            _count(view, doc, "closed", event.on)
        view.put(OPINION, str(event.originator_id), doc)

    @process_event.register(Opinion.Closed)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _doc(view, OPINION, str(event.originator_id))
        doc["status"] = "closed"
        _count(view, doc, "closed", event.on)
        view.put(OPINION, str(event.originator_id), doc)


# -- helpers of the projection ------------------------------------------------------


def _doc(view: ViewUnit, kind: str, key: str) -> dict[str, Any]:
    doc = view.get(kind, key)
    if doc is None:
        raise LookupError(f"{kind} {key} is not in the stations view")
    return doc


def _count(view: ViewUnit, doc: dict[str, Any], figure: str, on: date, key: str = "") -> None:
    """Count an opinion once per figure and year."""
    mark = f"{figure}:{on.year}"
    if mark in doc["counted"]:
        return
    doc["counted"].append(mark)
    view.add(figure, key=key, area=doc["area"], year=on.year)


def _sync_prefecture(view: ViewUnit, doc: dict[str, Any]) -> None:
    """Keep a ``prefecture`` document (its name) for each division of that kind."""
    if doc["kind"] == DivisionKind.PREFECTURE.value:
        view.put(PREFECTURE, doc["code"], {"name": doc["name"]})
    elif view.get(PREFECTURE, doc["code"]) is not None:
        view.delete(PREFECTURE, doc["code"])


def _sync_division(view: ViewUnit, doc: dict[str, Any]) -> None:
    runs = []
    if doc["kind"] in BASE_KINDS:
        intervals = [(iso(a), iso(b)) for a, b in doc["stations"].values()]
        runs = year_runs([(a, b) for a, b in intervals if a is not None], at_year_end=True)
    sync(view, doc, steps("divisions_covered", runs, area=doc["code"]))


def _sync_station(view: ViewUnit, doc: dict[str, Any]) -> None:
    start = iso(doc["established_on"])
    assert start is not None
    runs = year_runs([(start, iso(doc["closed_on"]))], at_year_end=True)
    sync(view, doc, steps("stations_open", runs, key=doc["kind"], area=doc["division"]))


def _sync_deputy(view: ViewUnit, doc: dict[str, Any]) -> None:
    """A deputy counts once, in the division of the first station they entered."""
    memberships = sorted(doc["memberships"], key=lambda m: (m["since"], m["station"]))
    ends_all = iso(doc["terminated_on"])
    intervals = []
    for m in memberships:
        ends = [d for d in (iso(m["until"]), iso(m["closed"]), ends_all) if d is not None]
        since = iso(m["since"])
        assert since is not None
        intervals.append((since, min(ends) if ends else None))
    contributions: dict[FigureKey, int] = {}
    if memberships:
        where = {"area": memberships[0]["division"], "level": doc["level"]}
        during = year_runs(intervals, at_year_end=False)
        at_end = year_runs(intervals, at_year_end=True)
        contributions.update(steps("deputies_entered", during, **where))
        contributions.update(steps("deputies_on_roster", at_end, **where))
    sync(view, doc, contributions)


# -- the report ---------------------------------------------------------------------


def _all(enum: Any, found: dict[str, int]) -> dict[str, int]:
    out = {m.value: 0 for m in enum}
    out.update(found)
    return out


def build_stations(ctx: ReportContext, year: int | None = None) -> dict[str, Any]:
    """The stations report: coverage, rosters, activities and the opinion loop in ``year``."""
    if year is None:
        year = ctx.today.year
    kinds = ctx.by("divisions", "key")
    divisions_total = sum(v for k, v in kinds.items() if k in BASE_KINDS)
    covered = cumulative(ctx, "divisions_covered", year)
    entered = cumulative(ctx, "deputies_entered", year, "level")
    on_roster = cumulative(ctx, "deputies_on_roster", year, "level")
    activities = in_year(ctx, "activities", year, "key")
    months = in_year(ctx, "activities_by_month", year, "key")
    pushed = in_year(ctx, "items_pushed", year)
    loop_accepted = in_year(ctx, "loop_accepted", year)
    loop_fed_back = in_year(ctx, "loop_fed_back", year)
    return {
        "year": year,
        "area": ctx.area,
        # the provincial-level division of the divisions counted (its levels' names)
        "province": province_of(ctx.by("divisions", "area")),
        "divisions_total": divisions_total,
        "divisions_by_kind": _all(DivisionKind, kinds),
        "divisions_covered": covered,
        "coverage_rate": rate(covered, divisions_total),
        "stations_open": cumulative(ctx, "stations_open", year),
        "stations_by_kind": _all(StationKind, cumulative(ctx, "stations_open", year, "key")),
        "stations_established": in_year(ctx, "stations_established", year),
        "deputies_entered": {
            "total": sum(entered.values()),
            "by_level": _all(Level, entered),
        },
        "deputies_on_roster": {
            "total": sum(on_roster.values()),
            "by_level": _all(Level, on_roster),
        },
        "activities": {
            "total": sum(activities.values()),
            "by_kind": _all(ActivityKind, activities),
            "by_month": {f"{m:02d}": months.get(f"{m:02d}", 0) for m in range(1, 13)},
        },
        "people_received": in_year(ctx, "people_received", year),
        "opinions": {
            "collected": in_year(ctx, "collected", year),
            "accepted": in_year(ctx, "accepted", year),
            "out_of_scope": in_year(ctx, "out_of_scope", year),
            "merged": in_year(ctx, "merged", year),
            "answered_on_the_spot": in_year(ctx, "answered_on_the_spot", year),
            "referred": in_year(ctx, "referred", year),
            "escalated": in_year(ctx, "escalated", year),
            "handled": in_year(ctx, "handled", year),
            "fed_back": in_year(ctx, "fed_back", year),
            "items_pushed": pushed,
            "closed": in_year(ctx, "closed", year),
            "reopened": in_year(ctx, "reopened", year),
            "evaluations": _all(Rating, in_year(ctx, "evaluations", year, "key")),
            "cohort_accepted": loop_accepted,
            "cohort_fed_back": loop_fed_back,
            "closed_loop_rate": rate(loop_fed_back, loop_accepted),
            "median_days_to_feedback": median_from_histogram(
                in_year(ctx, "days_to_feedback", year, "key")
            ),
        },
        "as_of": ctx.as_of_label,
    }


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def render_stations(data: dict[str, Any], lang: str = "zh") -> Table:
    from rich.table import Table

    zh = lang == "zh"
    year = data["year"]
    table = Table(title=f"{year}年代表家站" if zh else f"Stations in {year}")
    table.add_column("指标" if zh else "Figure")
    table.add_column("数值" if zh else "Value", justify="right")

    def row(label_zh: str, label_en: str, value: Any) -> None:
        table.add_row(label_zh if zh else label_en, str(value))

    row("乡镇街道数", "Townships and streets", data["divisions_total"])
    row("已建家站的乡镇街道", "Covered by a station", data["divisions_covered"])
    row("覆盖率", "Coverage", _pct(data["coverage_rate"]))
    row("运行中的家站（年末）", "Stations open at year end", data["stations_open"])
    row("进站代表", "Deputies who entered", data["deputies_entered"]["total"])
    province = data.get("province")
    for level in Level:
        count = data["deputies_entered"]["by_level"][level.value]
        if level is Level.MUNICIPAL and not count and province in MUNICIPALITIES:
            continue  # a municipality has no congress of a city with districts
        label = f"  {level_label(level.value, province)}级" if zh else f"  {level.value}"
        table.add_row(label, str(count))
    row("开展活动（次）", "Activities", data["activities"]["total"])
    for kind in ActivityKind:
        label = f"  {kind.label}" if zh else f"  {kind.value}"
        table.add_row(label, str(data["activities"]["by_kind"][kind.value]))
    row("接待群众（人次）", "People received", data["people_received"])
    o = data["opinions"]
    row("收集社情民意（件）", "Opinions collected", o["collected"])
    row("受理", "Accepted", o["accepted"])
    row("转办", "Referred", o["referred"])
    row("办理", "Handled", o["handled"])
    row("推动落实（件）", "Items pushed forward", o["items_pushed"])
    row("闭环率", "Closed-loop rate", _pct(o["closed_loop_rate"]))
    median = o["median_days_to_feedback"]
    row("反馈用时中位数（天）", "Median days to feedback", "—" if median is None else median)
    caption = [f"区划 {data['area']}" if zh else f"area {data['area']}"] if data["area"] else []
    if data.get("as_of"):
        caption.append(f"截至 {data['as_of']} 的记录" if zh else f"as recorded by {data['as_of']}")
    table.caption = " · ".join(caption) or None
    return table


YEAR_OPTION = click.Option(
    ["--year"], type=int, help="Report year (business dates). Default: this year."
)


@hookimpl
def renda_register_projections(register: Any) -> None:
    register(StationsProjection())


@hookimpl
def renda_register_reports(register: Any) -> None:
    register(
        Report(
            name="stations",
            title="代表家站 Stations and the opinion loop",
            projection=StationsProjection.name,
            build=build_stations,
            render=render_stations,
            options=(YEAR_OPTION,),
        )
    )


# -- lists for the CLI ----------------------------------------------------------------


def public(doc: dict[str, Any]) -> dict[str, Any]:
    """A view document without the projection's bookkeeping."""
    return {k: v for k, v in doc.items() if not k.startswith("_") and k != "counted"}


def division_entries(ctx: ReportContext, kind: str | None = None) -> list[dict[str, Any]]:
    """Divisions as listed by ``renda area list`` (sorted by code)."""
    rows = []
    for code, doc in ctx.entities(DIVISION):
        if (kind is None or doc["kind"] == kind) and (
            ctx.area is None or code.startswith(ctx.area)
        ):
            stations = doc["stations"].values()
            open_stations = sum(1 for _, closed in stations if closed is None)
            rows.append(
                {
                    **{k: v for k, v in public(doc).items() if k != "stations"},
                    "stations_open": open_stations,
                }
            )
    return sorted(rows, key=lambda r: r["code"])


def station_entries(
    ctx: ReportContext, status: str | None = None, division: str | None = None
) -> list[dict[str, Any]]:
    rows = []
    for key, doc in ctx.entities(STATION):
        if status and doc["status"] != status:
            continue
        if division and not doc["division"].startswith(division):
            continue
        data = public(doc)
        data["roster"] = len(doc["roster"])
        rows.append({"id": key, **data})
    return sorted(rows, key=lambda r: (r["division"], r["name"], r["id"]))


def opinion_entries(
    ctx: ReportContext, status: str | None = None, station: str | None = None
) -> list[dict[str, Any]]:
    rows = []
    for key, doc in ctx.entities(OPINION):
        if status and doc["status"] != status:
            continue
        if station and doc["station_id"] != station:
            continue
        rows.append({"id": key, **public(doc)})
    return sorted(rows, key=lambda r: (r["collected_on"], r["id"]))


__all__ = [
    "StationsProjection",
    "build_stations",
    "division_entries",
    "opinion_entries",
    "render_stations",
    "station_entries",
]
