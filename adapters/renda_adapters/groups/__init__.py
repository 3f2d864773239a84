"""Deputy groups (代表小组): the ``groups`` view and report::

    renda report groups --year 2023 [--area 22] [--level provincial] [--json]

``groups`` counts groups in being at the end of the year (kept as year steps, so a
dissolution is seen ``--as-of``); activities and disputes count by business date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click
from eventsourcing.dispatch import singledispatchmethod

from renda_adapters.rollup import rolled_up
from renda_adapters.timeline import cumulative, in_year, iso, rate, steps, sync, year_runs
from renda_core.domain.group import DeputyGroup, GroupActivityKind, GroupBasis
from renda_core.ports import hookimpl
from renda_core.ports.contracts import Report
from renda_core.projections.reports import ReportContext
from renda_core.projections.unit import ViewUnit

if TYPE_CHECKING:
    from rich.table import Table

GROUP = "group"


@rolled_up(
    "groups",
    "groups_formed",
    "groups_dissolved",
    "activities",
    "participations",
    "disputes_handled",
    "disputes_resolved",
    province=True,
)
class GroupsProjection:
    name = "groups"
    version = 3  # 2: rolled up by prefecture, sections of issue 14; 3: province-wide
    pure = True  # changes nothing but its view: no undo copies (see Projection)
    topics = (
        "renda:DeputyGroup.Formed",
        "renda:DeputyGroup.MemberAdded",
        "renda:DeputyGroup.MemberRemoved",
        "renda:DeputyGroup.LeaderAppointed",
        "renda:DeputyGroup.ActivityHeld",
        "renda:DeputyGroup.Dissolved",
    )

    @singledispatchmethod
    def process_event(self, event: Any, view: ViewUnit) -> None:
        """Events of other kinds are not this adapter's business."""

    @process_event.register(DeputyGroup.Formed)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc: dict[str, Any] = {
            "name": event.name,
            "basis": event.basis,
            "unit": event.unit,
            "level": event.level,
            "term": event.term,
            "area": event.area,
            "formed_on": event.on.isoformat(),
            "dissolved_on": None,
            "status": "active",
            "members": [],
            "leader": None,
            "activities": 0,
        }
        view.add(
            "groups_formed",
            key=event.basis,
            area=doc["area"],
            level=doc["level"],
            year=event.on.year,
        )
        _sync(view, doc)
        view.put(GROUP, str(event.originator_id), doc)

    @process_event.register(DeputyGroup.MemberAdded)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _doc(view, event)
        doc["members"].append(event.deputy_id)
        view.put(GROUP, str(event.originator_id), doc)

    @process_event.register(DeputyGroup.MemberRemoved)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _doc(view, event)
        doc["members"].remove(event.deputy_id)
        if doc["leader"] == event.deputy_id:
            doc["leader"] = None
        view.put(GROUP, str(event.originator_id), doc)

    @process_event.register(DeputyGroup.LeaderAppointed)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _doc(view, event)
        doc["leader"] = event.deputy_id
        view.put(GROUP, str(event.originator_id), doc)

    @process_event.register(DeputyGroup.ActivityHeld)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _doc(view, event)
        where = {**_where(doc), "year": event.on.year}
        view.add("activities", key=event.kind, **where)
        view.add("participations", len(event.participants), **where)
        view.add("disputes_handled", event.disputes_handled, **where)
        view.add("disputes_resolved", event.disputes_resolved, **where)
        doc["activities"] += 1
        view.put(GROUP, str(event.originator_id), doc)

    @process_event.register(DeputyGroup.Dissolved)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _doc(view, event)
        doc["status"] = "dissolved"
        doc["dissolved_on"] = event.on.isoformat()
        view.add(
            "groups_dissolved",
            key=doc["basis"],
            area=doc["area"],
            level=doc["level"],
            year=event.on.year,
        )
        _sync(view, doc)
        view.put(GROUP, str(event.originator_id), doc)


def _doc(view: ViewUnit, event: Any) -> dict[str, Any]:
    doc = view.get(GROUP, str(event.originator_id))
    if doc is None:
        raise LookupError(f"deputy group {event.originator_id} was never formed")
    return doc


