"""``renda deputy …``: deputies (代表)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from renda_core.cli.common import (
    OutputPath,
    RendaGroup,
    choices,
    date_option,
    echo,
    emit,
    env,
    json_option,
    named,
    parse_level,
    say,
    today,
    with_name,
    write_output,
)
from renda_core.cli.reading import reason_option, shown_duty_record, shown_record, shown_rows
from renda_core.domain.deputy import STATUS_LABELS
from renda_core.domain.errors import InvalidInput
from renda_core.domain.mandate import TerminationGround
from renda_core.domain.values import ContactForm, Gender, Level, TerminationReason, level_label
from renda_core.i18n import language
from renda_core.projections.reports import fresh_context


@click.group(cls=RendaGroup)
def deputy() -> None:
    """Deputies (代表): register, correct, liaison (双联系), contacts, termination."""


@deputy.command(name="register")
@click.option("--name", required=True, help="Full name, as written (姓名).")
@click.option("--level", required=True, help=f"Congress level: {choices(Level)}.")
@click.option("--term", required=True, type=int, help="Congress term number (届), e.g. 14.")
@click.option("--electoral-unit", required=True, help="Electoral unit (选举单位).")
@click.option("--area", required=True, help="Division code (GB/T 2260, 6/9/12 digits).")
@click.option("--gender", help=f"Gender: {choices(Gender)}.")
@click.option("--ethnicity", help="Ethnicity (民族), e.g. 汉族.")
@click.option("--category", help="Occupation category (代表构成类别).")
@click.option("--phone", help="Contact phone.")
@date_option(help="When the mandate began (YYYY-MM-DD).")
@json_option
@click.pass_context
def deputy_register(ctx: click.Context, /, as_json: bool, on: str | None, **fields: Any) -> None:
    """Register a deputy; prints the new id."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    data["date"] = on or today()
    new_id = e.get_app().register_deputy(data, e.actor())
    if as_json:
        emit({"id": str(new_id)}, True)
    else:
        echo(str(new_id))


@deputy.command(name="show")
@click.argument("deputy_id")
@reason_option
@json_option
@click.pass_context
def deputy_show(ctx: click.Context, /, deputy_id: str, reason: str | None, as_json: bool) -> None:
    """Show one deputy with liaisons and contacts."""
    data = shown_record(ctx, "deputy.show", deputy_id, reason)

    def render() -> Table:
        app = env(ctx).get_app()
        shown = {**data, "area": with_name(data["area"], named(app.division, data["area"]))}
        zh = language() == "zh"
        if zh:  # the level as the deputy's province names it (市 in 北京)
            shown["level"] = data["level_label"]
        table = Table(
            title=(
                f"{data['name']}（{data['level_label']}级人大代表）"
                if zh
                else f"{data['name']} ({data['level']} deputy)"
            ),
            show_header=False,
        )
        for key in (
            "id",
            "name",
            "gender",
            "ethnicity",
            "level",
            "term",
            "electoral_unit",
            "area",
            "category",
            "phone",
            "registered_on",
            "status_label",
            "terminated_on",
            "termination_reason",
            "liaison",
            "liaison_since",
        ):
            if shown.get(key) not in (None, ""):
                table.add_row(key, str(shown[key]))
        table.add_row("contacts", str(len(data["contacts"])))
        return table

    emit(data, as_json, render)


@deputy.command(name="list")
@click.option("--level", help=f"Only this level: {choices(Level)}.")
@json_option
@click.pass_context
def deputy_list(ctx: click.Context, /, level: str | None, as_json: bool) -> None:
    """List deputies (from the roster view, brought up to date first)."""
    from renda_adapters.roster import DeputyRoster, roster_entries

    e = env(ctx)
    wanted = parse_level(ctx, level) if level else None
    rows = shown_rows(
        ctx,
        "deputy.list",
        "deputy",
        roster_entries(fresh_context(e.runner(), DeputyRoster.name), wanted),
    )

    def render() -> Table:
        table = Table(title="代表名单")
        for col in ("id", "name", "level", "area", "status", "liaison"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["id"],
                r["name"],
                level_label(r["level"], r["area"]),
                r["area"],
                STATUS_LABELS.get(r["status"], r["status"]),
                r["liaison"] or "",
            )
        return table

    emit(rows, as_json, render)


