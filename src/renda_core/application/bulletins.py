"""Bulletin (《人大代表之声》专刊) commands: open, include, publish, instruct, forward.

An issue is named by its id or by ``YEAR/NUMBER`` (``2024/3``). Forwarding an item
(批转办理) assigns its suggestion in the same transaction as the bulletin's event; an
item without a suggestion gets one created for handling, linked both ways.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from renda_core.application.base import to_uuid
from renda_core.application.commands import (
    BusinessDate,
    Command,
    LongText,
    Text,
    accepts_labels,
    command,
)
from renda_core.application.permissions import role_subject
from renda_core.application.suggestions import SuggestionCommands
from renda_core.domain.bulletin import Bulletin, ItemKind
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import InvalidInput, NotFound, RuleViolated
from renda_core.domain.opinion import Opinion
from renda_core.domain.suggestion import Channel, Source, Status, Suggestion
from renda_core.domain.values import Actor

EDITOR = {"editor"}
LEADER = {"leader"}

ItemKindField = Annotated[ItemKind, accepts_labels(ItemKind)]
ISSUE_REF = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{1,4})\s*$")


class BulletinRef(Command):
    bulletin: str = Field(description="the issue's id, or YEAR/NUMBER")
    date: BusinessDate


class OpenBulletin(Command):
    """Open an issue of 《人大代表之声》专刊."""

    year: int = Field(ge=1949, le=2200)
    number: int = Field(ge=1, le=9999)
    title: Text
    date: BusinessDate


class IncludeItem(BulletinRef):
    """Include an item: a suggestion, a station opinion, or text, with a summary."""

    kind: ItemKindField = ItemKind.SUGGESTION
    ref: Text | None = Field(default=None, description="the suggestion's or opinion's id")
    title: Text | None = None
    summary: LongText = Field(min_length=1)
    deputy: UUID | None = Field(default=None, description="the deputy who raised it")


class RemoveItem(BulletinRef):
    """Take an item out of an issue before publication."""

    item: int = Field(ge=1)
    reason: LongText = Field(min_length=1)


class PublishBulletin(BulletinRef):
    """Publish (报送) the issue to its recipients."""

    recipients: list[Text] = Field(min_length=1)


class InstructItem(BulletinRef):
    """Record a leader's instruction (批示) on an item."""

    item: int = Field(ge=1)
    text: LongText = Field(min_length=1)


class ForwardItem(BulletinRef):
    """Forward an item for handling (批转办理) to a unit; its suggestion is assigned."""

    item: int = Field(ge=1)
    lead_unit: Text
    co_units: list[Text] = Field(default_factory=list, max_length=20)
    complex: bool = False
    note: LongText | None = None


def issue_id(ref: str | UUID) -> UUID:
    """An issue's id from its id or ``YEAR/NUMBER``."""
    if isinstance(ref, str) and (m := ISSUE_REF.match(ref)):
        return Bulletin.create_id(int(m.group(1)), int(m.group(2)))
    return to_uuid(ref, "bulletin")