def _where(doc: dict[str, Any]) -> dict[str, str]:
    return {"area": doc["area"], "level": doc["level"]}


def _sync(view: ViewUnit, doc: dict[str, Any]) -> None:
    formed = iso(doc["formed_on"])
    assert formed is not None
    runs = year_runs([(formed, iso(doc["dissolved_on"]))], at_year_end=True)
    sync(view, doc, steps("groups", runs, key=doc["basis"], **_where(doc)))


def build_groups(ctx: ReportContext, year: int | None = None) -> dict[str, Any]:
    """The groups report: groups at year end, activities, disputes mediated."""
    if year is None:
        year = ctx.today.year
    by_basis = {b.value: 0 for b in GroupBasis}
    by_basis.update(cumulative(ctx, "groups", year, "key"))
    by_kind = {k.value: 0 for k in GroupActivityKind}
    by_kind.update(in_year(ctx, "activities", year, "key"))
    handled = in_year(ctx, "disputes_handled", year)
    resolved = in_year(ctx, "disputes_resolved", year)
    return {
        "year": year,
        "area": ctx.area,
        "level": ctx.level,
        "groups": sum(by_basis.values()),
        "groups_by_basis": by_basis,
        "groups_formed": in_year(ctx, "groups_formed", year),
        "groups_dissolved": in_year(ctx, "groups_dissolved", year),
        "activities": {"total": sum(by_kind.values()), "by_kind": by_kind},
        "participations": in_year(ctx, "participations", year),
        "disputes_handled": handled,
        "disputes_resolved": resolved,
        "dispute_resolution_rate": rate(resolved, handled),
        "as_of": ctx.as_of_label,
    }


def render_groups(data: dict[str, Any], lang: str = "zh") -> Table:
    from rich.table import Table

    zh = lang == "zh"
    year = data["year"]
    table = Table(title=f"{year}年代表小组" if zh else f"Deputy groups in {year}")
    table.add_column("指标" if zh else "Figure")
    table.add_column("数值" if zh else "Value", justify="right")
    table.add_row("代表小组（年末）" if zh else "Groups at year end", str(data["groups"]))
    table.add_row("开展活动（次）" if zh else "Activities", str(data["activities"]["total"]))
    for kind in GroupActivityKind:
        label = f"  {kind.label}" if zh else f"  {kind.value}"
        table.add_row(label, str(data["activities"]["by_kind"][kind.value]))
    table.add_row("调解矛盾纠纷（件）" if zh else "Disputes handled", str(data["disputes_handled"]))
    table.add_row("化解（件）" if zh else "Disputes resolved", str(data["disputes_resolved"]))
    if data.get("as_of"):
        table.caption = f"截至 {data['as_of']} 的记录" if zh else f"as recorded by {data['as_of']}"
    return table


def group_entries(ctx: ReportContext, status: str | None = None) -> list[dict[str, Any]]:
    rows = []
    for key, doc in ctx.entities(GROUP):
        if status and doc["status"] != status:
            continue
        if ctx.area and not doc["area"].startswith(ctx.area):
            continue
        if ctx.level and doc["level"] != ctx.level:
            continue
        data = {k: v for k, v in doc.items() if not k.startswith("_")}
        data["members"] = len(doc["members"])
        rows.append({"id": key, **data})
    return sorted(rows, key=lambda r: (r["level"], r["area"], r["name"], r["id"]))


@hookimpl
def renda_register_projections(register: Any) -> None:
    register(GroupsProjection())


@hookimpl
def renda_register_reports(register: Any) -> None:
    register(
        Report(
            name="groups",
            title="代表小组 Deputy groups",
            projection=GroupsProjection.name,
            build=build_groups,
            render=render_groups,
            options=(
                click.Option(
                    ["--year"], type=int, help="Report year (business dates). Default: this year."
                ),
            ),
        )
    )


__all__ = ["GroupsProjection", "build_groups", "group_entries", "render_groups"]
