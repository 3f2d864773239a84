"""Motions (议案): ``motion.draft`` / ``cosign`` / ``submit`` / ``receive`` / ``decide`` /
``vote``.

A motion is submitted while a session of its level's congress is open (the level's
roll names it) and is kept with that session's id. When the presidium does not put it
on the agenda, the same write creates and submits a suggestion (代表建议) from its text,
led by the motion's lead deputy (received by the session if still open), and links both
ways: ``Motion.Decided.suggestion_id`` and
``Suggestion.MotionLinked.motion_id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field, field_validator

from renda_core.application.commands import (
    AreaCode,
    BusinessDate,
    Command,
    LevelField,
    LongText,
    Text,
    accepts_labels,
    check_area_prefix,
    command,
)
from renda_core.application.field_errors import NOT_BLANK
from renda_core.application.permissions import role_kind, role_subject
from renda_core.application.sessions import SessionCommands
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import Forbidden, InvalidInput, RuleViolated
from renda_core.domain.motion import DEFAULT_RULES, Decision, Motion, MotionRule, Proposer
from renda_core.domain.session import CongressSession
from renda_core.domain.suggestion import Channel, Source, Suggestion
from renda_core.domain.values import Actor

STAFF = {"staff"}
DEPUTY = {"deputy", "staff"}
Body = Annotated[str, Field(min_length=1, max_length=20000, pattern=NOT_BLANK)]
ProposerField = Annotated[Proposer, accepts_labels(Proposer)]
DecisionField = Annotated[Decision, accepts_labels(Decision)]


class DraftMotion(Command):
    """Draft a motion (起草议案): led by a deputy (代表联名) or in a delegation's name."""

    title: Text
    body: Body
    level: LevelField
    date: BusinessDate
    proposer: ProposerField = Proposer.DEPUTIES
    lead_deputy: UUID | None = Field(default=None, description="default: the acting deputy")
    delegation: Text | None = Field(default=None, description="e.g. 吉林代表团")
    area: AreaCode | None = Field(
        default=None, description="the delegation's area (division code), for its motion"
    )

    _area = field_validator("area")(check_area_prefix)


class MotionRef(Command):
    motion_id: UUID
    date: BusinessDate


class CosignMotion(MotionRef):
    """Join a motion (联名)."""

    deputy_id: UUID | None = Field(default=None, description="default: the acting deputy")


class SubmitMotion(MotionRef):
    """Submit a motion to the open session of its level (提出议案)."""


class ReceiveMotion(MotionRef):
    """The secretariat received the motion (收到议案)."""


class DecideMotion(MotionRef):
    """The presidium's decision (主席团决定): on the agenda or not (then a suggestion)."""

    decision: DecisionField
    reason: LongText | None = None
    category: Text | None = Field(default=None, description="of the suggestion, if one is made")


class VoteMotion(MotionRef):
    """The congress voted on a motion on its agenda (表决)."""

    passed: bool