class BulletinCommands(SuggestionCommands):
    """The Bulletin part of the application."""

    @command("bulletin.open", OpenBulletin, EDITOR)
    def open_bulletin(self, cmd: OpenBulletin, actor: Actor) -> UUID:
        """Open an issue; returns its id (one per year and number)."""
        bulletin_id = Bulletin.create_id(cmd.year, cmd.number)
        try:
            self._load(Bulletin, bulletin_id, "bulletin")
        except NotFound:
            pass
        else:
            raise RuleViolated(f"issue {cmd.year}/{cmd.number} is already open ({bulletin_id})")
        bulletin = Bulletin.open(
            year=cmd.year, number=cmd.number, title=cmd.title, on=cmd.date, actor=actor
        )
        self._save(bulletin)
        return bulletin.id

    @command("bulletin.include", IncludeItem, EDITOR)
    def include_item(self, cmd: IncludeItem, actor: Actor) -> int:
        """Include an item; a suggestion is linked both ways. Returns the item number."""
        bulletin = self.get_bulletin(cmd.bulletin)
        if cmd.kind is ItemKind.SUGGESTION:
            if cmd.ref is None:
                raise RuleViolated("an item of kind suggestion names the suggestion (ref)")
            suggestion = self._load(Suggestion, cmd.ref, "suggestion")
            number = bulletin.include(
                kind=cmd.kind,
                ref=str(suggestion.id),
                title=cmd.title or suggestion.title,
                summary=cmd.summary,
                deputy=str(cmd.deputy) if cmd.deputy else suggestion.lead_deputy,
                on=cmd.date,
                actor=actor,
            )
            suggestion.note_bulletin(
                bulletin_id=str(bulletin.id), item=number, on=cmd.date, actor=actor
            )
            self._save(bulletin, suggestion)
            return number
        if cmd.title is None:
            raise RuleViolated("an item that is not a suggestion needs a title")
        if cmd.deputy is not None:
            self._load_deputy(cmd.deputy)
        ref = cmd.ref
        if cmd.kind is ItemKind.OPINION and ref is not None:
            ref = str(self._load(Opinion, ref, "opinion").id)  # it must exist
        elif cmd.kind is ItemKind.TEXT and ref is not None:
            raise InvalidInput(
                "ref: an item of kind text carries no reference",
                [{"field": "ref", "message": "only for kind suggestion or opinion"}],
            )
        number = bulletin.include(
            kind=cmd.kind,
            ref=ref,
            title=cmd.title,
            summary=cmd.summary,
            deputy=str(cmd.deputy) if cmd.deputy else None,
            on=cmd.date,
            actor=actor,
        )
        self._save(bulletin)
        return number

    @command("bulletin.remove", RemoveItem, EDITOR)
    def remove_item(self, cmd: RemoveItem, actor: Actor) -> None:
        """Take an item out before publication."""
        bulletin = self.get_bulletin(cmd.bulletin)
        bulletin.remove(item=cmd.item, reason=cmd.reason, on=cmd.date, actor=actor)
        self._save(bulletin)

    @command("bulletin.publish", PublishBulletin, EDITOR)
    def publish_bulletin(self, cmd: PublishBulletin, actor: Actor) -> None:
        """Publish the issue to its recipients (省委, 省政府, …)."""
        bulletin = self.get_bulletin(cmd.bulletin)
        bulletin.publish(recipients=cmd.recipients, on=cmd.date, actor=actor)
        self._save(bulletin)

    @command("bulletin.instruct", InstructItem, LEADER)
    def instruct_item(self, cmd: InstructItem, actor: Actor) -> None:
        """Record the acting leader's instruction (批示) on an item."""
        bulletin = self.get_bulletin(cmd.bulletin)
        bulletin.instruct(
            item=cmd.item, leader=_leader(actor), text=cmd.text, on=cmd.date, actor=actor
        )
        self._save(bulletin)

    @command("bulletin.forward", ForwardItem, LEADER)
    def forward_item(self, cmd: ForwardItem, actor: Actor) -> UUID:
        """Forward an item for handling; returns the id of the suggestion assigned."""
        bulletin = self.get_bulletin(cmd.bulletin)
        entry = bulletin.check_forward(cmd.item, cmd.date)
        clock = self.clock()
        via = f"{bulletin.id}#{cmd.item}"
        created = entry["suggestion_id"] is None
        if created:
            suggestion = self._suggestion_for_item(bulletin, entry, cmd, actor)
        else:
            suggestion = self._load(Suggestion, entry["suggestion_id"], "suggestion")
            if suggestion.status is Status.SUBMITTED:
                suggestion.accept(number=None, on=cmd.date, actor=actor)
            if suggestion.status is not Status.ACCEPTED:
                raise RuleViolated(
                    f"the suggestion of item {cmd.item} cannot be forwarded for handling: "
                    f"it is {suggestion.status.label} ({suggestion.status.value})"
                )
        suggestion.assign(
            lead_unit=cmd.lead_unit,
            co_units=cmd.co_units,
            complex_=cmd.complex,
            on=cmd.date,
            clock=clock,
            actor=actor,
            via_bulletin=via,
        )
        if created:
            suggestion.note_bulletin(
                bulletin_id=str(bulletin.id), item=cmd.item, on=cmd.date, actor=actor
            )
        bulletin.forward(
            item=cmd.item,
            leader=_leader(actor),
            lead_unit=cmd.lead_unit,
            co_units=cmd.co_units,
            suggestion_id=str(suggestion.id),
            created=created,
            note=cmd.note,
            on=cmd.date,
            actor=actor,
        )
        self._save(bulletin, suggestion)
        return suggestion.id

    def _suggestion_for_item(
        self, bulletin: Bulletin, entry: dict[str, Any], cmd: ForwardItem, actor: Actor
    ) -> Suggestion:
        """A suggestion created for handling an item that carried none."""
        deputy = self._load_deputy(entry["deputy"]) if entry["deputy"] else None
        body = entry["summary"]
        for instruction in entry["instructions"]:
            body += f"\n\n{instruction['leader']}批示（{instruction['on']}）：{instruction['text']}"
        suggestion = Suggestion.draft(
            title=entry["title"],
            body=body,
            category=None,
            channel=Channel.RECESS,
            source=Source.BULLETIN,
            lead_deputy=str(deputy.id) if deputy else None,
            lead_name=deputy.name if deputy else None,
            area=deputy.area if deputy else "",
            level=deputy.level if deputy else "",
            session=f"《人大代表之声》{bulletin.year}年第{bulletin.number}期",
            on=cmd.date,
            actor=actor,
        )
        clock = self.clock()
        suggestion.submit(on=cmd.date, clock=clock, actor=actor)
        suggestion.accept(number=None, on=cmd.date, actor=actor)
        return suggestion

    # -- queries --------------------------------------------------------------------

    def bulletin_id(self, ref: str | UUID) -> UUID:
        """An issue's id from its id or ``YEAR/NUMBER``."""
        return issue_id(ref)

    def get_bulletin(self, ref: str | UUID) -> Bulletin:
        return self._load(Bulletin, self.bulletin_id(ref), "bulletin")

    def bulletin(self, ref: str | UUID) -> dict[str, Any]:
        """An issue as plain data, with the outcome of each forwarded item."""
        data = self.get_bulletin(ref).to_dict()
        for item in data["items"]:
            item["outcome"] = None
            if item["suggestion_id"] is not None:
                s = self.get_suggestion(item["suggestion_id"])
                reply = s.replies[-1] if s.replies else None
                evaluation = s.evaluations[-1] if s.evaluations else None
                item["outcome"] = {
                    "suggestion_id": str(s.id),
                    "status": s.status.value,
                    "status_label": s.status.label,
                    "lead_unit": s.lead_unit,
                    "reply_due": s.reply_due.isoformat() if s.reply_due else None,
                    "replied_on": reply["on"].isoformat() if reply else None,
                    "result_class": reply["result_class"] if reply else None,
                    "on_time": reply["on_time"] if reply else None,
                    "evaluation": (
                        {"attitude": evaluation["attitude"], "result": evaluation["result"]}
                        if evaluation
                        else None
                    ),
                }
        return data

    def _load_deputy(self, deputy_id: UUID | str) -> Deputy:
        return self._load(Deputy, deputy_id, "deputy")


def _leader(actor: Actor) -> str:
    return role_subject(actor.role) or actor.id
