"""Deputy (代表): identity, level, term, liaison with the standing committee (双联系),
contacts, suspension of duties, termination of the mandate and its announcement (公告),
and re-election into later terms (one record per person across terms).

Command methods (``register``, ``correct``, ``liaise``, …) check the rules first and only
then call the event-decorated methods, whose bodies are replayed on every load and so
stay deterministic and free of checks.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RefusalPhrase, RuleViolated
from renda_core.domain.ids import new_id
from renda_core.domain.mandate import (
    REASON_GROUND,
    SuspensionGround,
    TerminationGround,
    reason_of,
)
from renda_core.domain.values import (
    Actor,
    ContactForm,
    Gender,
    Level,
    TerminationReason,
    check_area_code,
    level_in,
    level_label,
)

ACTIVE = "active"
SUSPENDED = "suspended"
TERMINATED = "terminated"
STATUS_LABELS = {ACTIVE: "在任", SUSPENDED: "暂停执行代表职务", TERMINATED: "资格终止"}
#: the seat of a terminated mandate: not yet announced, vacant (缺额), filled by a by-election
UNANNOUNCED, VACANT, FILLED = "unannounced", "vacant", "filled"
VACANCY_LABELS = {UNANNOUNCED: "资格终止待公告", VACANT: "缺额", FILLED: "已补选"}


class Deputy(Aggregate):
    """A people's congress deputy (人大代表) at one of the five levels."""

    TOPIC = "renda:Deputy"

    class Event(Aggregate.Event):
        TOPIC = "renda:Deputy.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:Deputy.Created"

    if TYPE_CHECKING:  # defined by the @event decorators below
        Registered: ClassVar[type[Aggregate.Event]]
        DetailsCorrected: ClassVar[type[Aggregate.Event]]
        LiaisonAssigned: ClassVar[type[Aggregate.Event]]
        DutiesSuspended: ClassVar[type[Aggregate.Event]]
        DutiesResumed: ClassVar[type[Aggregate.Event]]
        TerminationAnnounced: ClassVar[type[Aggregate.Event]]
        ReElected: ClassVar[type[Aggregate.Event]]
        ByElected: ClassVar[type[Aggregate.Event]]
        VacancyFilled: ClassVar[type[Aggregate.Event]]

    class LiaisonEnded(Event):
        """A liaison ended (class version 2: names the member, as a deputy may have
        several). Version 1 had no ``member``: it ended the one liaison then open."""

        TOPIC = "renda:Deputy.LiaisonEnded"
        class_version = 2

        member: str | None
        on: date
        actor: Actor

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """``member`` added: ``None`` is the one liaison open at the time."""
            state.setdefault("member", None)

    class MandateTerminated(Event):
        """The mandate ended (class version 2: the statutory ``ground``). Version 1
        had only the coarse ``reason``: it replays with ground ``unspecified``."""

        TOPIC = "renda:Deputy.MandateTerminated"
        class_version = 2

        reason: str
        ground: str
        on: date
        actor: Actor

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """``ground`` added: older terminations have none."""
            state.setdefault("ground", TerminationGround.UNSPECIFIED.value)

    class ContactRecorded(Event):
        """A contact between the liaison member and the deputy (class version 3).

        Older shapes still replay (see "Schema evolution" in docs/events.md): version 1
        had no ``note``; version 2 called ``form`` ``kind``.
        """

        TOPIC = "renda:Deputy.ContactRecorded"
        class_version = 3

        form: str
        member: str
        note: str | None
        on: date
        actor: Actor

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """``note`` added: older contacts have none."""
            state.setdefault("note", None)

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            """``kind`` renamed ``form``."""
            state["form"] = state.pop("kind")

    CORRECTABLE: ClassVar[tuple[str, ...]] = (
        "name",
        "gender",
        "ethnicity",
        "level",
        "term",
        "electoral_unit",
        "area",
        "category",
        "phone",
    )

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        return new_id()

    # -- commands ---------------------------------------------------------------

    @classmethod
    def register(
        cls,
        *,
        name: str,
        level: Level,
        term: int,
        electoral_unit: str,
        area: str,
        on: date,
        actor: Actor,
        gender: Gender | None = None,
        ethnicity: str | None = None,
        category: str | None = None,
        phone: str | None = None,
    ) -> Deputy:
        check_area_code(area)
        check_level_of_area(Level.of(level).value, area)
        if term < 1:
            raise RuleViolated(f"term (届) must be 1 or more, got {term}")
        return cls(
            name=name,
            gender=gender.value if gender else None,
            ethnicity=ethnicity,
            level=Level.of(level).value,
            term=term,
            electoral_unit=electoral_unit,
            area=area,
            category=category,
            phone=phone,
            on=on,
            actor=actor,
        )

    @classmethod
    def by_elect(
        cls,
        *,
        vacancy: Deputy,
        name: str,
        on: date,
        actor: Actor,
        electoral_unit: str | None = None,
        area: str | None = None,
        gender: Gender | None = None,
        ethnicity: str | None = None,
        category: str | None = None,
        phone: str | None = None,
    ) -> Deputy:
        """A by-election (补选) fills the seat ``vacancy`` left: a new deputy of the same
        level and term, by default of the same electoral unit and area, whose record
        names the vacancy (``ByElected``); the vacancy records who filled it
        (``VacancyFilled``). Save both in one write."""
        vacancy.check_vacant(on)
        deputy = cls.register(
            name=name,
            level=Level.of(vacancy.level),
            term=vacancy.term,
            electoral_unit=electoral_unit or vacancy.electoral_unit,
            area=area or vacancy.area,
            on=on,
            actor=actor,
            gender=gender,
            ethnicity=ethnicity,
            category=category,
            phone=phone,
        )
        deputy._by_elected(vacancy=str(vacancy.id), on=on, actor=actor)
        vacancy._vacancy_filled(deputy=str(deputy.id), on=on, actor=actor)
        return deputy

    def check_vacant(self, on: date) -> None:
        """The seat this mandate held is vacant on ``on``: terminated, announced (公告),
        not yet filled."""
        if self.status != TERMINATED or self.terminated_on is None:
            raise RuleViolated(
                f"{self.name}'s mandate holds ({STATUS_LABELS[self.status]}): "
                "the seat is not vacant"
            )
        if self.announced_on is None:
            raise RuleViolated(
                f"the termination of {self.name}'s mandate is not announced (公告) yet: "
                "announce it before a by-election"
            )
        if self.filled_by is not None:
            raise RuleViolated(
                f"the seat {self.name} left was already filled on {self.filled_on} "
                f"by deputy {self.filled_by}"
            )
        self._check_not_before(on, self.announced_on, "the announcement of the vacancy")

    def correct(self, changes: dict[str, Any], *, on: date, actor: Actor) -> None:
        """Correct recorded facts; allowed after termination too."""
        unknown = set(changes) - set(self.CORRECTABLE)
        if unknown:
            raise RuleViolated(f"cannot correct {', '.join(sorted(unknown))}")
        self._check_not_before(on, self.registered_on, "registration")
        if "area" in changes and changes["area"] is not None:
            check_area_code(changes["area"])
        if "term" in changes and (changes["term"] is None or changes["term"] < 1):
            raise RuleViolated("term (届) must be 1 or more")
        for required in ("name", "level", "electoral_unit", "area"):
            if required in changes and not changes[required]:
                raise RuleViolated(f"{required} cannot be cleared")
        plain = {
            key: (value.value if isinstance(value, Gender | Level) else value)
            for key, value in changes.items()
        }
        effective = {k: v for k, v in plain.items() if getattr(self, k) != v}
        if "level" in effective or "area" in effective:
            level, area = effective.get("level", self.level), effective.get("area", self.area)
            check_level_of_area(level, area)
        if not effective:
            raise RuleViolated("nothing to correct: the values are already recorded")
        self._corrected(changes=effective, on=on, actor=actor)

    def liaise(self, *, member: str, on: date, actor: Actor) -> None:
        """Assign a standing-committee member as one of this deputy's liaisons (双联系).

        A deputy may have several liaison members at once, but each only once."""
        self._check_active("assign a liaison")
        self._check_not_before(on, self.registered_on, "registration")
        if member in self.open_liaisons:
            raise RuleViolated(f"{member} is already this deputy's liaison")
        # ``_liaison_assigned``'s event, triggered directly (see record_contact)
        self.trigger_event(self.LiaisonAssigned, member=member, on=on, actor=actor)

    def unliaise(self, *, on: date, actor: Actor, member: str | None = None) -> None:
        """End a liaison: the one with ``member``, or the only one open."""
        self._check_active("end a liaison")
        member = self._open_member(member, "end")
        self._check_not_before(on, self.open_liaisons[member], "the start of the liaison")
        self._liaison_ended(member=member, on=on, actor=actor)

    def record_contact(
        self,
        *,
        form: ContactForm,
        on: date,
        note: str | None,
        actor: Actor,
        member: str | None = None,
    ) -> None:
        """Record a contact between a standing-committee member and this deputy: the
        member named (any member, liaison or not), or the only liaison member."""
        self._check_active("record a contact")
        self.check_may_exercise_duties("record a contact with a standing-committee member", on)
        if member is None:
            member = self._open_member(None, "record a contact with")
            self._check_not_before(on, self.open_liaisons[member], "the start of the liaison")
        else:
            self._check_not_before(on, self.registered_on, "registration")
        # the event ``_contact_recorded`` records, triggered directly: the decorator's
        # binding and argument mapping per call cost as much as the rest of the event
        # (an import records contacts by the thousand); the same event, all fields named
        self.trigger_event(
            self.ContactRecorded,
            form=ContactForm.of(form).value,
            member=member,
            note=note,
            on=on,
            actor=actor,
        )

    def terminate(
        self,
        *,
        reason: TerminationReason | None = None,
        on: date,
        actor: Actor,
        ground: TerminationGround | None = None,
    ) -> None:
        """Terminate the mandate (代表资格终止) on a statutory ``ground``; given only the
        coarse ``reason``, the ground it implies is recorded."""
        self._check_active("terminate the mandate")
        self._check_not_before(on, self.registered_on, "registration")
        for since in self.open_liaisons.values():
            self._check_not_before(on, since, "the start of the liaison")
        if self.suspended_on is not None:
            self._check_not_before(on, self.suspended_on, "the suspension")
        if ground is None and reason is None:
            raise RuleViolated("a termination needs its ground")
        if ground is not None and TerminationGround.of(ground) == TerminationGround.UNSPECIFIED:
            raise RuleViolated("name the ground of the termination")
        the_ground = (
            TerminationGround.of(ground)
            if ground is not None
            else REASON_GROUND[TerminationReason.of(reason)]  # type: ignore[arg-type]
        )
        the_reason = TerminationReason.of(reason) if reason is not None else reason_of(the_ground)
        self._terminated(reason=the_reason.value, ground=the_ground.value, on=on, actor=actor)

    def suspend(self, *, ground: SuspensionGround, on: date, actor: Actor) -> None:
        """Suspend the deputy's duties (暂停执行代表职务) on a ground the law names."""
        self._check_active("suspend the duties")
        if self.status == SUSPENDED:
            raise RuleViolated(
                f"the deputy's duties are already suspended since {self.suspended_on}"
            )
        self._check_not_before(on, self.registered_on, "registration")
        if self.resumed_on is not None:
            self._check_not_before(on, self.resumed_on, "the last resumption")
        self._suspended(ground=SuspensionGround.of(ground).value, on=on, actor=actor)

    def resume(self, *, on: date, actor: Actor) -> None:
        """The ground of the suspension ceased: the deputy resumes the duties (恢复执行代表职务)."""
        if self.status != SUSPENDED or self.suspended_on is None:
            raise RuleViolated("the deputy's duties are not suspended")
        self._check_not_before(on, self.suspended_on, "the suspension")
        self._resumed(on=on, actor=actor)

    def announce_termination(self, *, notice: str, on: date, actor: Actor) -> None:
        """The standing committee announces (公告) the termination: the seat is vacant."""
        if self.status != TERMINATED or self.terminated_on is None:
            raise RuleViolated("only a terminated mandate is announced")
        if self.announced_on is not None:
            raise RuleViolated(f"the termination was already announced on {self.announced_on}")
        self._check_not_before(on, self.terminated_on, "the termination")
        self._announced(notice=notice, on=on, actor=actor)

    def reelect(self, *, term: int, electoral_unit: str | None, on: date, actor: Actor) -> None:
        """Re-elected into a later term (连任): the same record carries on."""
        self._check_active("re-elect")
        if self.status == SUSPENDED:
            raise RuleViolated("a deputy whose duties are suspended cannot be re-elected here")
        if term <= self.term:
            raise RuleViolated(f"term {term} is not after the current term ({self.term})")
        self._check_not_before(on, self.terms[-1]["from"], "the start of the current term")
        self._reelected(term=term, electoral_unit=electoral_unit, on=on, actor=actor)

    # -- guards -----------------------------------------------------------------

    def suspension_on(self, day: date) -> dict[str, Any] | None:
        """The suspension of duties (暂停执行代表职务) in force on ``day``, if any: from
        its first day up to (not including) the day the deputy resumed."""
        for entry in self.suspensions:
            if entry["since"] <= day and (entry["until"] is None or day < entry["until"]):
                return entry
        return None

    def check_may_exercise_duties(self, what: RefusalPhrase, on: date) -> None:
        """Refuse an act in which the deputy exercises the duties while they are
        suspended on ``on`` (Deputies Law, 暂停执行代表职务): a :class:`RuleViolated`
        naming the suspension. Staff's records about the deputy are not such acts."""
        entry = self.suspension_on(on)
        if entry is not None:
            ground = SuspensionGround.of(entry["ground"])
            raise RuleViolated(
                f"{self.name} ({self.id}) cannot {what} on {on}: the deputy's duties are "
                f"suspended (暂停执行代表职务) since {entry['since']}, "
                f"ground {ground.value} ({ground.label})"
            )

    @property
    def is_active(self) -> bool:
        """The mandate holds (in office, or with the duties suspended)."""
        return self.status != TERMINATED

    @property
    def open_liaisons(self) -> dict[str, date]:
        """The liaison members now, with the day each began."""
        return {x["member"]: x["since"] for x in self.liaisons if x["until"] is None}

    def _open_member(self, member: str | None, what: RefusalPhrase) -> str:
        current = self.open_liaisons
        if member is None:
            if not current and what == "end":
                raise RuleViolated("deputy has no liaison to end")
            if not current:
                raise RuleViolated(
                    "a contact needs an active standing-committee liaison, or the member named"
                )
            if len(current) > 1:
                raise RuleViolated(
                    f"deputy has {len(current)} liaisons ({', '.join(current)}): name the member"
                )
            return next(iter(current))
        if member not in current:
            raise RuleViolated(f"{member} is not a liaison of this deputy")
        return member

    def _check_active(self, what: RefusalPhrase) -> None:
        if not self.is_active:
            raise RuleViolated(f"cannot {what}: the deputy's mandate ended on {self.terminated_on}")

    @staticmethod
    def _check_not_before(on: date, earliest: date, what: RefusalPhrase) -> None:
        if on < earliest:
            raise RuleViolated(f"date {on} is before {what} ({earliest})")

    # -- events (bodies are replayed on load) -------------------------------------

    @event("Registered", topic="renda:Deputy.Registered")
    def __init__(
        self,
        *,
        name: str,
        gender: str | None,
        ethnicity: str | None,
        level: str,
        term: int,
        electoral_unit: str,
        area: str,
        category: str | None,
        phone: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        self.name = name
        self.gender = gender
        self.ethnicity = ethnicity
        self.level = level
        self.term = term
        self.electoral_unit = electoral_unit
        self.area = area
        self.category = category
        self.phone = phone
        self.registered_on = on
        self.status = ACTIVE
        self.terminated_on: date | None = None
        self.termination_reason: str | None = None
        self.liaison: str | None = None
        self.liaison_since: date | None = None
        self.liaisons: list[dict[str, Any]] = []
        self.contacts: list[dict[str, Any]] = []
        self.termination_ground: str | None = None
        self.suspended_on: date | None = None
        self.suspension_ground: str | None = None
        self.resumed_on: date | None = None
        self.suspensions: list[dict[str, Any]] = []
        self.announced_on: date | None = None
        self.announcement: str | None = None
        self.terms: list[dict[str, Any]] = [{"term": term, "from": on, "to": None}]
        self.fills: str | None = None
        self.filled_by: str | None = None
        self.filled_on: date | None = None

    @event("DetailsCorrected", topic="renda:Deputy.DetailsCorrected")
    def _corrected(self, *, changes: dict[str, Any], on: date, actor: Actor) -> None:
        for key, value in changes.items():
            setattr(self, key, value)
        if "term" in changes:
            self.terms[-1]["term"] = changes["term"]

    @event("LiaisonAssigned", topic="renda:Deputy.LiaisonAssigned")
    def _liaison_assigned(self, *, member: str, on: date, actor: Actor) -> None:
        self.liaison = member
        self.liaison_since = on
        self.liaisons.append({"member": member, "since": on, "until": None})

    @event(LiaisonEnded)
    def _liaison_ended(self, *, member: str | None, on: date, actor: Actor) -> None:
        for entry in reversed(self.liaisons):
            if entry["until"] is None and member in (None, entry["member"]):
                entry["until"] = on
                break
        self._latest_liaison()

    def _latest_liaison(self) -> None:
        """``liaison``/``liaison_since``: the most recently begun liaison still open."""
        open_ = [x for x in self.liaisons if x["until"] is None]
        self.liaison = open_[-1]["member"] if open_ else None
        self.liaison_since = open_[-1]["since"] if open_ else None

    @event(ContactRecorded)
    def _contact_recorded(
        self, *, form: str, member: str, note: str | None, on: date, actor: Actor
    ) -> None:
        self.contacts.append({"form": form, "member": member, "note": note, "on": on})

    @event(MandateTerminated)
    def _terminated(self, *, reason: str, ground: str, on: date, actor: Actor) -> None:
        self.status = TERMINATED
        self.terminated_on = on
        self.termination_reason = reason
        self.termination_ground = ground
        for entry in self.liaisons:
            if entry["until"] is None:
                entry["until"] = on
        if self.suspensions and self.suspensions[-1]["until"] is None:
            self.suspensions[-1]["until"] = on
        self.terms[-1]["to"] = on
        self.liaison = None
        self.liaison_since = None

    @event("DutiesSuspended", topic="renda:Deputy.DutiesSuspended")
    def _suspended(self, *, ground: str, on: date, actor: Actor) -> None:
        self.status = SUSPENDED
        self.suspended_on = on
        self.suspension_ground = ground
        self.suspensions.append({"ground": ground, "since": on, "until": None})

    @event("DutiesResumed", topic="renda:Deputy.DutiesResumed")
    def _resumed(self, *, on: date, actor: Actor) -> None:
        self.status = ACTIVE
        self.suspended_on = None
        self.suspension_ground = None
        self.resumed_on = on
        self.suspensions[-1]["until"] = on

    @event("TerminationAnnounced", topic="renda:Deputy.TerminationAnnounced")
    def _announced(self, *, notice: str, on: date, actor: Actor) -> None:
        self.announced_on = on
        self.announcement = notice

    @event("ReElected", topic="renda:Deputy.ReElected")
    def _reelected(self, *, term: int, electoral_unit: str | None, on: date, actor: Actor) -> None:
        self.terms[-1]["to"] = on
        self.terms.append({"term": term, "from": on, "to": None})
        self.term = term
        if electoral_unit is not None:
            self.electoral_unit = electoral_unit

    @event("ByElected", topic="renda:Deputy.ByElected")
    def _by_elected(self, *, vacancy: str, on: date, actor: Actor) -> None:
        self.fills = vacancy

    @event("VacancyFilled", topic="renda:Deputy.VacancyFilled")
    def _vacancy_filled(self, *, deputy: str, on: date, actor: Actor) -> None:
        self.filled_by = deputy
        self.filled_on = on

    # -- reading ----------------------------------------------------------------

    @property
    def vacancy(self) -> str | None:
        """The seat after the mandate ended: unannounced, vacant, filled (None: it holds)."""
        if self.status != TERMINATED:
            return None
        if self.filled_by is not None:
            return FILLED
        return VACANT if self.announced_on is not None else UNANNOUNCED

    def to_dict(self) -> dict[str, Any]:
        """Plain data for queries and ``--json`` output."""
        return {
            "id": str(self.id),
            "name": self.name,
            "gender": self.gender,
            "ethnicity": self.ethnicity,
            "level": self.level,
            "level_label": level_label(self.level, self.area),
            "term": self.term,
            "electoral_unit": self.electoral_unit,
            "area": self.area,
            "category": self.category,
            "phone": self.phone,
            "registered_on": self.registered_on.isoformat(),
            "status": self.status,
            "status_label": STATUS_LABELS[self.status],
            "terminated_on": _iso(self.terminated_on),
            "termination_reason": self.termination_reason,
            "termination_ground": self.termination_ground,
            "termination_ground_label": (
                TerminationGround.of(self.termination_ground).label
                if self.termination_ground
                else None
            ),
            "announced_on": _iso(self.announced_on),
            "announcement": self.announcement,
            "suspension_ground": self.suspension_ground,
            "suspensions": [
                {**x, "since": _iso(x["since"]), "until": _iso(x["until"])}
                for x in self.suspensions
            ],
            "terms": [{**x, "from": _iso(x["from"]), "to": _iso(x["to"])} for x in self.terms],
            "fills": self.fills,
            "vacancy": self.vacancy,
            "vacancy_label": VACANCY_LABELS[self.vacancy] if self.vacancy else None,
            "filled_by": self.filled_by,
            "filled_on": _iso(self.filled_on),
            "liaison": self.liaison,
            "liaison_since": _iso(self.liaison_since),
            "liaisons": [
                {**x, "since": _iso(x["since"]), "until": _iso(x["until"])} for x in self.liaisons
            ],
            "contacts": [{**c, "on": _iso(c["on"])} for c in self.contacts],
            "version": self.version,
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def check_level_of_area(level: str, area: str) -> None:
    """A deputy's level must exist where the deputy is: a municipality (直辖市) has no
    congress of a city with districts (:func:`~renda_core.domain.values.level_in`)."""
    try:
        level_in(level, area[:2])
    except ValueError as exc:
        raise RuleViolated(str(exc)) from None
