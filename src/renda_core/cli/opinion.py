"""``renda opinion …``: public opinion (社情民意) and its closed loop."""

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
    named,
    today,
    with_name,
)
from renda_core.cli.i18n import Verbatim, message
from renda_core.cli.reading import reason_option, shown_record, shown_rows
from renda_core.domain.opinion import (
    STATUS_LABELS,
    BodyKind,
    Channel,
    EscalationTarget,
    ProperChannel,
    Rating,
    Recipient,
    ScreenOutcome,
)
from renda_core.i18n import MessageTemplate, language, term_text
from renda_core.projections.reports import fresh_context


@click.group(cls=RendaGroup)
def opinion() -> None:
    """Public opinion (社情民意): the closed loop 收集 → 汇总 → 办理 → 反馈."""


def _run(
    ctx: click.Context, method: str, data: dict[str, Any], done: MessageTemplate, **values: Any
) -> None:
    """Apply ``method``, then print ``done`` (``"{opinion_id}: closed"``, catalogued as
    it is) formatted with the item's id and ``values``, in the active language."""
    e = env(ctx)
    getattr(e.get_app(), method)(data, e.actor())
    echo(message(done, opinion_id=data["opinion_id"], **values))


@opinion.command(name="collect")
@click.option("--station", "station_id", required=True, help="Id of the station.")
@click.option("--channel", required=True, help=f"Channel: {choices(Channel)}.")
@click.option("--content", required=True, help="What the citizen said, kept verbatim.")
@click.option(
    "--deputy", "deputies", multiple=True, required=True, help="Receiving deputy (repeatable)."
)
@click.option("--category", help="Category, e.g. 民生 / 产业发展.")
@click.option("--citizen-name", help="Citizen's name (personal data; omit to stay anonymous).")
@click.option("--citizen-phone", help="Citizen's phone (personal data; optional).")
@date_option()
@json_option
@click.pass_context
def opinion_collect(
    ctx: click.Context, /, deputies: tuple[str, ...], on: str | None, as_json: bool, **fields: Any
) -> None:
    """Collect an item at a station (收集); prints the new id."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    data.update(deputies=list(deputies), date=on or today())
    new_id = e.get_app().collect_opinion(data, e.actor())
    if as_json:
        emit({"id": str(new_id)}, True)
    else:
        echo(str(new_id))


@opinion.command(name="screen")
@click.argument("opinion_id")
@click.option("--outcome", required=True, help=f"Outcome: {choices(ScreenOutcome)}.")
@click.option("--advice", help=f"Out of scope: the right channel: {choices(ProperChannel)}.")
@click.option("--into", help="Duplicate: id of the item it is merged into (汇总).")
@click.option("--note", help="Note, kept verbatim.")
@date_option()
@click.pass_context
def opinion_screen(
    ctx: click.Context,
    /,
    opinion_id: str,
    outcome: str,
    advice: str | None,
    into: str | None,
    note: str | None,
    on: str | None,
) -> None:
    """Screen an item: accepted, out of scope, or duplicate (merged: 汇总)."""
    data = {"opinion_id": opinion_id, "outcome": outcome, "date": on or today()}
    data.update({k: v for k, v in {"advice": advice, "into": into, "note": note}.items() if v})
    _run(ctx, "screen_opinion", data, "{opinion_id}: screened ({outcome})", outcome=outcome)


@opinion.command(name="answer")
@click.argument("opinion_id")
@click.option("--result", required=True, help="The answer given on the spot.")
@date_option()
@click.pass_context
def opinion_answer(ctx: click.Context, /, opinion_id: str, result: str, on: str | None) -> None:
    """Answer an accepted item on the spot (当场答复)."""
    data = {"opinion_id": opinion_id, "result": result, "date": on or today()}
    _run(ctx, "answer_opinion", data, "{opinion_id}: answered on the spot")


@opinion.command(name="refer")
@click.argument("opinion_id")
@click.option("--to", "body", required=True, help="The local body or department.")
@click.option("--body-kind", required=True, help=f"Kind of body: {choices(BodyKind)}.")
@click.option("--due", required=True, help="Due date of the handling (YYYY-MM-DD).")
@date_option()
@click.pass_context
def opinion_refer(
    ctx: click.Context, /, opinion_id: str, body: str, body_kind: str, due: str, on: str | None
) -> None:
    """Refer an accepted item to a local body or a department (转办)."""
    data = {
        "opinion_id": opinion_id,
        "body": body,
        "body_kind": body_kind,
        "due": due,
        "date": on or today(),
    }
    _run(ctx, "refer_opinion", data, "{opinion_id}: referred to {body}", body=body)


@opinion.command(name="escalate")
@click.argument("opinion_id")
@click.option("--to", "target_kind", required=True, help=f"Into: {choices(EscalationTarget)}.")
@click.option(
    "--target",
    "target_id",
    help="Id of the suggestion or bulletin; for a suggestion, omit it to draft a new one.",
)
@click.option("--title", help="Title of the new suggestion (default: the item's content).")
@date_option()
@json_option
@click.pass_context
def opinion_escalate(
    ctx: click.Context,
    /,
    opinion_id: str,
    target_kind: str,
    target_id: str | None,
    title: str | None,
    on: str | None,
    as_json: bool,
) -> None:
    """Escalate an accepted item into a suggestion or a bulletin item (linked)."""
    e = env(ctx)
    data: dict[str, Any] = {
        "opinion_id": opinion_id,
        "target_kind": target_kind,
        "date": on or today(),
    }
    data.update({k: v for k, v in {"target_id": target_id, "title": title}.items() if v})
    target = e.get_app().escalate_opinion(data, e.actor())
    if as_json:
        emit({"opinion_id": opinion_id, "target_kind": target_kind, "target_id": target}, True)
    else:
        echo(f"{opinion_id}: escalated to {target_kind} {target}")


@opinion.command(name="result")
@click.argument("opinion_id")
@click.option("--result", required=True, help="The handling result (办理结果).")
@date_option()
@click.pass_context
def opinion_result(ctx: click.Context, /, opinion_id: str, result: str, on: str | None) -> None:
    """Record the handling result of a referred or escalated item."""
    data = {"opinion_id": opinion_id, "result": result, "date": on or today()}
    _run(ctx, "record_opinion_result", data, "{opinion_id}: result recorded")


@opinion.command(name="feedback")
@click.argument("opinion_id")
@click.option(
    "--to",
    "recipients",
    multiple=True,
    help=f"Told (repeatable; default both): {choices(Recipient)}.",
)
@click.option("--note", help="Note, kept verbatim.")
@date_option()
@click.pass_context
def opinion_feedback(
    ctx: click.Context,
    /,
    opinion_id: str,
    recipients: tuple[str, ...],
    note: str | None,
    on: str | None,
) -> None:
    """Feed the result back to the deputy and the citizen (反馈)."""
    data: dict[str, Any] = {"opinion_id": opinion_id, "note": note, "date": on or today()}
    if recipients:
        data["to"] = list(recipients)
    _run(ctx, "feed_back_opinion", data, "{opinion_id}: fed back")


@opinion.command(name="evaluate")
@click.argument("opinion_id")
@click.option("--rating", required=True, help=f"Citizen's evaluation: {choices(Rating)}.")
@click.option("--note", help="Reason (required when unsatisfied).")
@date_option()
@click.pass_context
def opinion_evaluate(
    ctx: click.Context, /, opinion_id: str, rating: str, note: str | None, on: str | None
) -> None:
    """Record the citizen's evaluation: closes the item, or reopens it when unsatisfied."""
    data = {"opinion_id": opinion_id, "rating": rating, "note": note, "date": on or today()}
    _run(ctx, "evaluate_opinion", data, "{opinion_id}: evaluated ({rating})", rating=rating)