class MotionCommands(SessionCommands):
    """The Motion part of the application."""

    #: set by an embedding system to override the deadline policy's ``motion_rules``
    _motion_rules: Mapping[str, MotionRule] | None = None

    @property
    def motion_rules(self) -> Mapping[str, MotionRule]:
        """Who may put a motion to each level's congress: the province policy's
        ``motion_rules`` (:class:`~renda_core.domain.deadlines.DeadlinePolicy`, the
        law's numbers by default), unless an embedding system set its own."""
        if self._motion_rules is not None:
            return self._motion_rules
        policy = getattr(self, "deadline_policy", None)
        return policy.motion_rules if policy is not None else DEFAULT_RULES

    @motion_rules.setter
    def motion_rules(self, rules: Mapping[str, MotionRule]) -> None:
        self._motion_rules = rules

    @command("motion.draft", DraftMotion, DEPUTY)
    def draft_motion(self, cmd: DraftMotion, actor: Actor) -> UUID:
        """Draft a motion; returns its id."""
        lead_id: str | None = None
        if cmd.proposer is Proposer.DEPUTIES:
            own = _own_deputy(actor)
            if own is not None and cmd.lead_deputy is not None and str(cmd.lead_deputy) != own:
                raise Forbidden(f"{actor} may draft only as the lead deputy ({own})")
            lead = cmd.lead_deputy or own
            if lead is None:
                raise InvalidInput(
                    "lead_deputy: the lead deputy (领衔代表) is required",
                    [{"field": "lead_deputy", "message": "required when staff drafts"}],
                )
            deputy = self._active_deputy(lead, "lead a motion", cmd.date)
            if deputy.level != cmd.level.value:
                raise RuleViolated(
                    f"{deputy.name} is a deputy of level {deputy.level}, not {cmd.level.value}"
                )
            lead_id = str(deputy.id)
        elif role_kind(actor.role) != "staff":
            raise Forbidden("a delegation's motion is recorded by staff")
        motion = Motion.draft(
            title=cmd.title,
            body=cmd.body,
            level=cmd.level,
            proposer=cmd.proposer,
            lead_deputy=lead_id,
            delegation=cmd.delegation,
            area=cmd.area,
            rule=self.motion_rules[cmd.level.value],
            on=cmd.date,
            actor=actor,
        )
        self._save(motion)
        return motion.id

    @command("motion.cosign", CosignMotion, DEPUTY)
    def cosign_motion(self, cmd: CosignMotion, actor: Actor) -> None:
        """A deputy of the motion's level joins it (联名)."""
        own = _own_deputy(actor)
        if own is not None and cmd.deputy_id is not None and str(cmd.deputy_id) != own:
            raise Forbidden(f"{actor} may co-sign only as themself ({own})")
        deputy_id = cmd.deputy_id or own
        if deputy_id is None:
            raise InvalidInput(
                "deputy_id: the co-signing deputy is required",
                [{"field": "deputy_id", "message": "required when staff records it"}],
            )
        motion = self._load(Motion, cmd.motion_id, "motion")
        deputy = self._active_deputy(deputy_id, "co-sign a motion", cmd.date)
        if deputy.level != motion.level:
            raise RuleViolated(f"{deputy.name} is not a deputy of the motion's level")
        motion.cosign(deputy_id=str(deputy.id), on=cmd.date, actor=actor)
        self._save(motion)

    @command("motion.submit", SubmitMotion, DEPUTY)
    def submit_motion(self, cmd: SubmitMotion, actor: Actor) -> str:
        """Submit to the session of the motion's level open on the date; returns its id."""
        motion = self._load(Motion, cmd.motion_id, "motion")
        own = _own_deputy(actor)
        if own is not None and own != motion.lead_deputy:
            raise Forbidden(f"{actor} is not the motion's lead deputy")
        if motion.lead_deputy is not None:
            lead = self._load(Deputy, motion.lead_deputy, "deputy")
            lead.check_may_exercise_duties("submit a motion", cmd.date)
        roll = self._roll(motion.level)
        session = (
            self._load(CongressSession, roll.open_session, "session")
            if roll is not None and roll.open_session is not None
            else None
        )
        if session is None or not session.is_open_on(cmd.date):
            raise RuleViolated(
                "a motion is submitted while a session of its level's congress is open; "
                f"none is open on {cmd.date}"
            )
        motion.submit(
            session_id=str(session.id),
            rule=self.motion_rules[motion.level],
            on=cmd.date,
            actor=actor,
        )
        self._save(motion)
        return str(session.id)

    @command("motion.receive", ReceiveMotion, STAFF)
    def receive_motion(self, cmd: ReceiveMotion, actor: Actor) -> None:
        """Record the receipt of a submitted motion."""
        self._change(Motion, cmd.motion_id, "motion", lambda m: m.receive(on=cmd.date, actor=actor))

    @command("motion.decide", DecideMotion, STAFF)
    def decide_motion(self, cmd: DecideMotion, actor: Actor) -> str | None:
        """Record the presidium's decision; not on the agenda, the motion becomes a
        suggestion (linked both ways, one write): returns the suggestion's id."""
        motion = self._load(Motion, cmd.motion_id, "motion")
        if cmd.decision is Decision.AGENDA:
            motion.decide(
                decision=cmd.decision,
                reason=cmd.reason,
                suggestion_id=None,
                on=cmd.date,
                actor=actor,
            )
            self._save(motion)
            return None
        motion.check_decision(on=cmd.date)  # before creating anything
        suggestion = self._suggestion_for(motion, cmd, actor)
        motion.decide(
            decision=cmd.decision,
            reason=cmd.reason,
            suggestion_id=str(suggestion.id),
            on=cmd.date,
            actor=actor,
        )
        suggestion.link_motion(motion_id=str(motion.id), on=cmd.date, actor=actor)
        suggestion.submit(on=cmd.date, clock=self.clock(), actor=actor)
        changed: list[Any] = [motion, suggestion]
        assert motion.session_id is not None
        session = self._load(CongressSession, motion.session_id, "session")
        if session.is_open_on(cmd.date):  # a session suggestion, assigned after the close
            session.receive(suggestion_id=str(suggestion.id), on=cmd.date, actor=actor)
            changed.append(session)
        self._save(*changed)
        return str(suggestion.id)

    @command("motion.vote", VoteMotion, STAFF)
    def vote_motion(self, cmd: VoteMotion, actor: Actor) -> None:
        """Record whether the congress passed a motion on its agenda."""
        self._change(
            Motion,
            cmd.motion_id,
            "motion",
            lambda m: m.vote(passed=cmd.passed, on=cmd.date, actor=actor),
        )

    # -- queries ----------------------------------------------------------------

    def motion(self, motion_id: UUID | str) -> dict[str, Any]:
        return self._load(Motion, motion_id, "motion").to_dict()

    # -- helpers ----------------------------------------------------------------

    def _suggestion_for(self, motion: Motion, cmd: DecideMotion, actor: Actor) -> Suggestion:
        """The suggestion a motion not on the agenda is handled as: led by its lead
        deputy (a delegation's motion has none), a session suggestion of its level, of
        the lead deputy's area or the delegation's, submitted on the day of the
        decision (and received by the session if it is still open)."""
        lead = None
        area = motion.area or ""  # a delegation's; "" only for one drafted before areas
        if motion.lead_deputy is not None:
            lead = self._load(Deputy, motion.lead_deputy, "deputy")
            area = lead.area
        return Suggestion.draft(
            title=motion.title,
            body=motion.body,
            category=cmd.category,
            channel=Channel.SESSION,
            source=Source.SESSION,
            lead_deputy=str(lead.id) if lead else None,
            lead_name=lead.name if lead else motion.delegation,
            area=area,
            level=motion.level,
            on=cmd.date,
            actor=actor,
        )


def _own_deputy(actor: Actor) -> str | None:
    """The deputy a ``deputy:<id>`` actor is (None for staff)."""
    if role_kind(actor.role) != "deputy":
        return None
    subject = role_subject(actor.role) or ""
    try:
        return str(UUID(subject))
    except ValueError:
        raise Forbidden(f"{actor}: the role names no deputy id") from None
