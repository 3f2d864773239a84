"""``renda training …``: training courses (培训班)."""

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
    today,
)
from renda_core.cli.reading import reason_option, shown_record
from renda_core.domain.errors import InvalidInput
from renda_core.domain.training import CourseKind
from renda_core.domain.values import Level
from renda_core.projections.reports import fresh_context


@click.group(cls=RendaGroup)
def training() -> None:
    """Training courses (培训班): plan, enrol, attendance, completion."""


@training.command(name="plan")
@click.option("--kind", required=True, help=f"Kind: {choices(CourseKind)}.")
@click.option("--title", required=True, help="Title of the class.")
@click.option("--topic", help="Topic, e.g. 因地制宜发展新质生产力.")
@click.option("--starts", required=True, help="First day (YYYY-MM-DD).")
@click.option("--ends", required=True, help="Last day (YYYY-MM-DD).")
@click.option("--level", help=f"Target level of deputies: {choices(Level)}.")
@date_option(help="When the course was planned (YYYY-MM-DD).")
@json_option
@click.pass_context
def training_plan(ctx: click.Context, /, on: str | None, as_json: bool, **fields: Any) -> None:
    """Plan a training course; prints the new id."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    new_id = e.get_app().plan_course({**data, "date": on or today()}, e.actor())
    if as_json:
        emit({"id": str(new_id)}, True)
    else:
        echo(str(new_id))


def _deputies(
    ctx: click.Context, method: str, course_id: str, deputies: tuple[str, ...], on: str | None
) -> None:
    e = env(ctx)
    data = {"course_id": course_id, "deputies": list(deputies), "date": on or today()}
    getattr(e.get_app(), method)(data, e.actor())


@training.command(name="enrol")
@click.argument("course_id")
@click.option("--deputy", "deputies", multiple=True, required=True, help="Deputy id (repeatable).")
@date_option()
@click.pass_context
def training_enrol(
    ctx: click.Context, /, course_id: str, deputies: tuple[str, ...], on: str | None
) -> None:
    """Enrol active deputies (of the course's target level, if it has one)."""
    _deputies(ctx, "enrol_deputies", course_id, deputies, on)
    echo(f"{course_id}: {len(deputies)} deputies enrolled")


@training.command(name="attend")
@click.argument("course_id")
@click.option("--deputy", "deputies", multiple=True, required=True, help="Deputy id (repeatable).")
@date_option()
@click.pass_context
def training_attend(
    ctx: click.Context, /, course_id: str, deputies: tuple[str, ...], on: str | None
) -> None:
    """Record that enrolled deputies attended on a day of the course."""
    _deputies(ctx, "record_attendance", course_id, deputies, on)
    echo(f"{course_id}: {len(deputies)} deputies attended")


@training.command(name="complete")
@click.argument("course_id")
@click.option("--deputy", "deputies", multiple=True, required=True, help="Deputy id (repeatable).")
@date_option()
@click.pass_context
def training_complete(
    ctx: click.Context, /, course_id: str, deputies: tuple[str, ...], on: str | None
) -> None:
    """Record that enrolled deputies who attended completed the course (结业)."""
    _deputies(ctx, "complete_course", course_id, deputies, on)
    echo(f"{course_id}: {len(deputies)} deputies completed")


@training.command(name="show")
@click.argument("course_id")
@reason_option
@json_option
@click.pass_context
def training_show(ctx: click.Context, /, course_id: str, reason: str | None, as_json: bool) -> None:
    """Show a course with its deputies."""
    data = shown_record(ctx, "training.show", course_id, reason)

    def render() -> Table:
        table = Table(title=f"{data['title']}（{data['kind_label']}）", show_header=False)
        for key in ("id", "topic", "starts", "ends", "target_level"):
            if data.get(key):
                table.add_row(key, str(data[key]))
        table.add_row("enrolled", str(len(data["enrolled"])))
        done = sum(1 for d in data["enrolled"] if d["completed_on"])
        table.add_row("completed", str(done))
        return table

    emit(data, as_json, render)


@training.command(name="list")
@click.option("--kind", help=f"Only this kind: {choices(CourseKind)}.")
@json_option
@click.pass_context
def training_list(ctx: click.Context, /, kind: str | None, as_json: bool) -> None:
    """List courses (from the training view, brought up to date first)."""
    from renda_adapters.training import TrainingProjection, course_entries

    wanted = None
    if kind:
        try:
            wanted = CourseKind.parse(kind).value
        except ValueError as exc:
            raise InvalidInput(str(exc), [{"field": "kind", "message": str(exc)}]) from None
    rows = course_entries(fresh_context(env(ctx).runner(), TrainingProjection.name), wanted)

    def render() -> Table:
        table = Table(title="培训班")
        for col in ("id", "title", "kind", "starts", "ends", "enrolled", "completed"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["id"],
                r["title"],
                CourseKind.of(r["kind"]).label,
                r["starts"],
                r["ends"],
                str(r["enrolled"]),
                str(r["completed"]),
            )
        return table

    emit(rows, as_json, render)