@opinion.command(name="close")
@click.argument("opinion_id")
@click.option("--note", help="Note, kept verbatim.")
@date_option()
@click.pass_context
def opinion_close(ctx: click.Context, /, opinion_id: str, note: str | None, on: str | None) -> None:
    """Close an item (only after feedback, or after out-of-scope advice)."""
    data = {"opinion_id": opinion_id, "note": note, "date": on or today()}
    _run(ctx, "close_opinion", data, "{opinion_id}: closed")


@opinion.command(name="show")
@click.argument("opinion_id")
@reason_option
@json_option
@click.pass_context
def opinion_show(ctx: click.Context, /, opinion_id: str, reason: str | None, as_json: bool) -> None:
    """Show an item with its history (and the citizen's personal data, if given)."""
    data = shown_record(ctx, "opinion.show", opinion_id, reason)

    def render() -> Table:
        app = env(ctx).get_app()
        shown = {
            **data,
            "station_id": with_name(data["station_id"][:8], named(app.station, data["station_id"])),
            "deputies": "、".join(named(app.deputy, d) or d for d in data["deputies"]),
            "route": _route_text(data["route"]),
        }
        table = Table(title=f"社情民意 {data['id']}", show_header=False)
        for key in (
            "station_id",
            "deputies",
            "channel_label",
            "content",
            "category",
            "citizen_name",
            "citizen_phone",
            "status_label",
            "route",
            "result",
        ):
            if shown.get(key):
                table.add_row(key, str(shown[key]))
        for step in data["history"]:
            table.add_row(step["on"], _step_line(step))
        return table

    emit(data, as_json, render)


