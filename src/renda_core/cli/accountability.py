"""``renda deputy report-to-constituents | evaluate-report | cancel-report | show-report``:
a deputy's reports on their duty performance to their constituents (代表述职)."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table

from renda_core.cli.common import choices, date_option, echo, emit, env, json_option, today
from renda_core.cli.deputy import deputy
from renda_core.domain.accountability import Evaluation


@deputy.command(name="report-to-constituents")
@click.argument("deputy_id")
@click.option("--place", required=True, help="Where the deputy reported (述职地点).")
@click.option("--attendees", required=True, type=int, help="How many attended (参加人数).")
@click.option("--audience", help="Who was reported to, e.g. 原选区选民 or 原选举单位.")
@click.option("--summary", help="What the deputy reported (述职内容摘要).")
@click.option("--evaluation", help=f"The attendees' evaluation, if taken: {choices(Evaluation)}.")
@date_option(help="The day of the report (YYYY-MM-DD).")
@json_option
@click.pass_context
def deputy_report_to_constituents(
    ctx: click.Context, /, deputy_id: str, on: str | None, as_json: bool, **fields: Any
) -> None:
    """Record that the deputy reported on their duty performance to their constituents
    (述职); prints the report's id. Staff, or the deputy themselves."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    new_id = e.get_app().report_to_constituents(
        {**data, "deputy_id": deputy_id, "date": on or today()}, e.actor()
    )
    emit({"id": str(new_id)}, True) if as_json else echo(str(new_id))


@deputy.command(name="evaluate-report")
@click.argument("report_id")
@click.option("--evaluation", required=True, help=f"The evaluation: {choices(Evaluation)}.")
@click.option("--note", help="Note on the evaluation (e.g. how it was taken).")
@date_option(help="When the evaluation was taken (YYYY-MM-DD).")
@json_option
@click.pass_context
def deputy_evaluate_report(
    ctx: click.Context, /, report_id: str, on: str | None, as_json: bool, **fields: Any
) -> None:
    """Record the attendees' evaluation of a report to constituents (述职评议), once."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    app = e.get_app()
    app.evaluate_report({**data, "report_id": report_id, "date": on or today()}, e.actor())
    _done(ctx, report_id, "evaluation recorded", as_json)


@deputy.command(name="cancel-report")
@click.argument("report_id")
@click.option("--reason", required=True, help="Why the report is cancelled (recorded in error).")
@date_option(help="When it is cancelled (YYYY-MM-DD).")
@json_option
@click.pass_context
def deputy_cancel_report(
    ctx: click.Context, /, report_id: str, reason: str, on: str | None, as_json: bool
) -> None:
    """Cancel a report to constituents recorded in error (撤销); the duty record leaves
    it out."""
    e = env(ctx)
    e.get_app().cancel_report(
        {"report_id": report_id, "reason": reason, "date": on or today()}, e.actor()
    )
    _done(ctx, report_id, "report cancelled", as_json)


@deputy.command(name="show-report")
@click.argument("report_id")
@json_option
@click.pass_context
def deputy_show_report(ctx: click.Context, /, report_id: str, as_json: bool) -> None:
    """Show one report to constituents (述职)."""
    data = env(ctx).get_app().constituent_report(report_id)
    emit(data, as_json, lambda: _table(data))


def _done(ctx: click.Context, report_id: str, what: str, as_json: bool) -> None:
    if as_json:
        emit(env(ctx).get_app().constituent_report(report_id), True)
    else:
        echo(f"{report_id}: {what}")


def _table(data: dict[str, Any]) -> Table:
    table = Table(title="代表述职", show_header=False)
    labels = {
        "on": "日期",
        "place": "地点",
        "attendees": "参加人数",
        "audience": "对象",
        "evaluation_label": "评议",
        "status_label": "状态",
        "summary": "摘要",
    }
    for key, label in labels.items():
        table.add_row(label, "" if data[key] is None else str(data[key]))
    return table
