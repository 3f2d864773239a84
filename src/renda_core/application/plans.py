"""The annual deputy-work plan (年度代表工作计划) and campaigns (主题活动)."""

from __future__ import annotations

from typing import Any
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
    command,
)
from renda_core.domain.errors import RuleViolated
from renda_core.domain.plan import Campaign, WorkPlan, plan_id
from renda_core.domain.values import Actor, Level

STAFF = {"staff"}


class AdoptPlan(Command):
    """Adopt a year's deputy-work plan (年度代表工作计划)."""

    level: LevelField
    year: int = Field(ge=2000, le=2100)
    title: Text | None = Field(default=None, description="default: 2026年度代表工作计划")
    date: BusinessDate


class AddTask(Command):
    """Add a task to a plan: title, owner (body or office), due date."""

    level: LevelField
    year: int = Field(ge=2000, le=2100)
    title: Text
    owner: Text = Field(description="the body or office responsible, e.g. 代表工作委员会")
    due: PlannedDate
    date: BusinessDate


class ReportProgress(Command):
    """Report progress on a plan's task (0–99 %)."""

    level: LevelField
    year: int = Field(ge=2000, le=2100)
    task: int = Field(ge=1, le=999)
    percent: int = Field(ge=0, le=99)
    note: LongText | None = None
    date: BusinessDate


class CompleteTask(Command):
    """Complete a plan's task."""

    level: LevelField
    year: int = Field(ge=2000, le=2100)
    task: int = Field(ge=1, le=999)
    note: LongText | None = None
    date: BusinessDate


class LaunchCampaign(Command):
    """Launch a campaign (主题活动), e.g. 代表进家站，履职为人民."""

    title: Text
    level: LevelField
    date: BusinessDate


class LinkCampaignTask(Command):
    """Link a campaign to a plan task it carries out."""

    campaign_id: UUID
    year: int = Field(ge=2000, le=2100)
    task: int = Field(ge=1, le=999)
    date: BusinessDate


class ConcludeCampaign(Command):
    """Conclude a campaign."""

    campaign_id: UUID
    date: BusinessDate


class PlanCommands(RendaBase):
    """Plans, their tasks, and campaigns."""

    @command("plan.adopt", AdoptPlan, STAFF)
    def adopt_plan(self, cmd: AdoptPlan, actor: Actor) -> UUID:
        """Adopt a year's plan; returns its id (one per level and year)."""
        if self._exists(plan_id(cmd.level.value, cmd.year)):
            raise RuleViolated(f"the {cmd.year} plan of level {cmd.level.value} is recorded")
        plan = WorkPlan.adopt(
            level=cmd.level, year=cmd.year, title=cmd.title, on=cmd.date, actor=actor
        )
        self._save(plan)
        return plan.id

    @command("plan.task", AddTask, STAFF)
    def add_plan_task(self, cmd: AddTask, actor: Actor) -> int:
        """Add a task; returns its number."""
        return self._change(
            WorkPlan,
            plan_id(cmd.level.value, cmd.year),
            "plan",
            lambda p: p.add_task(
                title=cmd.title, owner=cmd.owner, due=cmd.due, on=cmd.date, actor=actor
            ),
        )

    @command("plan.progress", ReportProgress, STAFF)
    def report_plan_progress(self, cmd: ReportProgress, actor: Actor) -> None:
        """Report progress on a task."""
        self._change(
            WorkPlan,
            plan_id(cmd.level.value, cmd.year),
            "plan",
            lambda p: p.report_progress(
                number=cmd.task, percent=cmd.percent, note=cmd.note, on=cmd.date, actor=actor
            ),
        )

    @command("plan.complete", CompleteTask, STAFF)
    def complete_plan_task(self, cmd: CompleteTask, actor: Actor) -> None:
        """Complete a task."""
        self._change(
            WorkPlan,
            plan_id(cmd.level.value, cmd.year),
            "plan",
            lambda p: p.complete(number=cmd.task, note=cmd.note, on=cmd.date, actor=actor),
        )

    @command("campaign.launch", LaunchCampaign, STAFF)
    def launch_campaign(self, cmd: LaunchCampaign, actor: Actor) -> UUID:
        """Launch a campaign; returns its id."""
        campaign = Campaign.launch(title=cmd.title, level=cmd.level, on=cmd.date, actor=actor)
        self._save(campaign)
        return campaign.id

    @command("campaign.link", LinkCampaignTask, STAFF)
    def link_campaign_task(self, cmd: LinkCampaignTask, actor: Actor) -> None:
        """Link a campaign to a plan task of its level."""
        campaign = self._load(Campaign, cmd.campaign_id, "campaign")
        plan = self._load(WorkPlan, plan_id(campaign.level, cmd.year), "plan")
        campaign.link(plan=plan, number=cmd.task, on=cmd.date, actor=actor)
        self._save(campaign)

    @command("campaign.conclude", ConcludeCampaign, STAFF)
    def conclude_campaign(self, cmd: ConcludeCampaign, actor: Actor) -> None:
        """Conclude a campaign."""
        self._change(
            Campaign, cmd.campaign_id, "campaign", lambda c: c.conclude(on=cmd.date, actor=actor)
        )

    # -- queries ----------------------------------------------------------------

    def plan(self, year: int, level: str = "provincial") -> dict[str, Any]:
        """A year's plan with its tasks and completion."""
        return self._load(WorkPlan, plan_id(Level.of(level).value, year), "plan").to_dict()

    def campaign(self, campaign_id: UUID | str) -> dict[str, Any]:
        return self._load(Campaign, campaign_id, "campaign").to_dict()