def _route_text(route: dict[str, Any] | None) -> str | None:
    """Where an item went: referred to a body by a date, answered, escalated."""
    if route is None:
        return None
    if route["kind"] == "referred":
        return message(
            "referred to {body} ({body_kind}), due {due}",
            body=Verbatim(route["body"]),
            body_kind=route["body_kind"],
            due=route["due"],
        )
    if route["kind"] == "escalated":
        return message(
            "escalated: {target_kind} {target_id}",
            target_kind=route["target_kind"],
            target_id=route["target_id"],
        )
    return message("answered on the spot")


def _step_line(step: dict[str, Any]) -> str:
    """A step of an item's history with what it names: to whom it was referred, the
    result, the rating; its note after it."""
    text = _step_text(step["step"])
    if step.get("body"):
        text = message("{step}: {body}", step=Verbatim(text), body=Verbatim(step["body"]))
    elif step.get("rating"):
        text = message("{step}: {rating}", step=Verbatim(text), rating=step["rating"])
    elif step.get("result"):
        text = message("{step}: {result}", step=Verbatim(text), result=Verbatim(step["result"]))
    elif step.get("to"):  # fed back to the citizen and the deputy
        to = [term_text(r, "opinion.Recipient") for r in step["to"]]
        joined = "、".join(to) if language() == "zh" else ", ".join(to)
        text = message("{step}: {to}", step=Verbatim(text), to=Verbatim(joined))
    if step.get("note"):
        text = message("{step}; note: {note}", step=Verbatim(text), note=Verbatim(step["note"]))
    return text


def _step_text(step: str) -> str:
    """A step of an item's history (recorded in English by the domain) in the active
    language; the outcome of a screening by its term (受理)."""
    head, _, outcome = step.partition(": ")
    if head == "screened":
        return message("screened: {outcome}", outcome=outcome)
    shown = {
        "collected": message("collected"),
        "duplicate merged": message("duplicate merged"),
        "answered on the spot": message("answered on the spot"),
        "referred": message("referred"),
        "escalated": message("escalated"),
        "result recorded": message("result recorded"),
        "fed back": message("fed back"),
        "evaluated": message("evaluated"),
        "closed": message("closed"),
    }
    return shown.get(step, step)


@opinion.command(name="list")
@click.option("--station", "station_id", help="Only items of this station.")
@click.option("--status", type=click.Choice(sorted(STATUS_LABELS)), help="Only this status.")
@json_option
@click.pass_context
def opinion_list(
    ctx: click.Context, /, station_id: str | None, status: str | None, as_json: bool
) -> None:
    """List items (no personal data), from the stations view."""
    from renda_adapters.stations import StationsProjection, opinion_entries

    rows = opinion_entries(
        fresh_context(env(ctx).runner(), StationsProjection.name), status, station_id
    )
    rows = shown_rows(ctx, "opinion.list", "opinion", rows, load=env(ctx).get_app().opinion)

    def render() -> Table:
        table = Table(title="社情民意")
        for col in ("id", "collected_on", "station", "channel", "category", "status"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["id"],
                r["collected_on"],
                r["station"],
                Channel.of(r["channel"]).label,
                r["category"] or "",
                STATUS_LABELS[r["status"]],
            )
        return table

    emit(rows, as_json, render)
