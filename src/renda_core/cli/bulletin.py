"""``renda bulletin …``: 《人大代表之声》专刊 issues, instructions and forwarding."""

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
from renda_core.domain.bulletin import ItemKind


@click.group(cls=RendaGroup)
def bulletin() -> None:
    """《人大代表之声》专刊: open, include, publish, instruct (批示), forward (批转办理).

    An issue is named by its id or by YEAR/NUMBER (e.g. 2024/3).
    """


def _apply(ctx: click.Context, method: str, issue: str, on: str | None, **data: Any) -> Any:
    e = env(ctx)
    payload = {k: v for k, v in data.items() if v is not None}
    payload.update(bulletin=issue, date=on or today())
    return getattr(e.get_app(), method)(payload, e.actor())


@bulletin.command(name="open")
@click.option("--year", required=True, type=int, help="Year of the issue.")
@click.option("--number", required=True, type=int, help="Issue number within the year (期).")
@click.option("--title", required=True, help="Title of the issue.")
@date_option()
@json_option
@click.pass_context
def bulletin_open(
    ctx: click.Context, /, year: int, number: int, title: str, on: str | None, as_json: bool
) -> None:
    """Open an issue; prints its id."""
    e = env(ctx)
    new_id = e.get_app().open_bulletin(
        {"year": year, "number": number, "title": title, "date": on or today()}, e.actor()
    )
    emit({"id": str(new_id)}, True) if as_json else echo(str(new_id))


@bulletin.command(name="include")
@click.argument("issue")
@click.option(
    "--kind",
    default=ItemKind.SUGGESTION.value,
    show_default=True,
    help=f"Kind of item: {choices(ItemKind)}.",
)
@click.option("--suggestion", "suggestion_ref", help="The inter-session suggestion carried.")
@click.option("--ref", help="The opinion's id (for --kind opinion).")
@click.option("--title", help="Title (default: the suggestion's).")
@click.option("--summary", required=True, help="The editor's summary (编者按/摘要).")
@click.option("--deputy", help="The deputy who raised it (default: the lead deputy).")
@date_option()
@json_option
@click.pass_context
def bulletin_include(
    ctx: click.Context,
    /,
    issue: str,
    suggestion_ref: str | None,
    ref: str | None,
    on: str | None,
    as_json: bool,
    **fields: Any,
) -> None:
    """Include an item in an unpublished issue; prints the item number."""
    number = _apply(ctx, "include_item", issue, on, ref=suggestion_ref or ref, **fields)
    emit({"item": number}, True) if as_json else echo(f"{issue}: item {number}")


@bulletin.command(name="remove")
@click.argument("issue")
@click.option("--item", required=True, type=int, help="Item number.")
@click.option("--reason", required=True, help="Why it is taken out.")
@date_option()
@click.pass_context
def bulletin_remove(ctx: click.Context, /, issue: str, on: str | None, **fields: Any) -> None:
    """Take an item out before publication."""
    _apply(ctx, "remove_item", issue, on, **fields)
    echo(f"{issue}: item {fields['item']} removed")


@bulletin.command(name="publish")
@click.argument("issue")
@click.option("--to", "recipients", required=True, multiple=True, help="Recipient, e.g. 省委.")
@date_option()
@click.pass_context
def bulletin_publish(
    ctx: click.Context, /, issue: str, recipients: tuple[str, ...], on: str | None
) -> None:
    """Publish (报送) the issue to its recipients."""
    _apply(ctx, "publish_bulletin", issue, on, recipients=list(recipients))
    echo(f"{issue}: published to {'、'.join(recipients)}")


@bulletin.command(name="instruct")
@click.argument("issue")
@click.option("--item", required=True, type=int, help="Item number.")
@click.option("--text", required=True, help="The instruction (批示), verbatim.")
@date_option()
@click.pass_context
def bulletin_instruct(ctx: click.Context, /, issue: str, on: str | None, **fields: Any) -> None:
    """Record the acting leader's instruction (批示) on an item (role leader:<name>)."""
    _apply(ctx, "instruct_item", issue, on, **fields)
    echo(f"{issue}: instruction on item {fields['item']} recorded")


@bulletin.command(name="forward")
@click.argument("issue")
@click.option("--item", required=True, type=int, help="Item number.")
@click.option("--lead-unit", required=True, help="Lead handling unit (主办).")
@click.option("--co-unit", "co_units", multiple=True, help="Co-handling unit, repeatable.")
@click.option("--complex", "complex_", is_flag=True, help="Complex: the longer reply period.")
@click.option("--note", help="Note.")
@date_option()
@json_option
@click.pass_context
def bulletin_forward(
    ctx: click.Context,
    /,
    issue: str,
    co_units: tuple[str, ...],
    complex_: bool,
    on: str | None,
    as_json: bool,
    **fields: Any,
) -> None:
    """Forward an item for handling (批转办理): its suggestion is assigned; prints its id."""
    suggestion_id = _apply(
        ctx,
        "forward_item",
        issue,
        on,
        co_units=list(co_units),
        complex=complex_,
        **fields,
    )
    if as_json:
        emit({"suggestion_id": str(suggestion_id)}, True)
    else:
        echo(f"{issue}: item {fields['item']} forwarded; suggestion {suggestion_id}")


@bulletin.command(name="show")
@click.argument("issue")
@reason_option
@json_option
@click.pass_context
def bulletin_show(ctx: click.Context, /, issue: str, reason: str | None, as_json: bool) -> None:
    """Show an issue with its items, instructions and the outcome of forwarded items."""
    data = shown_record(ctx, "bulletin.show", issue, reason)

    def render() -> Table:
        table = Table(title=f"《人大代表之声》{data['year']}年第{data['number']}期 {data['title']}")
        for col in ("item", "title", "instructions", "forwarded", "outcome"):
            table.add_column(col)
        for item in data["items"]:
            forwarded = item["forwarded"]
            outcome = item["outcome"]
            table.add_row(
                str(item["item"]) + (" (removed)" if item["removed"] else ""),
                item["title"],
                str(len(item["instructions"])),
                forwarded["lead_unit"] if forwarded else "",
                f"{outcome['status_label']} {outcome['result_class'] or ''}" if outcome else "",
            )
        table.caption = f"{data['status_label']} {data['published_on'] or ''}"
        return table

    emit(data, as_json, render)


@bulletin.command(name="list")
@click.option("--year", type=int, help="Only issues of this year.")
@json_option
@click.pass_context
def bulletin_list(ctx: click.Context, /, year: int | None, as_json: bool) -> None:
    """List issues (from the bulletin view, brought up to date first)."""
    from renda_adapters.bulletin import ISSUE, VIEW
    from renda_core.projections.reports import fresh_context

    entities = fresh_context(env(ctx).runner(), VIEW).entities(ISSUE)
    rows = sorted(
        ({"id": key, **doc} for key, doc in entities if year is None or doc["year"] == year),
        key=lambda r: (r["year"], r["number"]),
    )

    def render() -> Table:
        table = Table(title="《人大代表之声》专刊")
        for col in ("year", "number", "title", "id"):
            table.add_column(col)
        for r in rows:
            table.add_row(str(r["year"]), str(r["number"]), r["title"], r["id"])
        return table

    emit(rows, as_json, render)
