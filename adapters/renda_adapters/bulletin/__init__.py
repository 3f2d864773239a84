"""《人大代表之声》专刊 figures: the ``bulletin`` view and report.

``renda report bulletin [--year Y] --json`` gives ``issues``, ``published``, ``items``,
``instructed`` (items with a leader's instruction), ``instructions``, ``forwarded``
(items forwarded for handling, 批转办理) and ``forwarded_replied`` (of those, how many
the handling unit has replied to), counted by the issue's year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click
from eventsourcing.dispatch import singledispatchmethod

from renda_core.domain.bulletin import Bulletin
from renda_core.domain.suggestion import Suggestion
from renda_core.ports import hookimpl
from renda_core.ports.contracts import Report
from renda_core.projections.reports import ReportContext
from renda_core.projections.unit import ViewUnit

if TYPE_CHECKING:
    from rich.table import Table

VIEW = "bulletin"
ISSUE = "issue"
ITEM = "item"
FORWARDED = "forwarded"  # by suggestion id


class BulletinView:
    """Issues, items and what became of the items forwarded for handling."""

    name = VIEW
    pure = True  # changes nothing but its view: no undo copies (see Projection)
    topics = (
        "renda:Bulletin.Opened",
        "renda:Bulletin.ItemIncluded",
        "renda:Bulletin.ItemRemoved",
        "renda:Bulletin.Published",
        "renda:Bulletin.InstructionRecorded",
        "renda:Bulletin.ItemForwarded",
        "renda:Suggestion.Replied",
    )

    @singledispatchmethod
    def process_event(self, event: Any, view: ViewUnit) -> None:
        """Events of other kinds are not this adapter's business."""

    @process_event.register(Bulletin.Opened)
    def _(self, event: Any, view: ViewUnit) -> None:
        view.put(
            ISSUE,
            str(event.originator_id),
            {"year": event.year, "number": event.number, "title": event.title},
        )
        view.add("issues", year=event.year)

    @process_event.register(Bulletin.ItemIncluded)
    def _(self, event: Any, view: ViewUnit) -> None:
        issue = self._issue(view, event)
        view.put(
            ITEM,
            f"{event.originator_id}#{event.item}",
            {"year": issue["year"], "instructed": False, "kind": event.kind},
        )
        view.add("items", key=event.kind, year=issue["year"])

    @process_event.register(Bulletin.ItemRemoved)
    def _(self, event: Any, view: ViewUnit) -> None:
        item = self._item(view, event)
        view.add("items", -1, key=item["kind"], year=item["year"])
        view.delete(ITEM, f"{event.originator_id}#{event.item}")

    @process_event.register(Bulletin.Published)
    def _(self, event: Any, view: ViewUnit) -> None:
        view.add("published", year=self._issue(view, event)["year"])

    @process_event.register(Bulletin.InstructionRecorded)
    def _(self, event: Any, view: ViewUnit) -> None:
        item = self._item(view, event)
        view.add("instructions", year=item["year"])
        if not item["instructed"]:
            item["instructed"] = True
            view.add("instructed", year=item["year"])
            view.put(ITEM, f"{event.originator_id}#{event.item}", item)

    @process_event.register(Bulletin.ItemForwarded)
    def _(self, event: Any, view: ViewUnit) -> None:
        item = self._item(view, event)
        view.add("forwarded", key=event.lead_unit, year=item["year"])
        if event.created:
            view.add("forwarded_created", year=item["year"])
        view.put(
            FORWARDED,
            event.suggestion_id,
            {"year": item["year"], "unit": event.lead_unit, "replied": False},
        )

    @process_event.register(Suggestion.Replied)
    def _(self, event: Any, view: ViewUnit) -> None:
        forwarded = view.get(FORWARDED, str(event.originator_id))
        if forwarded is None or forwarded["replied"]:
            return
        forwarded["replied"] = True
        view.add("forwarded_replied", key=forwarded["unit"], year=forwarded["year"])
        view.put(FORWARDED, str(event.originator_id), forwarded)

    @staticmethod
    def _issue(view: ViewUnit, event: Any) -> dict[str, Any]:
        issue = view.get(ISSUE, str(event.originator_id))
        if issue is None:
            raise LookupError(f"bulletin {event.originator_id} was never opened")
        return issue

    @staticmethod
    def _item(view: ViewUnit, event: Any) -> dict[str, Any]:
        item = view.get(ITEM, f"{event.originator_id}#{event.item}")
        if item is None:
            raise LookupError(f"bulletin {event.originator_id} has no item {event.item}")
        return item


def build_bulletin(ctx: ReportContext, year: int | None = None) -> dict[str, Any]:
    """Figures of the seed's 《人大代表之声》 sentence, by the issue's year."""
    return {
        "year": year,
        "issues": ctx.total("issues", year=year),
        "published": ctx.total("published", year=year),
        "items": ctx.total("items", year=year),
        "items_by_kind": ctx.by("items", "key", year=year),
        "instructed": ctx.total("instructed", year=year),
        "instructions": ctx.total("instructions", year=year),
        "forwarded": ctx.total("forwarded", year=year),
        "forwarded_by_unit": ctx.by("forwarded", "key", year=year),
        "forwarded_created": ctx.total("forwarded_created", year=year),
        "forwarded_replied": ctx.total("forwarded_replied", year=year),
        "as_of": ctx.as_of_label,
    }


def render_bulletin(data: dict[str, Any], lang: str = "zh") -> Table:
    from rich.table import Table

    zh = lang == "zh"
    scope = f"{data['year']}年" if data["year"] else ""
    table = Table(title=f"{scope}《人大代表之声》专刊" if zh else f"Deputies' Voice {scope}")
    table.add_column("指标" if zh else "Figure")
    table.add_column("数值" if zh else "Value", justify="right")
    for key, zh_label, en_label in (
        ("issues", "编发期数", "Issues"),
        ("published", "已报送", "Published"),
        ("items", "刊发条目", "Items"),
        ("instructed", "获领导批示条目", "Items with instructions"),
        ("forwarded", "批转办理", "Forwarded for handling"),
        ("forwarded_replied", "已办复", "Of those, replied"),
    ):
        table.add_row(zh_label if zh else en_label, str(data[key]))
    return table


@hookimpl
def renda_register_projections(register: Any) -> None:
    register(BulletinView())


@hookimpl
def renda_register_reports(register: Any) -> None:
    register(
        Report(
            name="bulletin",
            title="《人大代表之声》专刊 Deputies' Voice bulletin",
            projection=VIEW,
            build=build_bulletin,
            render=render_bulletin,
            options=(click.Option(["--year"], type=int, help="Only issues of this year."),),
        )
    )


__all__ = ["BulletinView", "build_bulletin"]
