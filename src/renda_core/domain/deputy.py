"""Deputy (代表): identity, level, term, liaison with the standing committee (双联系),
contacts, and termination of the mandate.

Command methods (``register``, ``correct``, ``liaise``, …) check the rules first and only
then call the event-decorated methods, whose bodies are replayed on every load and so
stay deterministic and free of checks.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RuleViolated
from renda_core.domain.ids import new_id
from renda_core.domain.values import (
    Actor,
    ContactForm,
    Gender,
    Level,
    TerminationReason,
    check_area_code,
)

ACTIVE = "active"
TERMINATED = "terminated"
STATUS_LABELS = {ACTIVE: "在任", TERMINATED: "资格终止"}


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
        LiaisonEnded: ClassVar[type[Aggregate.Event]]
        MandateTerminated: ClassVar[type[Aggregate.Event]]

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
        if not effective:
            raise RuleViolated("nothing to correct: the values are already recorded")
        self._corrected(changes=effective, on=on, actor=actor)

    def liaise(self, *, member: str, on: date, actor: Actor) -> None:
        """Assign a standing-committee member as this deputy's liaison (双联系)."""
        self._check_active("assign a liaison")
        self._check_not_before(on, self.registered_on, "registration")
        if self.liaison is not None:
            raise RuleViolated(f"deputy already has liaison {self.liaison}; end that liaison first")
        self._liaison_assigned(member=member, on=on, actor=actor)

    def unliaise(self, *, on: date, actor: Actor) -> None:
        """End the current liaison."""
        self._check_active("end a liaison")
        if self.liaison is None or self.liaison_since is None:
            raise RuleViolated("deputy has no liaison to end")
        self._check_not_before(on, self.liaison_since, "the start of the liaison")
        self._liaison_ended(on=on, actor=actor)

    def record_contact(
        self, *, form: ContactForm, on: date, note: str | None, actor: Actor
    ) -> None:
        """Record a contact between the liaison member and this deputy."""
        self._check_active("record a contact")
        if self.liaison is None or self.liaison_since is None:
            raise RuleViolated("a contact needs an active standing-committee liaison")
        self._check_not_before(on, self.liaison_since, "the start of the liaison")
        self._contact_recorded(
            form=ContactForm.of(form).value,
            member=self.liaison,
            note=note,
            on=on,
            actor=actor,
        )

    def terminate(self, *, reason: TerminationReason, on: date, actor: Actor) -> None:
        """Terminate the mandate (代表资格终止)."""
        self._check_active("terminate the mandate")
        self._check_not_before(on, self.registered_on, "registration")
        if self.liaison_since is not None:
            self._check_not_before(on, self.liaison_since, "the start of the liaison")
        self._terminated(reason=TerminationReason.of(reason).value, on=on, actor=actor)

    # -- guards -----------------------------------------------------------------

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE

    def _check_active(self, what: str) -> None:
        if not self.is_active:
            raise RuleViolated(f"cannot {what}: the deputy's mandate ended on {self.terminated_on}")

    @staticmethod
    def _check_not_before(on: date, earliest: date, what: str) -> None:
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

    @event("DetailsCorrected", topic="renda:Deputy.DetailsCorrected")
    def _corrected(self, *, changes: dict[str, Any], on: date, actor: Actor) -> None:
        for key, value in changes.items():
            setattr(self, key, value)

    @event("LiaisonAssigned", topic="renda:Deputy.LiaisonAssigned")
    def _liaison_assigned(self, *, member: str, on: date, actor: Actor) -> None:
        self.liaison = member
        self.liaison_since = on
        self.liaisons.append({"member": member, "since": on, "until": None})

    @event("LiaisonEnded", topic="renda:Deputy.LiaisonEnded")
    def _liaison_ended(self, *, on: date, actor: Actor) -> None:
        self.liaisons[-1]["until"] = on
        self.liaison = None
        self.liaison_since = None

    @event(ContactRecorded)
    def _contact_recorded(
        self, *, form: str, member: str, note: str | None, on: date, actor: Actor
    ) -> None:
        self.contacts.append({"form": form, "member": member, "note": note, "on": on})

    @event("MandateTerminated", topic="renda:Deputy.MandateTerminated")
    def _terminated(self, *, reason: str, on: date, actor: Actor) -> None:
        self.status = TERMINATED
        self.terminated_on = on
        self.termination_reason = reason
        if self.liaison is not None:
            self.liaisons[-1]["until"] = on
        self.liaison = None
        self.liaison_since = None

    # -- reading ----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain data for queries and ``--json`` output."""
        return {
            "id": str(self.id),
            "name": self.name,
            "gender": self.gender,
            "ethnicity": self.ethnicity,
            "level": self.level,
            "level_label": Level.of(self.level).label,
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
