"""``renda``: the reference command-line driver.

Commands stay thin: parse → call the application → render. Domain errors become a
:class:`RendaClickError` with the documented exit code of their kind (``docs/cli.md``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from renda_core.application.commands import COMMANDS
from renda_core.cli.context import Env
from renda_core.domain.deputy import STATUS_LABELS
from renda_core.domain.errors import ProjectionFailed, RendaError
from renda_core.domain.values import ContactForm, Gender, Level, TerminationReason
from renda_core.ports.plugins import get_plugin_manager, plugin_list
from renda_core.projections.log import list_events
from renda_core.projections.reports import fresh_context, run_report
from renda_core.projections.runner import BUSINESS_TZ

F = TypeVar("F", bound=Callable[..., Any])


class RendaClickError(click.ClickException):
    """A domain error at the CLI edge: a clerk-readable message and its exit code."""

    def __init__(self, error: RendaError) -> None:
        super().__init__(error.message)
        self.error = error
        self.exit_code = error.exit_code

    def format_message(self) -> str:
        lines = [self.error.message]
        for item in getattr(self.error, "errors", []):
            lines.append(f"  - {item['field']}: {item['message']}")
        return "\n".join(lines)


class RendaGroup(click.Group):
    """Maps domain errors to exit codes for every subcommand."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RendaError as error:
            raise RendaClickError(error) from error


def json_option(fn: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print only JSON on stdout."
    )(fn)


def date_option(required: bool = False, help: str = "Business date (YYYY-MM-DD).") -> Callable[[F], F]:
    return click.option(
        "--date",
        "on",
        required=required,
        default=None,
        help=help + ("" if required else " Defaults to today (Beijing time)."),
    )


def today() -> str:
    return datetime.now(BUSINESS_TZ).date().isoformat()


def choices(enum: Any) -> str:
    return ", ".join(f"{m.value} ({m.label})" for m in enum)


def env(ctx: click.Context) -> Env:
    obj = ctx.ensure_object(Env)
    assert isinstance(obj, Env)
    return obj


def emit(data: Any, as_json: bool, render: Callable[[], Any] | None = None) -> None:
    if as_json or render is None:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        Console().print(render())


@click.group(cls=RendaGroup)
@click.version_option(package_name="renda")
@click.option(
    "--store",
    envvar="RENDA_STORE",
    help="Event store: a SQLite file path (default renda.sqlite) or "
    "postgresql://user:pass@host:port/db. Env: RENDA_STORE.",
)
@click.option("--actor", envvar="RENDA_ACTOR", help="Who is acting (recorded on every event). Env: RENDA_ACTOR.")
@click.option(
    "--role",
    envvar="RENDA_ROLE",
    help="Role of the actor: staff (default), auditor, editor, deputy:<id>, "
    "unit:<name>, leader:<name>. Env: RENDA_ROLE.",
)
@click.pass_context
def cli(ctx: click.Context, store: str | None, actor: str | None, role: str | None) -> None:
    """renda (人大): the work of people's congress deputies, as an event log.

    Every change is an event; reports are projections of the log; auditors replay it.
    """
    obj = ctx.ensure_object(Env)
    obj.store = obj.store or store
    obj.actor_id = obj.actor_id or actor
    obj.role = obj.role or role
    ctx.call_on_close(obj.close)


# -- deputy (代表) ---------------------------------------------------------------


