"""The annual deputy-work plan (年度代表工作计划) and campaigns (主题活动).

The standing committee draws up each year a plan for its deputy work (the Deputies
Law's article on the standing committee's work plan for deputy work): tasks with an
owner (a body or office) and a due date, progress reports, completion. A campaign such
as the seed's "代表进家站，履职为人民" is a record of its own, linked to the plan's tasks
it carries out.

Lifecycles::

    WorkPlan: adopted (tasks added → progress → completed)
    Campaign: launched (tasks linked) → concluded
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RefusalPhrase, RuleViolated
from renda_core.domain.ids import new_id
from renda_core.domain.values import Actor, Level


def plan_id(level: str, year: int) -> UUID:
    return uuid5(NAMESPACE_URL, f"/work-plans/{Level.of(level).value}/{year}")


class WorkPlan(Aggregate):
    """One level's deputy-work plan for one year; tasks are numbered from 1."""

    TOPIC = "renda:WorkPlan"

    class Event(Aggregate.Event):
        TOPIC = "renda:WorkPlan.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:WorkPlan.Created"

    if TYPE_CHECKING:
        Adopted: ClassVar[type[Aggregate.Event]]
        TaskAdded: ClassVar[type[Aggregate.Event]]
        ProgressReported: ClassVar[type[Aggregate.Event]]
        TaskCompleted: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*, level: str, year: int, **_: Any) -> UUID:
        return plan_id(level, year)

    @classmethod
    def adopt(
        cls, *, level: Level | str, year: int, title: str | None, on: date, actor: Actor
    ) -> WorkPlan:
        if not 2000 <= year <= 2100:
            raise RuleViolated(f"year {year} is out of range")
        if on.year > year:
            raise RuleViolated(f"a plan for {year} is adopted before or during {year}")
        value = Level.of(level).value
        return cls(
            level=value,
            year=year,
            title=title or f"{year}年度代表工作计划",
            on=on,
            actor=actor,
        )

    def add_task(self, *, title: str, owner: str, due: date, on: date, actor: Actor) -> int:
        """Add a task (its number is returned)."""
        self._check_not_before(on, self.adopted_on, "the plan's adoption")
        if due.year != self.year:
            raise RuleViolated(f"due date {due} is not in the plan's year {self.year}")
        if due < on:
            raise RuleViolated(f"due date {due} is before the task was added ({on})")
        number = len(self.tasks) + 1
        self._task_added(number=number, title=title, owner=owner, due=due, on=on, actor=actor)
        return number

    def report_progress(
        self, *, number: int, percent: int, note: str | None, on: date, actor: Actor
    ) -> None:
        task = self._open_task(number, on, "report progress on")
        if not 0 <= percent <= 99:
            raise RuleViolated("progress is 0–99 %; a finished task is completed instead")
        if percent < task["percent"]:
            raise RuleViolated(f"progress cannot go back ({task['percent']} % recorded)")
        self._progress(number=number, percent=percent, note=note, on=on, actor=actor)

    def complete(self, *, number: int, note: str | None, on: date, actor: Actor) -> None:
        self._open_task(number, on, "complete")
        self._completed(number=number, note=note, on=on, actor=actor)

    def task(self, number: int) -> dict[str, Any]:
        if not 1 <= number <= len(self.tasks):
            raise RuleViolated(f"{self.title} has no task {number}")
        return self.tasks[number - 1]

    def _open_task(self, number: int, on: date, what: RefusalPhrase) -> dict[str, Any]:
        task = self.task(number)
        if task["completed_on"] is not None:
            raise RuleViolated(f"cannot {what} task {number}: completed on {task['completed_on']}")
        self._check_not_before(on, task["last_on"], "the task's last record")
        return task

    @staticmethod
    def _check_not_before(on: date, earliest: date, what: RefusalPhrase) -> None:
        if on < earliest:
            raise RuleViolated(f"date {on} is before {what} ({earliest})")

    @event("Adopted", topic="renda:WorkPlan.Adopted")
    def __init__(self, *, level: str, year: int, title: str, on: date, actor: Actor) -> None:
        self.level = level
        self.year = year
        self.title = title
        self.adopted_on = on
        self.tasks: list[dict[str, Any]] = []

    @event("TaskAdded", topic="renda:WorkPlan.TaskAdded")
    def _task_added(
        self, *, number: int, title: str, owner: str, due: date, on: date, actor: Actor
    ) -> None:
        self.tasks.append(
            {
                "number": number,
                "title": title,
                "owner": owner,
                "due": due,
                "added_on": on,
                "percent": 0,
                "progress": [],
                "completed_on": None,
                "last_on": on,
            }
        )

    @event("ProgressReported", topic="renda:WorkPlan.ProgressReported")
    def _progress(
        self, *, number: int, percent: int, note: str | None, on: date, actor: Actor
    ) -> None:
        task = self.tasks[number - 1]
        task["percent"] = percent
        task["progress"].append({"percent": percent, "note": note, "on": on})
        task["last_on"] = on

    @event("TaskCompleted", topic="renda:WorkPlan.TaskCompleted")
    def _completed(self, *, number: int, note: str | None, on: date, actor: Actor) -> None:
        task = self.tasks[number - 1]
        task["percent"] = 100
        task["completed_on"] = on
        task["last_on"] = on

    def completion(self) -> dict[str, Any]:
        done = [t for t in self.tasks if t["completed_on"] is not None]
        on_time = [t for t in done if t["completed_on"] <= t["due"]]
        total = len(self.tasks)
        return {
            "tasks": total,
            "completed": len(done),
            "completed_on_time": len(on_time),
            "completion_rate": round(len(done) / total, 4) if total else None,
        }

    def to_dict(self) -> dict[str, Any]:
        def iso(v: date | None) -> str | None:
            return v.isoformat() if v else None

        return {
            "id": str(self.id),
            "level": self.level,
            "year": self.year,
            "title": self.title,
            "adopted_on": self.adopted_on.isoformat(),
            **self.completion(),  # its "tasks" (a count) is replaced by the list
            "tasks": [
                {
                    "number": t["number"],
                    "title": t["title"],
                    "owner": t["owner"],
                    "due": iso(t["due"]),
                    "added_on": iso(t["added_on"]),
                    "percent": t["percent"],
                    "progress": [{**p, "on": iso(p["on"])} for p in t["progress"]],
                    "completed_on": iso(t["completed_on"]),
                }
                for t in self.tasks
            ],
            "version": self.version,
        }