@deputy.command(name="correct")
@click.argument("deputy_id")
@click.option("--name", help="Corrected name.")
@click.option("--level", help=f"Corrected level: {choices(Level)}.")
@click.option("--term", type=int, help="Corrected term number.")
@click.option("--electoral-unit", help="Corrected electoral unit.")
@click.option("--area", help="Corrected division code.")
@click.option("--gender", help=f"Corrected gender: {choices(Gender)}.")
@click.option("--ethnicity", help="Corrected ethnicity.")
@click.option("--category", help="Corrected occupation category.")
@click.option("--phone", help="Corrected phone.")
@date_option()
@click.pass_context
def deputy_correct(ctx: click.Context, /, deputy_id: str, on: str | None, **fields: Any) -> None:
    """Correct recorded details (also after termination)."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    e.get_app().correct_deputy({"deputy_id": deputy_id, "date": on or today(), **data}, e.actor())
    echo(f"corrected {deputy_id}: {', '.join(sorted(data)) or 'nothing'}")


@deputy.command(name="liaise")
@click.argument("deputy_id")
@click.option("--member", required=True, help="Standing-committee member (常委会组成人员).")
@date_option()
@click.pass_context
def deputy_liaise(ctx: click.Context, /, deputy_id: str, member: str, on: str | None) -> None:
    """Assign a standing-committee member as liaison (双联系)."""
    e = env(ctx)
    e.get_app().liaise_deputy(
        {"deputy_id": deputy_id, "member": member, "date": on or today()}, e.actor()
    )
    echo(f"{deputy_id}: liaison {member}")


@deputy.command(name="unliaise")
@click.argument("deputy_id")
@click.option("--member", help="Which liaison member (needed when there are several).")
@date_option()
@click.pass_context
def deputy_unliaise(
    ctx: click.Context, /, deputy_id: str, member: str | None, on: str | None
) -> None:
    """End a liaison (the only one, or --member's)."""
    e = env(ctx)
    data = {"deputy_id": deputy_id, "date": on or today(), "member": member}
    e.get_app().unliaise_deputy({k: v for k, v in data.items() if v is not None}, e.actor())
    echo(f"{deputy_id}: liaison ended")


@deputy.command(name="contact")
@click.argument("deputy_id")
@click.option("--form", required=True, help=f"Form of contact: {choices(ContactForm)}.")
@date_option(required=True, help="When the contact took place (YYYY-MM-DD).")
@click.option("--note", help="Note, kept verbatim.")
@click.option("--member", help="Any standing-committee member (default: the only liaison).")
@click.pass_context
def deputy_contact(
    ctx: click.Context, /, deputy_id: str, form: str, on: str, note: str | None, member: str | None
) -> None:
    """Record a contact with the deputy's liaison member (or the --member named)."""
    e = env(ctx)
    data = {"deputy_id": deputy_id, "form": form, "date": on, "note": note}
    if member is not None:
        data["member"] = member
    e.get_app().record_contact(data, e.actor())
    echo(f"{deputy_id}: contact recorded")


@deputy.command(name="terminate")
@click.argument("deputy_id")
@click.option("--reason", help=f"Coarse reason: {choices(TerminationReason)}.")
@click.option("--ground", help=f"Statutory ground: {choices(TerminationGround)}.")
@date_option(required=True, help="When the mandate ended (YYYY-MM-DD).")
@click.pass_context
def deputy_terminate(
    ctx: click.Context, /, deputy_id: str, reason: str | None, ground: str | None, on: str
) -> None:
    """Terminate the deputy's mandate (终止代表资格) on a statutory --ground (or a
    coarse --reason, which implies its ground)."""
    e = env(ctx)
    data = {"deputy_id": deputy_id, "reason": reason, "ground": ground, "date": on}
    e.get_app().terminate_deputy({k: v for k, v in data.items() if v is not None}, e.actor())
    echo(f"{deputy_id}: mandate terminated")


@deputy.command(name="record")
@click.argument("deputy_id")
@click.option(
    "--year", type=int, help="Only this year (business dates). Default: the whole record."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "html"]),
    default="table",
    show_default=True,
    help="html: a printable page (A4), sections in Chinese with counts and lists.",
)
@click.option("--output", type=OutputPath(), help="Write to this file instead of the terminal.")
@reason_option
@json_option
@click.pass_context
def deputy_record(
    ctx: click.Context,
    /,
    deputy_id: str,
    year: int | None,
    fmt: str,
    output: Path | None,
    reason: str | None,
    as_json: bool,
) -> None:
    """The deputy's duty record (履职档案, Deputies Law: records of deputies' duty
    performance, made public): meetings attended, 列席, motions, suggestions with their
    status and 催办, stations, opinions, inspections, groups, trainings, liaison contacts,
    reports to constituents (述职) and bulletin items."""
    from renda_adapters.annual import template_source
    from renda_adapters.annual.build import now_label
    from renda_adapters.record import DutyRecordProjection, duty_record
    from renda_adapters.record.page import render_page
    from renda_adapters.record.sections import SECTIONS
    from renda_core.application.base import to_uuid

    if year is not None and not 1949 <= year <= 2200:
        raise InvalidInput(
            f"year {year} is out of range", [{"field": "year", "message": "1949–2200"}]
        )
    key = str(to_uuid(deputy_id, "deputy"))
    e = env(ctx)
    data = duty_record(fresh_context(e.runner(), DutyRecordProjection.name), key, year)
    data = shown_duty_record(ctx, data, reason)  # the read policy, as the API's record()
    if fmt == "html" and not as_json:
        page = render_page(data, template_source(e.plugins()), {"moment": now_label()})
        if output is not None:
            write_output(output, page)
            click.echo(say(f"written {output}"), err=True)
        else:
            click.echo(page, nl=False)
        return
    if output is not None:
        write_output(output, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        click.echo(say(f"written {output}"), err=True)
        return

    def render() -> Table:
        period = f"{year}年" if year else ""
        table = Table(title=f"{data['name']} {period}履职档案", show_header=False)
        for section in SECTIONS:
            table.add_row(section.heading, str(data["summary"][section.key]))
        table.add_row("培训结业", str(data["summary"]["trainings_completed"]))
        table.add_row("所提建议被催办次数", str(data["summary"]["suggestions_urged"]))
        return table

    emit(data, as_json or fmt == "json", render)
