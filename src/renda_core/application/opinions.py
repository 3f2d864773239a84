"""Opinion (社情民意) commands: the closed loop 收集 → 汇总 → 办理 → 反馈."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from pydantic import Field, model_validator

from renda_core.application.base import RendaBase
from renda_core.application.commands import (
    BusinessDate,
    Command,
    LongText,
    Phone,
    PlannedDate,
    Text,
    accepts_labels,
    command,
)
from renda_core.application.field_errors import NOT_BLANK
from renda_core.application.stations import check_acting_deputy
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import RuleViolated
from renda_core.domain.opinion import (
    BodyKind,
    Channel,
    EscalationTarget,
    Opinion,
    ProperChannel,
    Rating,
    Recipient,
    ScreenOutcome,
)
from renda_core.domain.station import Station
from renda_core.domain.values import Actor

STAFF = {"staff"}
STAFF_OR_DEPUTY = {"staff", "deputy"}

ChannelField = Annotated[Channel, accepts_labels(Channel)]
OutcomeField = Annotated[ScreenOutcome, accepts_labels(ScreenOutcome)]
ProperChannelField = Annotated[ProperChannel, accepts_labels(ProperChannel)]
BodyKindField = Annotated[BodyKind, accepts_labels(BodyKind)]
TargetField = Annotated[EscalationTarget, accepts_labels(EscalationTarget)]
RecipientField = Annotated[Recipient, accepts_labels(Recipient)]
RatingField = Annotated[Rating, accepts_labels(Rating)]
Content = Annotated[str, Field(min_length=1, max_length=5000, pattern=NOT_BLANK)]


class CollectOpinion(Command):
    """Collect an item of public opinion at a station (收集)."""

    station_id: UUID
    channel: ChannelField
    content: Content = Field(description="kept verbatim")
    deputies: list[UUID] = Field(min_length=1, description="receiving deputies")
    category: Text | None = None
    citizen_name: Text | None = Field(default=None, description="personal data; optional")
    citizen_phone: Phone | None = Field(default=None, description="personal data; optional")
    citizen_notify: bool = Field(
        default=False, description="the citizen opted in to be told of progress (needs a phone)"
    )
    date: BusinessDate


class ScreenOpinion(Command):
    """Screen an item: accepted, out of scope (with the right channel) or duplicate (汇总)."""

    opinion_id: UUID
    outcome: OutcomeField
    advice: ProperChannelField | None = Field(
        default=None, description="out of scope: where the citizen should turn"
    )
    into: UUID | None = Field(default=None, description="duplicate: the item it joins")
    note: LongText | None = None
    date: BusinessDate

    @model_validator(mode="after")
    def _outcome_needs(self) -> ScreenOpinion:
        if self.outcome is ScreenOutcome.OUT_OF_SCOPE and self.advice is None:
            raise ValueError("an out-of-scope item needs advice: the right channel")
        if self.outcome is not ScreenOutcome.OUT_OF_SCOPE and self.advice is not None:
            raise ValueError("advice is given for out-of-scope items only")
        if self.outcome is ScreenOutcome.DUPLICATE and self.into is None:
            raise ValueError("a duplicate needs the item it is merged into (into)")
        if self.outcome is not ScreenOutcome.DUPLICATE and self.into is not None:
            raise ValueError("into is given for duplicates only")
        return self


class AnswerOpinion(Command):
    """Answer an accepted item on the spot (当场答复)."""

    opinion_id: UUID
    result: Content
    date: BusinessDate


class ReferOpinion(Command):
    """Refer an accepted item to a local body or a department, with a due date."""

    opinion_id: UUID
    body: Text
    body_kind: BodyKindField
    due: PlannedDate
    date: BusinessDate


class EscalateOpinion(Command):
    """Escalate an accepted item into a Suggestion (代表建议) or a bulletin item (专刊).

    For a suggestion, give the id of an existing one, or none: a draft suggestion led
    by the first receiving deputy is created from the item in the same write.
    """

    opinion_id: UUID
    target_kind: TargetField
    target_id: Text | None = Field(default=None, description="id of the suggestion or bulletin")
    title: Text | None = Field(default=None, description="title of a new suggestion")
    date: BusinessDate

    @model_validator(mode="after")
    def _bulletin_needs_an_id(self) -> EscalateOpinion:
        if self.target_kind is EscalationTarget.BULLETIN and self.target_id is None:
            raise ValueError("escalation into a bulletin needs the bulletin's id (target_id)")
        return self


class RecordOpinionResult(Command):
    """Record the handling result of a referred or escalated item (办理结果)."""

    opinion_id: UUID
    result: Content
    date: BusinessDate


class FeedBackOpinion(Command):
    """Feed the result back to the deputy and the citizen (反馈)."""

    opinion_id: UUID
    to: list[RecipientField] = Field(
        default_factory=lambda: [Recipient.DEPUTY, Recipient.CITIZEN], min_length=1
    )
    note: LongText | None = None
    date: BusinessDate


class EvaluateOpinion(Command):
    """The citizen's evaluation: 满意/基本满意 closes the item, 不满意 reopens it."""

    opinion_id: UUID
    rating: RatingField
    note: LongText | None = None
    date: BusinessDate