@cli.group(cls=RendaGroup)
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
def deputy_register(ctx: click.Context, as_json: bool, on: str | None, **fields: Any) -> None:
    """Register a deputy; prints the new id."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    data["date"] = on or today()
    new_id = e.get_app().register_deputy(data, e.actor())
    if as_json:
        emit({"id": str(new_id)}, True)
    else:
        click.echo(str(new_id))


@deputy.command(name="show")
@click.argument("deputy_id")
@json_option
@click.pass_context
def deputy_show(ctx: click.Context, deputy_id: str, as_json: bool) -> None:
    """Show one deputy with liaisons and contacts."""
    data = env(ctx).get_app().deputy(deputy_id)

    def render() -> Table:
        table = Table(title=f"{data['name']}（{data['level_label']}级人大代表）", show_header=False)
        for key in ("id", "name", "gender", "ethnicity", "level", "term", "electoral_unit",
                    "area", "category", "phone", "registered_on", "status_label",
                    "terminated_on", "termination_reason", "liaison", "liaison_since"):
            if data.get(key) not in (None, ""):
                table.add_row(key, str(data[key]))
        table.add_row("contacts", str(len(data["contacts"])))
        return table

    emit(data, as_json, render)


@deputy.command(name="list")
@click.option("--level", help=f"Only this level: {choices(Level)}.")
@json_option
@click.pass_context
def deputy_list(ctx: click.Context, level: str | None, as_json: bool) -> None:
    """List deputies (from the roster view, brought up to date first)."""
    from renda_adapters.roster import DeputyRoster, roster_entries

    from renda_core.application.commands import LevelField, parse_value

    e = env(ctx)
    wanted = parse_value(LevelField, level, "level").value if level else None
    rows = roster_entries(fresh_context(e.runner(), DeputyRoster.name), wanted)

    def render() -> Table:
        table = Table(title="代表名单")
        for col in ("id", "name", "level", "area", "status", "liaison"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["id"], r["name"], Level(r["level"]).label, r["area"],
                STATUS_LABELS.get(r["status"], r["status"]), r["liaison"] or "",
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
def deputy_correct(ctx: click.Context, deputy_id: str, on: str | None, **fields: Any) -> None:
    """Correct recorded details (also after termination)."""
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    e.get_app().correct_deputy({"deputy_id": deputy_id, "date": on or today(), **data}, e.actor())
    click.echo(f"corrected {deputy_id}: {', '.join(sorted(data)) or 'nothing'}")


@deputy.command(name="liaise")
@click.argument("deputy_id")
@click.option("--member", required=True, help="Standing-committee member (常委会组成人员).")
@date_option()
@click.pass_context
def deputy_liaise(ctx: click.Context, deputy_id: str, member: str, on: str | None) -> None:
    """Assign a standing-committee member as liaison (双联系)."""
    e = env(ctx)
    e.get_app().liaise_deputy({"deputy_id": deputy_id, "member": member, "date": on or today()}, e.actor())
    click.echo(f"{deputy_id}: liaison {member}")


@deputy.command(name="unliaise")
@click.argument("deputy_id")
@date_option()
@click.pass_context
def deputy_unliaise(ctx: click.Context, deputy_id: str, on: str | None) -> None:
    """End the current liaison."""
    e = env(ctx)
    e.get_app().unliaise_deputy({"deputy_id": deputy_id, "date": on or today()}, e.actor())
    click.echo(f"{deputy_id}: liaison ended")


@deputy.command(name="contact")
@click.argument("deputy_id")
@click.option("--form", required=True, help=f"Form of contact: {choices(ContactForm)}.")
@date_option(required=True, help="When the contact took place (YYYY-MM-DD).")
@click.option("--note", help="Note, kept verbatim.")
@click.pass_context
def deputy_contact(ctx: click.Context, deputy_id: str, form: str, on: str, note: str | None) -> None:
    """Record a contact with the deputy's liaison member."""
    e = env(ctx)
    data = {"deputy_id": deputy_id, "form": form, "date": on, "note": note}
    e.get_app().record_contact(data, e.actor())
    click.echo(f"{deputy_id}: contact recorded")


@deputy.command(name="terminate")
@click.argument("deputy_id")
@click.option("--reason", required=True, help=f"Reason: {choices(TerminationReason)}.")
@date_option(required=True, help="When the mandate ended (YYYY-MM-DD).")
@click.pass_context
def deputy_terminate(ctx: click.Context, deputy_id: str, reason: str, on: str) -> None:
    """Terminate the deputy's mandate (终止代表资格)."""
    e = env(ctx)
    e.get_app().terminate_deputy({"deputy_id": deputy_id, "reason": reason, "date": on}, e.actor())
    click.echo(f"{deputy_id}: mandate terminated")


# -- events ----------------------------------------------------------------------


@cli.group(cls=RendaGroup)
def events() -> None:
    """The event log, for auditors."""


