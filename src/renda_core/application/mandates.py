"""The deputy's mandate over time: terms (届), suspension of duties and its end, the
announcement (公告) of a termination, re-election into a later term.

Terminations themselves are ``deputy.terminate`` (application/deputies.py), which now
takes a statutory ``ground``.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from renda_core.application.base import RendaBase
from renda_core.application.commands import (
    BusinessDate,
    Command,
    LevelField,
    Text,
    accepts_labels,
    command,
)
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import NotFound, RuleViolated
from renda_core.domain.mandate import SuspensionGround, Term, TerminationGround, term_id
from renda_core.domain.values import Actor, Level

STAFF = {"staff"}

TerminationGroundField = Annotated[TerminationGround, accepts_labels(TerminationGround)]
SuspensionGroundField = Annotated[SuspensionGround, accepts_labels(SuspensionGround)]


class BeginTerm(Command):
    """Record a term (届) of a level's people's congress."""

    level: LevelField
    number: int = Field(ge=1, le=99, description="届")
    title: Text | None = Field(default=None, description="default: e.g. 省第十四届人民代表大会")
    date: BusinessDate = Field(description="the day the term began")


class EndTerm(Command):
    """Record the end of a term (届满)."""

    level: LevelField
    number: int = Field(ge=1, le=99)
    date: BusinessDate


class SuspendDeputy(Command):
    """Suspend a deputy's duties (暂停执行代表职务) on a ground the law names."""

    deputy_id: UUID
    ground: SuspensionGroundField
    date: BusinessDate


class ResumeDeputy(Command):
    """The ground of a suspension ceased: the deputy resumes the duties."""

    deputy_id: UUID
    date: BusinessDate


class AnnounceTermination(Command):
    """Announce (公告) a terminated mandate: the seat is vacant."""

    deputy_id: UUID
    notice: Text = Field(description="the notice's number or title, e.g. 公告第12号")
    date: BusinessDate


class ReelectDeputy(Command):
    """Re-elected into a later term (连任): the same deputy record carries on."""

    deputy_id: UUID
    term: int = Field(ge=1, le=99, description="the new term (届); its Term must be recorded")
    electoral_unit: Text | None = None
    date: BusinessDate


class MandateCommands(RendaBase):
    """Terms and the deputy's lifecycle beyond registration and termination."""

    @command("term.begin", BeginTerm, STAFF)
    def begin_term(self, cmd: BeginTerm, actor: Actor) -> UUID:
        """Record a term; returns its id (the same for the same level and number)."""
        if self._exists(term_id(cmd.level.value, cmd.number)):
            raise RuleViolated(f"term {cmd.number} of level {cmd.level.value} is already recorded")
        term = Term.begin(
            level=cmd.level, number=cmd.number, title=cmd.title, on=cmd.date, actor=actor
        )
        self._save(term)
        return term.id

    @command("term.end", EndTerm, STAFF)
    def end_term(self, cmd: EndTerm, actor: Actor) -> None:
        """Record the end of a term."""
        self._change(
            Term,
            term_id(cmd.level.value, cmd.number),
            "term",
            lambda t: t.end(on=cmd.date, actor=actor),
        )

    @command("deputy.suspend", SuspendDeputy, STAFF)
    def suspend_deputy(self, cmd: SuspendDeputy, actor: Actor) -> None:
        """Suspend a deputy's duties."""
        self._change(
            Deputy,
            cmd.deputy_id,
            "deputy",
            lambda d: d.suspend(ground=cmd.ground, on=cmd.date, actor=actor),
        )

    @command("deputy.resume", ResumeDeputy, STAFF)
    def resume_deputy(self, cmd: ResumeDeputy, actor: Actor) -> None:
        """End a suspension: the deputy resumes the duties."""
        self._change(Deputy, cmd.deputy_id, "deputy", lambda d: d.resume(on=cmd.date, actor=actor))

    @command("deputy.announce", AnnounceTermination, STAFF)
    def announce_termination(self, cmd: AnnounceTermination, actor: Actor) -> None:
        """Announce a terminated mandate (公告)."""
        self._change(
            Deputy,
            cmd.deputy_id,
            "deputy",
            lambda d: d.announce_termination(notice=cmd.notice, on=cmd.date, actor=actor),
        )

    @command("deputy.reelect", ReelectDeputy, STAFF)
    def reelect_deputy(self, cmd: ReelectDeputy, actor: Actor) -> None:
        """Re-elect a deputy into a later, recorded term of the same level."""
        deputy = self._load(Deputy, cmd.deputy_id, "deputy")
        key = term_id(deputy.level, cmd.term)
        if not self._exists(key):
            raise NotFound(
                f"term {cmd.term} of level {deputy.level} is not recorded: "
                "record it with `renda term begin` first"
            )
        term = self._load(Term, key, "term")
        if not term.covers(cmd.date):
            raise RuleViolated(f"date {cmd.date} is outside {term.title}")
        deputy.reelect(term=cmd.term, electoral_unit=cmd.electoral_unit, on=cmd.date, actor=actor)
        self._save(deputy)

    # -- queries ----------------------------------------------------------------

    def term(self, level: str, number: int) -> dict[str, Any]:
        return self._load(Term, term_id(Level.of(level).value, number), "term").to_dict()

    def terms(self, level: str | None = None) -> list[dict[str, Any]]:
        """The recorded terms (of one level), from number 1 to 99."""
        out = []
        for lv in Level:
            if level is not None and lv.value != level:
                continue
            for number in range(1, 100):
                if self._exists(term_id(lv.value, number)):
                    out.append(self.term(lv.value, number))
        return out