class CloseOpinion(Command):
    """Close an item after feedback (or an out-of-scope item after advice)."""

    opinion_id: UUID
    note: LongText | None = None
    date: BusinessDate


class OpinionCommands(RendaBase):
    """The Opinion part of the application."""

    @command("opinion.collect", CollectOpinion, STAFF_OR_DEPUTY)
    def collect_opinion(self, cmd: CollectOpinion, actor: Actor) -> UUID:
        """Collect an item at an open station from deputies on its roster; returns its id."""
        check_acting_deputy(actor, cmd.deputies, "an opinion")
        self._check_duties(cmd.deputies, "collect an opinion", cmd.date)
        station = self._load(Station, cmd.station_id, "station")
        station.check_open_on(cmd.date, "collect an opinion")
        for deputy_id in cmd.deputies:
            if not station.on_roster(str(deputy_id), cmd.date):
                raise RuleViolated(
                    f"deputy {deputy_id} was not on the roster of {station.name} on {cmd.date}"
                )
        opinion = Opinion.collect(
            station_id=str(station.id),
            channel=cmd.channel,
            content=cmd.content,
            deputies=[str(d) for d in cmd.deputies],
            category=cmd.category,
            citizen_name=cmd.citizen_name,
            citizen_phone=cmd.citizen_phone,
            citizen_notify=cmd.citizen_notify,
            on=cmd.date,
            actor=actor,
        )
        self._save(opinion)
        return opinion.id

    @command("opinion.screen", ScreenOpinion, STAFF)
    def screen_opinion(self, cmd: ScreenOpinion, actor: Actor) -> None:
        """Screen an item (duplicates are merged into another item: 汇总)."""
        opinion = self._load(Opinion, cmd.opinion_id, "opinion")
        if cmd.outcome is ScreenOutcome.ACCEPTED:
            opinion.accept(on=cmd.date, note=cmd.note, actor=actor)
            self._save(opinion)
        elif cmd.outcome is ScreenOutcome.OUT_OF_SCOPE:
            assert cmd.advice is not None
            opinion.rule_out_of_scope(advice=cmd.advice, note=cmd.note, on=cmd.date, actor=actor)
            self._save(opinion)
        else:
            assert cmd.into is not None
            if cmd.into == opinion.id:
                raise RuleViolated("an opinion cannot be merged into itself")
            target = self._load(Opinion, cmd.into, "opinion")
            opinion.merge_into(target, on=cmd.date, note=cmd.note, actor=actor)
            self._save(opinion, target)

    @command("opinion.answer", AnswerOpinion, STAFF)
    def answer_opinion(self, cmd: AnswerOpinion, actor: Actor) -> None:
        """Answer an accepted item on the spot: routed and handled at once."""
        self._change(
            Opinion,
            cmd.opinion_id,
            "opinion",
            lambda o: o.answer(result=cmd.result, on=cmd.date, actor=actor),
        )

    @command("opinion.refer", ReferOpinion, STAFF)
    def refer_opinion(self, cmd: ReferOpinion, actor: Actor) -> None:
        """Refer an accepted item to a local body or a department."""
        self._change(
            Opinion,
            cmd.opinion_id,
            "opinion",
            lambda o: o.refer(
                body=cmd.body, body_kind=cmd.body_kind, due=cmd.due, on=cmd.date, actor=actor
            ),
        )

    @command("opinion.escalate", EscalateOpinion, STAFF)
    def escalate_opinion(self, cmd: EscalateOpinion, actor: Actor) -> str:
        """Escalate an accepted item into a suggestion or a bulletin item; returns the
        target's id (a new draft suggestion when none is given)."""
        opinion = self._load(Opinion, cmd.opinion_id, "opinion")
        partner = self._escalation_partner(opinion, cmd, actor)
        target_id = cmd.target_id if partner is None else str(partner.id)
        assert target_id is not None
        opinion.escalate(target_kind=cmd.target_kind, target_id=target_id, on=cmd.date, actor=actor)
        if partner is None:
            self._save(opinion)
            return target_id
        # Linked both ways: the suggestion records the opinion, in the same write.
        partner.link_opinion(opinion_id=str(opinion.id), on=cmd.date, actor=actor)  # type: ignore[attr-defined]
        self._save(opinion, partner)
        return target_id

    def _escalation_partner(
        self, opinion: Opinion, cmd: EscalateOpinion, actor: Actor
    ) -> Aggregate | None:
        """The suggestion on the other side of the link: the one named (it must exist),
        or a new draft led by the first receiving deputy (saved with the opinion)."""
        if cmd.target_kind is not EscalationTarget.SUGGESTION:
            return None
        from renda_core.domain.suggestion import Channel as SuggestionChannel
        from renda_core.domain.suggestion import Source, Suggestion

        if cmd.target_id is not None:
            return self._load(Suggestion, cmd.target_id, "suggestion")
        opinion.check_escalation(on=cmd.date)  # before creating anything
        lead = self._load(Deputy, opinion.deputies[0], "deputy")
        if not lead.is_active:
            raise RuleViolated(
                f"the receiving deputy {lead.name} is no longer in office; "
                "escalate into an existing suggestion instead"
            )
        return Suggestion.draft(
            title=cmd.title or opinion.content[:60],
            body=opinion.content,
            category=opinion.category,
            channel=SuggestionChannel.RECESS,
            source=Source.STATION,
            lead_deputy=str(lead.id),
            lead_name=lead.name,
            area=lead.area,
            level=lead.level,
            on=cmd.date,
            actor=actor,
        )

    @command("opinion.result", RecordOpinionResult, STAFF)
    def record_opinion_result(self, cmd: RecordOpinionResult, actor: Actor) -> None:
        """Record the handling result of a referred or escalated item."""
        self._change(
            Opinion,
            cmd.opinion_id,
            "opinion",
            lambda o: o.record_result(result=cmd.result, on=cmd.date, actor=actor),
        )

    @command("opinion.feedback", FeedBackOpinion, STAFF_OR_DEPUTY)
    def feed_back_opinion(self, cmd: FeedBackOpinion, actor: Actor) -> None:
        """Feed the handling result back (only after a result is recorded)."""
        opinion = self._load(Opinion, cmd.opinion_id, "opinion")
        check_acting_deputy(actor, [UUID(d) for d in opinion.deputies], "feedback")
        opinion.feed_back(to=cmd.to, note=cmd.note, on=cmd.date, actor=actor)
        self._save(opinion)

    @command("opinion.evaluate", EvaluateOpinion, STAFF)
    def evaluate_opinion(self, cmd: EvaluateOpinion, actor: Actor) -> None:
        """Record the citizen's evaluation: closes the item or reopens it."""
        self._change(
            Opinion,
            cmd.opinion_id,
            "opinion",
            lambda o: o.evaluate(rating=cmd.rating, note=cmd.note, on=cmd.date, actor=actor),
        )

    @command("opinion.close", CloseOpinion, STAFF)
    def close_opinion(self, cmd: CloseOpinion, actor: Actor) -> None:
        """Close an item (never without feedback)."""
        self._change(
            Opinion,
            cmd.opinion_id,
            "opinion",
            lambda o: o.close(note=cmd.note, on=cmd.date, actor=actor),
        )

    # -- queries ----------------------------------------------------------------

    def get_opinion(self, opinion_id: UUID | str) -> Opinion:
        return self._load(Opinion, opinion_id, "opinion")

    def opinion(self, opinion_id: UUID | str) -> dict[str, Any]:
        """An opinion as plain data (with the citizen's personal data, if given)."""
        return self.get_opinion(opinion_id).to_dict()
