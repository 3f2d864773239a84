"""``renda inspection …``: inspections and research (视察、专题调研)."""

from __future__ import annotations

from typing import Any

import click

from renda_core.cli.common import (
    RendaGroup,
    choices,
    date_option,
    echo,
    emit,
    emit_record,
    emit_rows,
    env,
    json_option,
    parse_choice,
    today,
)
from renda_core.cli.reading import reason_option, shown_record, shown_rows
from renda_core.domain.inspection import InspectionKind, Organiser
from renda_core.domain.values import Level
from renda_core.projections.reports import fresh_context


@click.group(cls=RendaGroup)
def inspection() -> None:
    """Inspections and research (视察、专题调研): planned, joined by deputies, held with
    findings, reported, and the feedback the inspected bodies owe."""


@inspection.command(name="plan")
@click.option("--kind", required=True, help=f"{choices(InspectionKind)}.")
@click.option("--topic", required=True, help="Topic, e.g. 黑土地保护.")
@click.option("--level", required=True, help=f"Level: {choices(Level)}.")
@click.option("--starts", required=True, help="First day (YYYY-MM-DD).")
@click.option("--ends", required=True, help="Last day (YYYY-MM-DD).")
@click.option("--organiser", help=f"{choices(Organiser)} (default: office).")
@click.option("--group-id", help="The deputy group organising it.")
@click.option("--annual-topic", is_flag=True, default=None, help="The year's research topic.")
@date_option(help="When it was planned (YYYY-MM-DD).")
@json_option
@click.pass_context
def inspection_plan(ctx: click.Context, /, on: str | None, as_json: bool, **fields: Any) -> None:
    """Plan an inspection or research; prints its id."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    new_id = e.get_app().plan_inspection({**data, "date": on or today()}, e.actor())
    emit({"id": str(new_id)}, True) if as_json else echo(str(new_id))


def _run(ctx: click.Context, method: str, inspection_id: str, on: str | None, **data: Any) -> None:
    e = env(ctx)
    fields = {k: v for k, v in data.items() if v is not None}
    getattr(e.get_app(), method)(
        {**fields, "inspection_id": inspection_id, "date": on or today()}, e.actor()
    )


@inspection.command(name="join")
@click.argument("inspection_id")
@click.option("--deputy-id", required=True, help="The deputy taking part.")
@date_option()
@click.pass_context
def inspection_join(
    ctx: click.Context, /, inspection_id: str, deputy_id: str, on: str | None
) -> None:
    """A deputy takes part (before it is held)."""
    _run(ctx, "join_inspection", inspection_id, on, deputy_id=deputy_id)
    echo(f"{inspection_id}: {deputy_id} takes part")


@inspection.command(name="hold")
@click.argument("inspection_id")
@click.option("--findings", required=True, help="What was found.")
@date_option(help="Its last day (YYYY-MM-DD).")
@click.pass_context
def inspection_hold(
    ctx: click.Context, /, inspection_id: str, findings: str, on: str | None
) -> None:
    """Record that it took place, with its findings."""
    _run(ctx, "hold_inspection", inspection_id, on, findings=findings)
    echo(f"{inspection_id}: held")


@inspection.command(name="report")
@click.argument("inspection_id")
@click.option("--title", required=True, help="Title of the report.")
@click.option("--text", required=True, help="Text of the report.")
@date_option()
@click.pass_context
def inspection_report(
    ctx: click.Context, /, inspection_id: str, title: str, text: str, on: str | None
) -> None:
    """Record its report (视察报告 / 调研报告)."""
    _run(ctx, "report_inspection", inspection_id, on, title=title, text=text)
    echo(f"{inspection_id}: reported")


@inspection.command(name="request-feedback")
@click.argument("inspection_id")
@click.option("--body", required=True, help="The inspected body, e.g. 省农业农村厅.")
@click.option("--due", required=True, help="Due date of the feedback (YYYY-MM-DD).")
@date_option()
@click.pass_context
def inspection_request_feedback(
    ctx: click.Context, /, inspection_id: str, body: str, due: str, on: str | None
) -> None:
    """Ask an inspected body for its feedback (反馈) by a due date."""
    _run(ctx, "request_inspection_feedback", inspection_id, on, body=body, due=due)
    echo(f"{inspection_id}: feedback requested from {body} by {due}")


@inspection.command(name="feedback")
@click.argument("inspection_id")
@click.option("--body", required=True, help="The inspected body.")
@click.option("--text", required=True, help="Its feedback.")
@date_option()
@click.pass_context
def inspection_feedback(
    ctx: click.Context, /, inspection_id: str, body: str, text: str, on: str | None
) -> None:
    """Record an inspected body's feedback."""
    _run(ctx, "receive_inspection_feedback", inspection_id, on, body=body, text=text)
    echo(f"{inspection_id}: feedback of {body} recorded")


@inspection.command(name="show")
@click.argument("inspection_id")
@reason_option
@json_option
@click.pass_context
def inspection_show(
    ctx: click.Context, /, inspection_id: str, reason: str | None, as_json: bool
) -> None:
    """Show an inspection with its participants, report and feedback."""
    data = shown_record(ctx, "inspection.show", inspection_id, reason)
    keys = ("id", "kind_label", "level", "organiser_label", "status_label")
    emit_record(
        data,
        as_json,
        data["topic"],
        lambda: [
            *((k, data[k]) for k in keys),
            ("dates", f"{data['starts']} – {data['ends']}"),
            ("participants", len(data["participants"])),
            ("report", (data["report"] or {}).get("title") or ""),
            *(
                (f"feedback {f['body']}", f"due {f['due']}: {f['received_on'] or '—'}")
                for f in data["feedback"]
            ),
        ],
    )


@inspection.command(name="list")
@click.option("--kind", help=f"Only this kind: {choices(InspectionKind)}.")
@json_option
@click.pass_context
def inspection_list(ctx: click.Context, /, kind: str | None, as_json: bool) -> None:
    """List inspections and research (from the meetings view, brought up to date first)."""
    from renda_adapters.meetings import MeetingsProjection, inspection_entries

    wanted = parse_choice(InspectionKind, kind, "kind")
    rows = inspection_entries(fresh_context(env(ctx).runner(), MeetingsProjection.name), wanted)
    rows = shown_rows(ctx, "inspection.list", "inspection", rows)
    emit_rows(
        rows,
        as_json,
        "视察调研",
        ("id", "topic", "kind", "starts", "status", "participants", "feedback"),
        lambda r: (
            r["id"][:8],
            r["topic"],
            InspectionKind.of(r["kind"]).label,
            r["starts"],
            r["status"],
            str(r["participants"]),
            f"{r['feedback_received']}/{r['feedback_requested']}",
        ),
    )
