"""The deputy's mandate over time: terms (届), suspension of duties and its end, the
announcement (公告) of a termination, the by-election (补选) that fills the vacant seat,
re-election into a later term, and a term's overview (members, seats, vacancies).

Terminations themselves are ``deputy.terminate`` (application/deputies.py), which now
takes a statutory ``ground``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field, field_validator

from renda_core.application.base import RendaBase
from renda_core.application.commands import (
    AreaCode,
    BusinessDate,
    Command,
    GenderField,
    LevelField,
    Phone,
    Text,
    accepts_labels,
    check_area_prefix,
    command,
)
from renda_core.domain.deputy import FILLED, STATUS_LABELS, VACANT, Deputy
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
    title: Text | None = Field(
        default=None,
        description="default: e.g. 吉林省第十四届人民代表大会 (by the store's province)",
    )
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


class ByElectDeputy(Command):
    """A by-election (补选) fills the seat of an announced vacancy: the new deputy's
    mandate, of the vacancy's level and term, linked to the vacancy it fills."""

    vacancy_id: UUID = Field(description="the deputy whose terminated mandate left the seat")
    name: Text
    date: BusinessDate = Field(description="business date: when the new mandate began")
    electoral_unit: Text | None = Field(default=None, description="default: the vacancy's")
    area: AreaCode | None = Field(default=None, description="default: the vacancy's")
    gender: GenderField | None = None
    ethnicity: Text | None = None
    category: Text | None = None
    phone: Phone | None = None

    _area = field_validator("area")(check_area_prefix)


class MandateCommands(RendaBase):
    """Terms and the deputy's lifecycle beyond registration and termination."""

    @command("term.begin", BeginTerm, STAFF)
    def begin_term(self, cmd: BeginTerm, actor: Actor) -> UUID:
        """Record a term; returns its id (the same for the same level and number)."""
        if self._exists(term_id(cmd.level.value, cmd.number)):
            raise RuleViolated(f"term {cmd.number} of level {cmd.level.value} is already recorded")
        term = Term.begin(
            level=cmd.level,
            number=cmd.number,
            title=cmd.title,
            on=cmd.date,
            actor=actor,
            name=None if cmd.title else self.congress_name(cmd.level.value),
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

    @command("deputy.by-elect", ByElectDeputy, STAFF)
    def by_elect_deputy(self, cmd: ByElectDeputy, actor: Actor) -> UUID:
        """Record the deputy elected in a by-election to a vacant seat; returns the new
        deputy's id. The vacancy and the new mandate are written together."""
        vacancy = self._load(Deputy, cmd.vacancy_id, "deputy")
        key = term_id(vacancy.level, vacancy.term)
        if self._exists(key):
            term = self._load(Term, key, "term")
            if not term.covers(cmd.date):
                raise RuleViolated(
                    f"date {cmd.date} is outside {term.title}: a by-election fills a seat "
                    "within the term"
                )
        deputy = Deputy.by_elect(
            vacancy=vacancy,
            name=cmd.name,
            on=cmd.date,
            actor=actor,
            electoral_unit=cmd.electoral_unit,
            area=cmd.area,
            gender=cmd.gender,
            ethnicity=cmd.ethnicity,
            category=cmd.category,
            phone=cmd.phone,
        )
        self._save(deputy, vacancy)
        return deputy.id

    # -- queries ----------------------------------------------------------------

    def term_overview(self, level: str, number: int, deputy_ids: Iterable[str]) -> dict[str, Any]:
        """One term (届) with its members among ``deputy_ids`` (the roster's deputies of
        the level): each with the mandate's status in this term, the vacancies and the
        by-elections, and the seats per electoral unit. A deputy re-elected into a
        later term is one record: listed in both terms, ``continued_in`` naming the next."""
        term = self.term(level, number)
        members, vacancies, by_elections = [], [], []
        seats: dict[str, dict[str, int]] = {}
        for deputy_id in deputy_ids:
            d = self._load(Deputy, deputy_id, "deputy")
            spans = [t for t in d.terms if t["term"] == number]
            if d.level != term["level"] or not spans:
                continue
            later = [t["term"] for t in d.terms if t["term"] > number]
            status = "reelected" if later else d.status
            row = {
                "id": str(d.id),
                "name": d.name,
                "electoral_unit": d.electoral_unit,  # the current one (ReElected may change it)
                "status": status,
                "status_label": STATUS_LABELS.get(status, "连任"),
                "from": spans[0]["from"].isoformat(),
                "to": spans[-1]["to"].isoformat() if spans[-1]["to"] else None,
                "continued_in": later[0] if later else None,
                "terms": [t["term"] for t in d.terms],
                "fills": d.fills,
                "vacancy": d.vacancy if not later else None,
            }
            members.append(row)
            unit = seats.setdefault(
                row["electoral_unit"],
                {"members": 0, "holding": 0, "suspended": 0, "vacant": 0, "filled": 0},
            )
            unit["members"] += 1
            if status in ("active", "suspended", "reelected"):
                unit["holding"] += 1
            unit["suspended"] += status == "suspended"
            if d.vacancy in (VACANT, FILLED) and not later:
                unit[d.vacancy] += 1
            if d.vacancy is not None and not later:
                vacancies.append(
                    {
                        "deputy_id": str(d.id),
                        "name": d.name,
                        "electoral_unit": d.electoral_unit,
                        "terminated_on": d.terminated_on.isoformat() if d.terminated_on else None,
                        "ground": d.termination_ground,
                        "announced_on": d.announced_on.isoformat() if d.announced_on else None,
                        "notice": d.announcement,
                        "status": d.vacancy,
                        "filled_by": d.filled_by,
                        "filled_on": d.filled_on.isoformat() if d.filled_on else None,
                    }
                )
            if d.fills is not None:
                by_elections.append(
                    {"deputy_id": str(d.id), "name": d.name, "fills": d.fills, "on": row["from"]}
                )
        members.sort(key=lambda r: (r["electoral_unit"], r["from"], r["name"]))
        return {
            "term": term,
            "members": members,
            "seats": [{"electoral_unit": u, **c} for u, c in sorted(seats.items())],
            "vacancies": vacancies,
            "by_elections": by_elections,
        }

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
