"""Inspections and research (视察、专题调研): ``inspection.plan`` / ``join`` / ``hold`` /
``report`` / ``request_feedback`` / ``feedback``."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from renda_core.application.base import RendaBase
from renda_core.application.commands import (
    BusinessDate,
    Command,
    LevelField,
    LongText,
    PlannedDate,
    Text,
    accepts_labels,
    command,
)
from renda_core.application.field_errors import NOT_BLANK
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import RuleViolated
from renda_core.domain.group import DeputyGroup
from renda_core.domain.inspection import Inspection, InspectionKind, Organiser
from renda_core.domain.values import Actor

STAFF = {"staff"}
KindField = Annotated[InspectionKind, accepts_labels(InspectionKind)]
OrganiserField = Annotated[Organiser, accepts_labels(Organiser)]
Findings = Annotated[str, Field(min_length=1, max_length=20000, pattern=NOT_BLANK)]


class PlanInspection(Command):
    """Plan an inspection (视察) or a research topic (专题调研)."""

    kind: KindField
    topic: Text
    level: LevelField
    starts: PlannedDate
    ends: PlannedDate
    date: BusinessDate
    organiser: OrganiserField = Organiser.OFFICE
    group_id: UUID | None = Field(default=None, description="the deputy group organising it")
    annual_topic: bool = Field(default=False, description="the year's research topic (年度课题)")


class InspectionRef(Command):
    inspection_id: UUID
    date: BusinessDate


class JoinInspection(InspectionRef):
    """A deputy takes part in an inspection."""

    deputy_id: UUID


class HoldInspection(InspectionRef):
    """The inspection took place (date: its last day), with its findings."""

    findings: Findings


class ReportInspection(InspectionRef):
    """The inspection's report (视察报告 / 调研报告)."""

    title: Text
    text: Findings


class RequestFeedback(InspectionRef):
    """Ask an inspected body for its feedback (反馈) by a due date."""

    body: Text
    due: PlannedDate


class ReceiveFeedback(InspectionRef):
    """An inspected body's feedback arrived."""

    body: Text
    text: LongText


class InspectionCommands(RendaBase):
    """The Inspection part of the application."""

    @command("inspection.plan", PlanInspection, STAFF)
    def plan_inspection(self, cmd: PlanInspection, actor: Actor) -> UUID:
        """Plan an inspection or research; returns its id."""
        if cmd.group_id is not None:
            self._load(DeputyGroup, cmd.group_id, "deputy group")
        inspection = Inspection.plan(
            kind=cmd.kind,
            topic=cmd.topic,
            level=cmd.level,
            organiser=cmd.organiser,
            group_id=str(cmd.group_id) if cmd.group_id else None,
            annual_topic=cmd.annual_topic,
            starts=cmd.starts,
            ends=cmd.ends,
            on=cmd.date,
            actor=actor,
        )
        self._save(inspection)
        return inspection.id

    @command("inspection.join", JoinInspection, STAFF)
    def join_inspection(self, cmd: JoinInspection, actor: Actor) -> None:
        """An active deputy takes part."""
        deputy = self._load(Deputy, cmd.deputy_id, "deputy")
        if not deputy.is_active:
            raise RuleViolated(f"{deputy.name}'s mandate ended on {deputy.terminated_on}")
        deputy.check_may_exercise_duties("join an inspection", cmd.date)
        self._change(
            Inspection,
            cmd.inspection_id,
            "inspection",
            lambda i: i.join(deputy_id=str(deputy.id), on=cmd.date, actor=actor),
        )

    @command("inspection.hold", HoldInspection, STAFF)
    def hold_inspection(self, cmd: HoldInspection, actor: Actor) -> None:
        """Record that the inspection took place, with its findings."""
        self._change(
            Inspection,
            cmd.inspection_id,
            "inspection",
            lambda i: i.hold(findings=cmd.findings, on=cmd.date, actor=actor),
        )

    @command("inspection.report", ReportInspection, STAFF)
    def report_inspection(self, cmd: ReportInspection, actor: Actor) -> None:
        """Record the inspection's report."""
        self._change(
            Inspection,
            cmd.inspection_id,
            "inspection",
            lambda i: i.report(title=cmd.title, text=cmd.text, on=cmd.date, actor=actor),
        )

    @command("inspection.request_feedback", RequestFeedback, STAFF)
    def request_inspection_feedback(self, cmd: RequestFeedback, actor: Actor) -> None:
        """Ask an inspected body for its feedback by a due date."""
        self._change(
            Inspection,
            cmd.inspection_id,
            "inspection",
            lambda i: i.request_feedback(body=cmd.body, due=cmd.due, on=cmd.date, actor=actor),
        )

    @command("inspection.feedback", ReceiveFeedback, STAFF)
    def receive_inspection_feedback(self, cmd: ReceiveFeedback, actor: Actor) -> None:
        """Record an inspected body's feedback."""
        self._change(
            Inspection,
            cmd.inspection_id,
            "inspection",
            lambda i: i.receive_feedback(body=cmd.body, text=cmd.text, on=cmd.date, actor=actor),
        )

    def inspection(self, inspection_id: UUID | str) -> dict[str, Any]:
        return self._load(Inspection, inspection_id, "inspection").to_dict()
