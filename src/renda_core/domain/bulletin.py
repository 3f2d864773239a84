"""Bulletin (《人大代表之声》专刊): a special issue carrying deputies' voices to leaders.

An editor opens an issue (year, number, title), includes items (an inter-session
suggestion, a station opinion, or a text of its own, each with an editor's summary),
and publishes it to recipients (省委, 省政府, …). Leaders then record instructions (批示)
on items and forward items for handling (批转办理): the linked suggestion is assigned to
the named unit with its statutory clock running; an item without a suggestion gets one
created for handling, linked both ways.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RefusalPhrase, RuleViolated
from renda_core.domain.suggestion import plain
from renda_core.domain.values import Actor, Labelled


class ItemKind(Labelled):
    SUGGESTION = "suggestion", "代表建议"
    OPINION = "opinion", "社情民意"
    TEXT = "text", "其他来稿"


class BulletinStatus(Labelled):
    EDITING = "editing", "编辑中"
    PUBLISHED = "published", "已报送"


class Bulletin(Aggregate):
    """One issue of 《人大代表之声》专刊."""

    TOPIC = "renda:Bulletin"

    class Event(Aggregate.Event):
        TOPIC = "renda:Bulletin.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:Bulletin.Created"

    if TYPE_CHECKING:
        Opened: ClassVar[type[Aggregate.Event]]
        ItemIncluded: ClassVar[type[Aggregate.Event]]
        ItemRemoved: ClassVar[type[Aggregate.Event]]
        Published: ClassVar[type[Aggregate.Event]]
        InstructionRecorded: ClassVar[type[Aggregate.Event]]
        ItemForwarded: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(year: int, number: int) -> UUID:
        """One issue per (year, number): opening it twice is refused."""
        return uuid5(NAMESPACE_URL, f"/renda/bulletin/{year}/{number}")

    # -- commands -----------------------------------------------------------------

    @classmethod
    def open(cls, *, year: int, number: int, title: str, on: date, actor: Actor) -> Bulletin:
        if not 1949 <= year <= 2200:
            raise RuleViolated(f"year {year} is not plausible for a bulletin")
        if number < 1:
            raise RuleViolated("an issue number is 1 or more")
        if on.year < year - 1:
            raise RuleViolated(f"date {on} is too early for an issue of {year}")
        return cls(year=year, number=number, title=title, on=on, actor=actor)

    def include(
        self,
        *,
        kind: ItemKind,
        ref: str | None,
        title: str,
        summary: str,
        deputy: str | None,
        on: date,
        actor: Actor,
    ) -> int:
        """Include an item; returns its number in the issue."""
        self._check_editing("include an item")
        self._check_on(on, self.opened_on, "the issue was opened")
        if kind is not ItemKind.TEXT and not ref:
            raise RuleViolated(f"an item of kind {kind.value} names the {kind.value} it carries")
        if ref is not None and any(i["ref"] == ref for i in self.items if not i["removed"]):
            raise RuleViolated(f"this issue already carries {ref}")
        if not summary.strip():
            raise RuleViolated("an item needs the editor's summary")
        number = len(self.items) + 1
        self._item_included(
            item=number,
            kind=ItemKind.of(kind).value,
            ref=ref,
            title=title,
            summary=summary,
            deputy=deputy,
            on=on,
            actor=actor,
        )
        return number

    def remove(self, *, item: int, reason: str, on: date, actor: Actor) -> None:
        """Take an item out before publication."""
        self._check_editing("remove an item")
        found = self._item(item)
        if found["removed"]:
            raise RuleViolated(f"item {item} was already removed")
        self._check_on(on, found["included_on"], f"item {item} was included")
        self._item_removed(item=item, reason=reason, on=on, actor=actor)

    def publish(self, *, recipients: Sequence[str], on: date, actor: Actor) -> None:
        """Publish (报送) to the recipients."""
        self._check_editing("publish")
        if not self.live_items:
            raise RuleViolated("an issue with no items cannot be published")
        recipients = list(dict.fromkeys(r for r in recipients if r.strip()))
        if not recipients:
            raise RuleViolated("publishing needs at least one recipient (e.g. 省委, 省政府)")
        self._check_on(on, self.last_included_on, "the last item was included")
        self._published(recipients=recipients, on=on, actor=actor)

    def instruct(self, *, item: int, leader: str, text: str, on: date, actor: Actor) -> None:
        """Record a leader's instruction (批示) on an item."""
        self._check_published("record an instruction")
        self._live(item)
        assert self.published_on is not None
        self._check_on(on, self.published_on, "publication")
        if not text.strip():
            raise RuleViolated("an instruction needs its text")
        self._instruction_recorded(item=item, leader=leader, text=text, on=on, actor=actor)

    def check_forward(self, item: int, on: date) -> dict[str, Any]:
        """The item to forward, if it may be forwarded on ``on``."""
        self._check_published("forward an item")
        found = self._live(item)
        if found["forwarded"] is not None:
            raise RuleViolated(
                f"item {item} was already forwarded to {found['forwarded']['lead_unit']}"
            )
        assert self.published_on is not None
        self._check_on(on, self.published_on, "publication")
        return found

    def forward(
        self,
        *,
        item: int,
        leader: str,
        lead_unit: str,
        co_units: Sequence[str],
        suggestion_id: str,
        created: bool,
        note: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        """Forward an item for handling (批转办理) to its suggestion, now assigned."""
        self.check_forward(item, on)
        self._item_forwarded(
            item=item,
            leader=leader,
            lead_unit=lead_unit,
            co_units=list(co_units),
            suggestion_id=suggestion_id,
            created=created,
            note=note,
            on=on,
            actor=actor,
        )

    # -- guards -----------------------------------------------------------------

    def _check_editing(self, what: RefusalPhrase) -> None:
        if self.status is not BulletinStatus.EDITING:
            raise RuleViolated(f"cannot {what}: the issue was published on {self.published_on}")

    def _check_published(self, what: RefusalPhrase) -> None:
        if self.status is not BulletinStatus.PUBLISHED:
            raise RuleViolated(f"cannot {what}: the issue is not published yet")

    @staticmethod
    def _check_on(on: date, earliest: date, what: RefusalPhrase) -> None:
        if on < earliest:
            raise RuleViolated(f"date {on} is before {what} ({earliest})")

    def _item(self, item: int) -> dict[str, Any]:
        if not 1 <= item <= len(self.items):
            raise RuleViolated(f"the issue has no item {item}")
        return self.items[item - 1]

    def _live(self, item: int) -> dict[str, Any]:
        found = self._item(item)
        if found["removed"]:
            raise RuleViolated(f"item {item} was removed from the issue")
        return found

    @property
    def live_items(self) -> list[dict[str, Any]]:
        return [i for i in self.items if not i["removed"]]

    # -- events -------------------------------------------------------------------

    @event("Opened", topic="renda:Bulletin.Opened")
    def __init__(self, *, year: int, number: int, title: str, on: date, actor: Actor) -> None:
        self.year = year
        self.number = number
        self.title = title
        self.opened_on = on
        self.last_included_on = on
        self.status = BulletinStatus.EDITING
        self.published_on: date | None = None
        self.recipients: list[str] = []
        self.items: list[dict[str, Any]] = []

    @event("ItemIncluded", topic="renda:Bulletin.ItemIncluded")
    def _item_included(
        self,
        *,
        item: int,
        kind: str,
        ref: str | None,
        title: str,
        summary: str,
        deputy: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        self.items.append(
            {
                "item": item,
                "kind": kind,
                "ref": ref,
                "title": title,
                "summary": summary,
                "deputy": deputy,
                "included_on": on,
                "removed": False,
                "instructions": [],
                "forwarded": None,
                "suggestion_id": ref if kind == ItemKind.SUGGESTION.value else None,
            }
        )
        self.last_included_on = max(self.last_included_on, on)

    @event("ItemRemoved", topic="renda:Bulletin.ItemRemoved")
    def _item_removed(self, *, item: int, reason: str, on: date, actor: Actor) -> None:
        self.items[item - 1].update(removed=True, removal_reason=reason)

    @event("Published", topic="renda:Bulletin.Published")
    def _published(self, *, recipients: list[str], on: date, actor: Actor) -> None:
        self.status = BulletinStatus.PUBLISHED
        self.published_on = on
        self.recipients = list(recipients)

    @event("InstructionRecorded", topic="renda:Bulletin.InstructionRecorded")
    def _instruction_recorded(
        self, *, item: int, leader: str, text: str, on: date, actor: Actor
    ) -> None:
        self.items[item - 1]["instructions"].append({"leader": leader, "text": text, "on": on})

    @event("ItemForwarded", topic="renda:Bulletin.ItemForwarded")
    def _item_forwarded(
        self,
        *,
        item: int,
        leader: str,
        lead_unit: str,
        co_units: list[str],
        suggestion_id: str,
        created: bool,
        note: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        entry = self.items[item - 1]
        entry["forwarded"] = {
            "leader": leader,
            "lead_unit": lead_unit,
            "co_units": list(co_units),
            "suggestion_id": suggestion_id,
            "created": created,
            "note": note,
            "on": on,
        }
        entry["suggestion_id"] = suggestion_id

    # -- reading ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "year": self.year,
            "number": self.number,
            "title": self.title,
            "status": self.status.value,
            "status_label": self.status.label,
            "opened_on": self.opened_on.isoformat(),
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "recipients": list(self.recipients),
            "items": plain(self.items),
            "version": self.version,
        }
