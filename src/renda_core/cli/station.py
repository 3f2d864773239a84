"""``renda station …``: stations (代表家站)."""

from __future__ import annotations

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
from renda_core.cli.i18n import message
from renda_core.cli.reading import reason_option, shown_record
from renda_core.domain.station import STATUS_LABELS, ActivityKind, CoLocation, StationKind
from renda_core.projections.reports import fresh_context


@click.group(cls=RendaGroup)
def station() -> None:
    """Stations (代表家站): establish, deputies enter and leave, activities, close."""


@station.command(name="establish")
@click.option("--name", required=True, help="Name of the station, as written.")
@click.option("--kind", required=True, help=f"Kind: {choices(StationKind)}.")
@click.option("--division", required=True, help="Code of the township or street division.")
@click.option(
    "--co-located",
    "co_located",
    multiple=True,
    help=f"Built together with (repeatable): {choices(CoLocation)}.",
)
@date_option(help="When the station was established (YYYY-MM-DD).")
@json_option
@click.pass_context
def station_establish(
    ctx: click.Context,
    /,
    name: str,
    kind: str,
    division: str,
    co_located: tuple[str, ...],
    on: str | None,
    as_json: bool,
) -> None:
    """Establish a station in a recorded township or street; prints the new id."""
    e = env(ctx)
    data = {
        "name": name,
        "kind": kind,
        "division": division,
        "co_located": list(co_located),
        "date": on or today(),
    }
    new_id = e.get_app().establish_station(data, e.actor())
    if as_json:
        emit({"id": str(new_id)}, True)
    else:
        echo(str(new_id))


@station.command(name="enter")
@click.argument("station_id")
@click.option("--deputy", "deputy_id", required=True, help="Id of the deputy who enters.")
@date_option()
@click.pass_context
def station_enter(ctx: click.Context, /, station_id: str, deputy_id: str, on: str | None) -> None:
    """A deputy (of any level) enters the station (进站)."""
    e = env(ctx)
    data = {"station_id": station_id, "deputy_id": deputy_id, "date": on or today()}
    e.get_app().enter_station(data, e.actor())
    echo(f"{station_id}: deputy {deputy_id} entered")


@station.command(name="leave")
@click.argument("station_id")
@click.option("--deputy", "deputy_id", required=True, help="Id of the deputy who leaves.")
@date_option()
@click.pass_context
def station_leave(ctx: click.Context, /, station_id: str, deputy_id: str, on: str | None) -> None:
    """A deputy leaves the station."""
    e = env(ctx)
    data = {"station_id": station_id, "deputy_id": deputy_id, "date": on or today()}
    e.get_app().leave_station(data, e.actor())
    echo(f"{station_id}: deputy {deputy_id} left")


@station.command(name="activity")
@click.argument("station_id")
@click.option("--kind", required=True, help=f"Kind: {choices(ActivityKind)}.")
@click.option(
    "--deputy", "deputies", multiple=True, required=True, help="Deputy present (repeatable)."
)
@click.option("--received", "people_received", type=int, default=0, help="People received.")
@click.option("--topic", help="Topic, kept verbatim.")
@date_option(required=True, help="When the activity took place (YYYY-MM-DD).")
@json_option
@click.pass_context
def station_activity(
    ctx: click.Context,
    /,
    station_id: str,
    kind: str,
    deputies: tuple[str, ...],
    people_received: int,
    topic: str | None,
    on: str,
    as_json: bool,
) -> None:
    """Record an activity; the deputies present must be on the roster."""
    e = env(ctx)
    data = {
        "station_id": station_id,
        "kind": kind,
        "date": on,
        "deputies": list(deputies),
        "people_received": people_received,
        "topic": topic,
    }
    number = e.get_app().hold_station_activity(data, e.actor())
    if as_json:
        emit({"station_id": station_id, "number": number}, True)
    else:
        echo(f"{station_id}: activity {number} recorded")


@station.command(name="close")
@click.argument("station_id")
@date_option()
@click.pass_context
def station_close(ctx: click.Context, /, station_id: str, on: str | None) -> None:
    """Close the station."""
    e = env(ctx)
    e.get_app().close_station({"station_id": station_id, "date": on or today()}, e.actor())
    echo(message("{station_id}: closed", station_id=station_id))


@station.command(name="show")
@click.argument("station_id")
@reason_option
@json_option
@click.pass_context
def station_show(ctx: click.Context, /, station_id: str, reason: str | None, as_json: bool) -> None:
    """Show a station with its roster and activities."""
    data = shown_record(ctx, "station.show", station_id, reason)

    def render() -> Table:
        app = env(ctx).get_app()
        division = data["division"]
        shown = {**data, "division": with_name(division, named(app.division, division))}
        table = Table(title=f"{data['name']}（{data['kind_label']}）", show_header=False)
        for key in ("id", "division", "established_on", "status_label", "closed_on"):
            if shown.get(key):
                table.add_row(key, str(shown[key]))
        labels = [CoLocation.of(c).label for c in data["co_located"]]
        table.add_row("co_located", "、".join(labels))
        names = [named(app.deputy, d["deputy_id"]) or d["deputy_id"] for d in data["roster"]]
        table.add_row("roster", str(len(names)))
        if names:
            table.add_row("deputies", "、".join(names))
        table.add_row("activities", str(len(data["activities"])))
        return table

    emit(data, as_json, render)


@station.command(name="list")
@click.option("--division", help="Only divisions whose code starts with this.")
@click.option("--status", type=click.Choice(["open", "closed"]), help="Only this status.")
@json_option
@click.pass_context
def station_list(
    ctx: click.Context, /, division: str | None, status: str | None, as_json: bool
) -> None:
    """List stations (from the stations view, brought up to date first)."""
    from renda_adapters.stations import StationsProjection, station_entries

    rows = station_entries(
        fresh_context(env(ctx).runner(), StationsProjection.name), status, division
    )

    def render() -> Table:
        table = Table(title="代表家站")
        for col in ("id", "name", "kind", "division", "status", "roster", "activities"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["id"],
                r["name"],
                StationKind.of(r["kind"]).label,
                r["division"],
                STATUS_LABELS[r["status"]],
                str(r["roster"]),
                str(r["activities"]),
            )
        return table

    emit(rows, as_json, render)
