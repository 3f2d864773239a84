"""The deputy's mandate over time: suspension, termination grounds, terms (届).

The Deputies Law (代表法, as amended 2025), in its chapter on suspending the duties and
terminating the qualification of deputies (停止执行代表职务和代表资格终止), names the
grounds below; :class:`~renda_core.domain.deputy.Deputy` records them as enumerated
values. A :class:`Term` is one congress term of one level (e.g. 吉林省第十四届人民代表大会):
a deputy re-elected into the next term keeps one record, which appends the new term.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RuleViolated
from renda_core.domain.session import chinese_number
from renda_core.domain.values import Actor, Labelled, Level, TerminationReason


class SuspensionGround(Labelled):
    """Why a deputy's duties are suspended (暂停执行代表职务), as the law names them."""

    DETAINED = "detained", "因刑事案件被羁押正在受侦查、起诉、审判"
    SERVING_SENTENCE = (
        "serving_sentence",
        "被依法判处管制、拘役或者有期徒刑而没有附加剥夺政治权利，正在服刑",
    )


class TerminationGround(Labelled):
    """Why a mandate ended (代表资格终止): the law's grounds, plus death and other.

    ``unspecified`` is never given as input: it is what a ``MandateTerminated`` event
    recorded before grounds existed (class version 1) replays as.
    """

    MOVED_AWAY = "moved_away", "迁出或者调离本行政区域"
    RESIGNATION_ACCEPTED = "resignation_accepted", "辞职被接受"
    ABSENT_TWICE = "absent_twice", "未经批准两次不出席本级人民代表大会会议"
    RECALLED = "recalled", "被罢免"
    LOST_NATIONALITY = "lost_nationality", "丧失中华人民共和国国籍"
    DEPRIVED_OF_POLITICAL_RIGHTS = "deprived_of_political_rights", "依照法律被剥夺政治权利"
    INCAPACITY = "incapacity", "丧失行为能力"
    ORDERED_TO_RESIGN = "ordered_to_resign", "被责令辞职"
    DEATH = "death", "死亡"
    OTHER = "other", "其他"
    UNSPECIFIED = "unspecified", "未说明"


#: the coarse reason (kept on the event since version 1) a ground falls under
GROUND_REASON = {
    TerminationGround.MOVED_AWAY: TerminationReason.TRANSFER,
    TerminationGround.RESIGNATION_ACCEPTED: TerminationReason.RESIGNATION,
    TerminationGround.ORDERED_TO_RESIGN: TerminationReason.RESIGNATION,
    TerminationGround.RECALLED: TerminationReason.RECALL,
    TerminationGround.DEATH: TerminationReason.DEATH,
}
#: the ground a coarse reason implies when only the reason is given
REASON_GROUND = {
    TerminationReason.TRANSFER: TerminationGround.MOVED_AWAY,
    TerminationReason.RESIGNATION: TerminationGround.RESIGNATION_ACCEPTED,
    TerminationReason.RECALL: TerminationGround.RECALLED,
    TerminationReason.DEATH: TerminationGround.DEATH,
    TerminationReason.OTHER: TerminationGround.OTHER,
}


def reason_of(ground: TerminationGround) -> TerminationReason:
    return GROUND_REASON.get(ground, TerminationReason.OTHER)


def term_id(level: str, number: int) -> UUID:
    return uuid5(NAMESPACE_URL, f"/terms/{Level.of(level).value}/{number}")


class Term(Aggregate):
    """One term (届) of one level's people's congress, e.g. 省第十四届 (2023-01 – 2028-01).

    Lifecycle: ``begun → ended``. The id is the natural key (level, number).
    """

    TOPIC = "renda:Term"

    class Event(Aggregate.Event):
        TOPIC = "renda:Term.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:Term.Created"

    if TYPE_CHECKING:
        Begun: ClassVar[type[Aggregate.Event]]
        Ended: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*, level: str, number: int, **_: Any) -> UUID:
        return term_id(level, number)

    @classmethod
    def begin(
        cls,
        *,
        level: Level | str,
        number: int,
        title: str | None,
        on: date,
        actor: Actor,
        name: str | None = None,
    ) -> Term:
        """Record a term beginning on ``on`` (its first session); without a ``title``,
        it is named by the congress's division ``name`` (吉林省) or else its level (省):
        吉林省第十四届人民代表大会."""
        if number < 1:
            raise RuleViolated("a term (届) number starts at 1")
        value = Level.of(level).value
        default = f"{name or Level.of(value).label}第{chinese_number(number)}届人民代表大会"
        return cls(level=value, number=number, title=title or default, on=on, actor=actor)

    def end(self, *, on: date, actor: Actor) -> None:
        """The term ends (届满)."""
        if self.ended_on is not None:
            raise RuleViolated(f"{self.title} already ended on {self.ended_on}")
        if on <= self.began_on:
            raise RuleViolated(f"date {on} is not after the term began ({self.began_on})")
        self._ended(on=on, actor=actor)

    def covers(self, day: date) -> bool:
        return day >= self.began_on and (self.ended_on is None or day <= self.ended_on)

    @event("Begun", topic="renda:Term.Begun")
    def __init__(self, *, level: str, number: int, title: str, on: date, actor: Actor) -> None:
        self.level = level
        self.number = number
        self.title = title
        self.began_on = on
        self.ended_on: date | None = None

    @event("Ended", topic="renda:Term.Ended")
    def _ended(self, *, on: date, actor: Actor) -> None:
        self.ended_on = on

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "level": self.level,
            "number": self.number,
            "title": self.title,
            "began_on": self.began_on.isoformat(),
            "ended_on": self.ended_on.isoformat() if self.ended_on else None,
            "version": self.version,
        }