@events.command(name="list")
@click.option("--aggregate", "aggregate_id", help="Only events of this aggregate id.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
@json_option
@click.pass_context
def events_list(ctx: click.Context, aggregate_id: str | None, limit: int | None, as_json: bool) -> None:
    """List events in log order: position, topic, actor, recorded time, data."""
    rows = list_events(env(ctx).get_app(), aggregate_id, limit)

    def render() -> Table:
        table = Table(title="事件日志 Event log")
        for col in ("#", "topic", "aggregate", "actor", "recorded_at"):
            table.add_column(col)
        for r in rows:
            actor = r["actor"] or {}
            table.add_row(
                str(r["position"]), r["topic"], r["aggregate_id"][:8],
                f"{actor.get('id', '')} ({actor.get('role', '')})", r["recorded_at"][:19],
            )
        return table

    emit(rows, as_json, render)


# -- projections -----------------------------------------------------------------


@cli.group(cls=RendaGroup)
def projections() -> None:
    """Adapters' views: status, catch-up, rebuild."""


@projections.command(name="status")
@click.argument("names", nargs=-1)
@json_option
@click.pass_context
def projections_status(ctx: click.Context, names: tuple[str, ...], as_json: bool) -> None:
    """Each adapter's position in the log and its last error."""
    rows = [vars(s) for s in env(ctx).runner().status(names)]

    def render() -> Table:
        table = Table(title="Projections")
        for col in ("name", "position", "head", "lag", "error"):
            table.add_column(col)
        for r in rows:
            table.add_row(r["name"], str(r["position"]), str(r["head"]), str(r["lag"]), r["error"] or "")
        return table

    emit(rows, as_json, render)


def _report_results(results: list[Any], as_json: bool) -> None:
    rows = [r.to_dict() for r in results]
    if as_json:
        emit(rows, True)
    else:
        for r in rows:
            status = f"FAILED {r['error']}" if r["error"] else "ok"
            click.echo(f"{r['name']}: {r['processed']} events, position {r['position']} — {status}")
    failed = [r["name"] for r in rows if r["error"]]
    if failed:
        raise ProjectionFailed(f"adapter(s) failed: {', '.join(failed)}; the others are current")


@projections.command(name="catch-up")
@click.argument("names", nargs=-1)
@json_option
@click.pass_context
def projections_catch_up(ctx: click.Context, names: tuple[str, ...], as_json: bool) -> None:
    """Deliver new events to the adapters (all, or those named)."""
    _report_results(env(ctx).runner().catch_up(names), as_json)


@projections.command(name="rebuild")
@click.argument("names", nargs=-1)
@json_option
@click.pass_context
def projections_rebuild(ctx: click.Context, names: tuple[str, ...], as_json: bool) -> None:
    """Drop views and replay the whole log into them (all, or those named)."""
    _report_results(env(ctx).runner().rebuild(names), as_json)


# -- reports ---------------------------------------------------------------------


def _parse_date(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        from renda_core.domain.errors import InvalidInput

        raise InvalidInput(
            f"{field}: '{value}' is not a date like 2023-12-31",
            [{"field": field, "message": "expected YYYY-MM-DD"}],
        ) from None


class ReportGroup(RendaGroup):
    """``renda report <name>``: one subcommand per report that plugins registered."""

    def _reports(self, ctx: click.Context) -> dict[str, Any]:
        obj = ctx.find_object(Env)
        pm = obj.plugins() if obj is not None else get_plugin_manager()
        from renda_core.ports.plugins import collect_reports

        return collect_reports(pm)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self._reports(ctx))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        report = self._reports(ctx).get(name)
        if report is None:
            return None
        return _report_command(report)


def _report_command(report: Any) -> click.Command:
    @click.pass_context
    def run(ctx: click.Context, as_json: bool, as_of_date: str | None, area: str | None,
            level: str | None, lang: str, **options: Any) -> None:
        e = env(ctx)
        level_value = None
        if level:
            from renda_core.application.commands import LevelField, parse_value

            level_value = parse_value(LevelField, level, "level").value
        data = run_report(
            e.runner(), report, as_of_date=_parse_date(as_of_date, "as-of-date"),
            area=area, level=level_value, **options,
        )
        render = (lambda: report.render(data, lang)) if report.render else None
        emit(data, as_json, render)

    params = [
        click.Option(["--as-of-date"], help="The report as the log stood at the end of this day (recorded time, Beijing)."),
        click.Option(["--area"], help="Only this division code prefix, e.g. 2201."),
        click.Option(["--level"], help=f"Only deputies of this level: {choices(Level)}."),
        click.Option(["--lang"], type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Labels of the table."),
        click.Option(["--json", "as_json"], is_flag=True, help="Print only JSON on stdout."),
        *report.options,
    ]
    return click.Command(report.name, callback=run, params=params, help=report.title)


@cli.group(cls=ReportGroup)
def report() -> None:
    """Reports read from the adapters' views (brought up to date first)."""


# -- plugins and the tour ---------------------------------------------------------


@cli.command(name="plugins")
@json_option
@click.pass_context
def plugins_list(ctx: click.Context, as_json: bool) -> None:
    """List loaded plugins and the hooks each implements."""
    rows = plugin_list(env(ctx).plugins())

    def render() -> Table:
        table = Table(title="Plugins")
        for col in ("name", "version", "builtin", "hooks"):
            table.add_column(col)
        for r in rows:
            table.add_row(str(r["name"]), str(r["version"] or ""), "yes" if r["builtin"] else "", ", ".join(r["hooks"]))  # type: ignore[arg-type]
        return table

    emit(rows, as_json, render)


@cli.command(name="commands")
@json_option
def commands_list(as_json: bool) -> None:
    """List the application's commands and their input fields."""
    rows = {name: list(model.model_fields) for name, model in COMMANDS.items()}
    emit(rows, True)


from renda_core.cli.tour import demo  # noqa: E402

cli.add_command(demo)

get_plugin_manager().hook.renda_register_commands(cli=cli)


def main() -> None:  # pragma: no cover - console entry
    cli(prog_name="renda")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
