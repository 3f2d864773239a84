"""Training course (培训班) commands: plan, enrol, attendance, completion."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from renda_core.application.base import RendaBase
from renda_core.application.commands import (
    BusinessDate,
    Command,
    LevelField,
    PlannedDate,
    Text,
    accepts_labels,
    command,
)
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import RuleViolated
from renda_core.domain.training import CourseKind, TrainingCourse
from renda_core.domain.values import Actor, level_label

STAFF = {"staff"}

CourseKindField = Annotated[CourseKind, accepts_labels(CourseKind)]


class PlanCourse(Command):
    """Plan a training course (培训班): initial, duty or topical."""

    kind: CourseKindField
    title: Text
    topic: Text | None = None
    starts: PlannedDate
    ends: PlannedDate
    level: LevelField | None = Field(default=None, description="target level of deputies")
    date: BusinessDate


class CourseDeputies(Command):
    """Deputies to enrol, mark present on a day, or mark as having completed."""

    course_id: UUID
    deputies: list[UUID] = Field(min_length=1)
    date: BusinessDate


class TrainingCommands(RendaBase):
    """The TrainingCourse part of the application."""

    @command("training.plan", PlanCourse, STAFF)
    def plan_course(self, cmd: PlanCourse, actor: Actor) -> UUID:
        """Plan a training course; returns its id."""
        course = TrainingCourse.plan(
            kind=cmd.kind,
            title=cmd.title,
            topic=cmd.topic,
            starts=cmd.starts,
            ends=cmd.ends,
            target_level=cmd.level,
            on=cmd.date,
            actor=actor,
        )
        self._save(course)
        return course.id

    @command("training.enrol", CourseDeputies, STAFF)
    def enrol_deputies(self, cmd: CourseDeputies, actor: Actor) -> None:
        """Enrol active deputies (of the course's target level, if it has one)."""
        course = self._load(TrainingCourse, cmd.course_id, "training course")
        self._preload(cmd.deputies)  # in a batch: all in one read
        for deputy_id in dict.fromkeys(cmd.deputies):
            deputy = self._load(Deputy, deputy_id, "deputy")
            if not deputy.is_active:
                raise RuleViolated(
                    f"deputy {deputy.name}'s mandate ended on {deputy.terminated_on}"
                )
            if course.target_level and deputy.level != course.target_level:
                # named as the deputy's province names them (市 for 北京市's own congress)
                target = level_label(course.target_level, deputy.area)
                own = level_label(deputy.level, deputy.area)
                raise RuleViolated(
                    f"{course.title} is for {target}级 deputies; {deputy.name} is {own}级"
                )
            course.enrol(deputy_id=str(deputy.id), on=cmd.date, actor=actor)
        self._save(course)

    @command("training.attend", CourseDeputies, STAFF)
    def record_attendance(self, cmd: CourseDeputies, actor: Actor) -> None:
        """Record that enrolled deputies attended on a day of the course."""

        def attend(course: TrainingCourse) -> None:
            for deputy_id in dict.fromkeys(cmd.deputies):
                course.attend(deputy_id=str(deputy_id), on=cmd.date, actor=actor)

        self._change(TrainingCourse, cmd.course_id, "training course", attend)

    @command("training.complete", CourseDeputies, STAFF)
    def complete_course(self, cmd: CourseDeputies, actor: Actor) -> None:
        """Record that enrolled deputies who attended completed the course (结业)."""

        def complete(course: TrainingCourse) -> None:
            for deputy_id in dict.fromkeys(cmd.deputies):
                course.complete(deputy_id=str(deputy_id), on=cmd.date, actor=actor)

        self._change(TrainingCourse, cmd.course_id, "training course", complete)

    # -- queries ----------------------------------------------------------------

    def get_course(self, course_id: UUID | str) -> TrainingCourse:
        return self._load(TrainingCourse, course_id, "training course")

    def course(self, course_id: UUID | str) -> dict[str, Any]:
        """A training course as plain data."""
        return self.get_course(course_id).to_dict()
