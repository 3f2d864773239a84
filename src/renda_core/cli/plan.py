"""``renda plan …`` and ``renda campaign …``: the annual deputy-work plan (年度代表工作计划)
and campaigns (主题活动) linked to its tasks."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table

from renda_core.cli.common import (
    RendaGroup,
    choices,
    date_option,
    echo,
    emit,
    env,
    json_option,
    parse_level,
)
from renda_core.cli.reading import reason_option, shown_record
from renda_core.domain.values import Level

LEVEL_HELP = f"Level (default provincial): {choices(Level)}."


@click.group(cls=RendaGroup)
def plan() -> None:
    """The annual deputy-work plan (年度代表工作计划): tasks with owners and due dates,
    progress and completion (`renda report plan --year Y`)."""


def _level(fn: Any) -> Any:
    return click.option("--level", default="provincial", show_default=True, help=LEVEL_HELP)(fn)


@plan.command(name="adopt")
@click.option("--year", required=True, type=int, help="The plan's year.")
@click.option("--title", help="Title (default: e.g. 2026年度代表工作计划).")
@_level
@date_option(required=True, help="When the plan was adopted (YYYY-MM-DD).")
@click.pass_context
def plan_adopt(ctx: click.Context, /, on: str, **fields: Any) -> None:
    """Adopt a year's plan; prints its id."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    echo(str(e.get_app().adopt_plan({**data, "date": on}, e.actor())))


@plan.command(name="task")
@click.option("--year", required=True, type=int, help="The plan's year.")
@click.option("--title", required=True, help="The task, kept verbatim.")
@click.option("--owner", required=True, help="Responsible body or office, e.g. 代表工作委员会.")
@click.option("--due", required=True, help="Due date (YYYY-MM-DD), within the year.")
@_level
@date_option(required=True, help="When the task was added (YYYY-MM-DD).")
@click.pass_context
def plan_task(ctx: click.Context, /, on: str, **fields: Any) -> None:
    """Add a task to a plan; prints its number."""
    e = env(ctx)
    echo(str(e.get_app().add_plan_task({**fields, "date": on}, e.actor())))


@plan.command(name="progress")
@click.option("--year", required=True, type=int, help="The plan's year.")
@click.option("--task", required=True, type=int, help="The task's number.")
@click.option("--percent", required=True, type=int, help="Progress, 0–99.")
@click.option("--note", help="Note, kept verbatim.")
@_level
@date_option(required=True, help="When (YYYY-MM-DD).")
@click.pass_context
def plan_progress(ctx: click.Context, /, on: str, **fields: Any) -> None:
    """Report progress on a task."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    e.get_app().report_plan_progress({**data, "date": on}, e.actor())
    echo(f"task {fields['task']}: {fields['percent']}%")


@plan.command(name="complete")
@click.option("--year", required=True, type=int, help="The plan's year.")
@click.option("--task", required=True, type=int, help="The task's number.")
@click.option("--note", help="Note, kept verbatim.")
@_level
@date_option(required=True, help="When (YYYY-MM-DD).")
@click.pass_context
def plan_complete(ctx: click.Context, /, on: str, **fields: Any) -> None:
    """Complete a task."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    e.get_app().complete_plan_task({**data, "date": on}, e.actor())
    echo(f"task {fields['task']}: completed")


@plan.command(name="show")
@click.option("--year", required=True, type=int, help="The plan's year.")
@_level
@json_option
@click.pass_context
def plan_show(ctx: click.Context, /, year: int, level: str, as_json: bool) -> None:
    """Show a year's plan with its tasks, progress and completion."""
    value = parse_level(ctx, level)
    data = env(ctx).get_app().plan(year, value)

    def render() -> Table:
        table = Table(title=data["title"])
        for col in ("#", "task", "owner", "due", "progress", "completed"):
            table.add_column(col)
        for t in data["tasks"]:
            table.add_row(
                str(t["number"]),
                t["title"],
                t["owner"],
                t["due"],
                f"{t['percent']}%",
                t["completed_on"] or "",
            )
        return table

    emit(data, as_json, render)


@click.group(cls=RendaGroup)
def campaign() -> None:
    """Campaigns (主题活动) such as 代表进家站，履职为人民, linked to plan tasks."""


@campaign.command(name="launch")
@click.option("--title", required=True, help="Title, kept verbatim.")
@_level
@date_option(required=True, help="When it was launched (YYYY-MM-DD).")
@click.pass_context
def campaign_launch(ctx: click.Context, /, title: str, level: str, on: str) -> None:
    """Launch a campaign; prints its id."""
    e = env(ctx)
    data = {"title": title, "level": level, "date": on}
    echo(str(e.get_app().launch_campaign(data, e.actor())))


@campaign.command(name="link")
@click.argument("campaign_id")
@click.option("--year", required=True, type=int, help="The plan's year.")
@click.option("--task", required=True, type=int, help="The task's number.")
@date_option(required=True, help="When (YYYY-MM-DD).")
@click.pass_context
def campaign_link(ctx: click.Context, /, campaign_id: str, year: int, task: int, on: str) -> None:
    """Link the campaign to a task of its level's plan."""
    e = env(ctx)
    data = {"campaign_id": campaign_id, "year": year, "task": task, "date": on}
    e.get_app().link_campaign_task(data, e.actor())
    echo(f"{campaign_id}: linked to task {task} of {year}")


@campaign.command(name="conclude")
@click.argument("campaign_id")
@date_option(required=True, help="When (YYYY-MM-DD).")
@click.pass_context
def campaign_conclude(ctx: click.Context, /, campaign_id: str, on: str) -> None:
    """Conclude a campaign."""
    e = env(ctx)
    e.get_app().conclude_campaign({"campaign_id": campaign_id, "date": on}, e.actor())
    echo(f"{campaign_id}: concluded")


@campaign.command(name="show")
@click.argument("campaign_id")
@reason_option
@json_option
@click.pass_context
def campaign_show(
    ctx: click.Context, /, campaign_id: str, reason: str | None, as_json: bool
) -> None:
    """Show a campaign and the plan tasks it is linked to."""
    data = shown_record(ctx, "campaign.show", campaign_id, reason)

    def render() -> Table:
        table = Table(title=data["title"], show_header=False)
        for key in ("launched_on", "concluded_on"):
            table.add_row(key, data[key] or "")
        table.add_row("tasks", ", ".join(data["tasks"]))
        return table

    emit(data, as_json, render)