class Campaign(Aggregate):
    """A campaign (主题活动), e.g. "代表进家站，履职为人民", linked to plan tasks."""

    TOPIC = "renda:Campaign"

    class Event(Aggregate.Event):
        TOPIC = "renda:Campaign.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:Campaign.Created"

    if TYPE_CHECKING:
        Launched: ClassVar[type[Aggregate.Event]]
        TaskLinked: ClassVar[type[Aggregate.Event]]
        Concluded: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        return new_id()

    @classmethod
    def launch(cls, *, title: str, level: Level | str, on: date, actor: Actor) -> Campaign:
        return cls(title=title, level=Level.of(level).value, on=on, actor=actor)

    def link(self, *, plan: WorkPlan, number: int, on: date, actor: Actor) -> None:
        self._check_running(on, "link a task")
        plan.task(number)  # the task exists
        if plan.level != self.level:
            raise RuleViolated(f"{plan.title} is of another level than the campaign")
        key = f"{plan.id}/{number}"
        if key in self.tasks:
            raise RuleViolated(f"task {number} of {plan.title} is already linked")
        self._linked(plan_id=str(plan.id), year=plan.year, number=number, on=on, actor=actor)

    def conclude(self, *, on: date, actor: Actor) -> None:
        self._check_running(on, "conclude")
        self._concluded(on=on, actor=actor)

    def _check_running(self, on: date, what: RefusalPhrase) -> None:
        if self.concluded_on is not None:
            raise RuleViolated(f"cannot {what}: {self.title} concluded on {self.concluded_on}")
        if on < self.launched_on:
            raise RuleViolated(
                f"date {on} is before the campaign was launched ({self.launched_on})"
            )

    @event("Launched", topic="renda:Campaign.Launched")
    def __init__(self, *, title: str, level: str, on: date, actor: Actor) -> None:
        self.title = title
        self.level = level
        self.launched_on = on
        self.concluded_on: date | None = None
        self.tasks: list[str] = []

    @event("TaskLinked", topic="renda:Campaign.TaskLinked")
    def _linked(self, *, plan_id: str, year: int, number: int, on: date, actor: Actor) -> None:
        self.tasks.append(f"{plan_id}/{number}")

    @event("Concluded", topic="renda:Campaign.Concluded")
    def _concluded(self, *, on: date, actor: Actor) -> None:
        self.concluded_on = on

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "title": self.title,
            "level": self.level,
            "launched_on": self.launched_on.isoformat(),
            "concluded_on": self.concluded_on.isoformat() if self.concluded_on else None,
            "tasks": list(self.tasks),
            "version": self.version,
        }
