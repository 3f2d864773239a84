"""``renda projections …``: the adapters' views."""

from __future__ import annotations

import logging
from typing import Any

import click
from rich.table import Table

from renda_core.cli.common import RendaGroup, emit, env, json_option, say
from renda_core.domain.errors import ProjectionFailed, StoreUnavailable

log = logging.getLogger(__name__)


@click.group(cls=RendaGroup)
def projections() -> None:
    """Adapters' views: status, catch-up, rebuild."""


@projections.command(name="status")
@click.argument("names", nargs=-1)
@json_option
@click.pass_context
def projections_status(ctx: click.Context, /, names: tuple[str, ...], as_json: bool) -> None:
    """Each adapter's position in the log and its last error."""
    rows = [vars(s) for s in env(ctx).runner().status(names)]

    def render() -> Table:
        table = Table(title="Projections")
        for col in ("name", "position", "head", "lag", "error"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["name"],
                str(r["position"]),
                str(r["head"]),
                str(r["lag"]),
                r["error"] or "",
            )
        return table

    emit(rows, as_json, render)


def _writable(ctx: click.Context) -> None:
    """Catch-up and rebuild write the views: refused on a read-only store."""
    store = env(ctx).store_config()
    if store.read_only:
        raise StoreUnavailable(
            f"the store {store.location} is read-only ({store.read_only}): its views are "
            "not written; reports catch up temporary copies of them"
        )


def _report_results(results: list[Any], as_json: bool) -> None:
    rows = [r.to_dict() for r in results]
    if as_json:
        emit(rows, True)
    else:
        for r in rows:
            status = f"FAILED {r['error']}" if r["error"] else "ok"
            click.echo(
                say(f"{r['name']}: {r['processed']} events, position {r['position']} — {status}")
            )
    failed = [r["name"] for r in rows if r["error"]]
    if failed:
        raise ProjectionFailed(f"adapter(s) failed: {', '.join(failed)}; the others are current")


@projections.command(name="catch-up")
@click.argument("names", nargs=-1)
@json_option
@click.pass_context
def projections_catch_up(ctx: click.Context, /, names: tuple[str, ...], as_json: bool) -> None:
    """Deliver new events to the adapters (all, or those named)."""
    _writable(ctx)
    _report_results(_catch_up_again_if_interrupted(ctx, names), as_json)


def _catch_up_again_if_interrupted(ctx: click.Context, names: tuple[str, ...]) -> list[Any]:
    """The catch-up; the runner runs it again when a passing PostgreSQL failure
    interrupted it (:meth:`ProjectionRunner.catch_up
    <renda_core.projections.runner.ProjectionRunner.catch_up>`, which says why that is
    safe). Opening the store is tried again here, with the same pauses and new
    connections (a session the server ended while the tables were checked): seen once
    in CI under a heavy load as exit 8. A failure that lasts, or the last attempt's
    failure, is exit 8 as before, saying how many attempts were made."""
    e = env(ctx)
    if e.store_config().is_sqlite:
        return e.runner().catch_up(names)
    from renda_core.application.postgres import PassingFailures
    from renda_core.projections.runner import catch_up_tried

    runner = PassingFailures.from_env().run(e.runner, again=e.close, exhausted=catch_up_tried)
    return runner.catch_up(names)


@projections.command(name="rebuild")
@click.argument("names", nargs=-1)
@click.option(
    "--jobs",
    type=int,
    default=None,
    help="Processes to rebuild with (default: RENDA_REBUILD_JOBS, else 1).",
)
@json_option
@click.pass_context
def projections_rebuild(
    ctx: click.Context, /, names: tuple[str, ...], jobs: int | None, as_json: bool
) -> None:
    """Drop views and replay the whole log into them (all, or those named).

    The views are split between up to --jobs processes, each reading the log once for
    its views (one process for an in-memory store or a log under 20,000 events). Needs
    the staff role; recorded (an Operation.Performed event) before it runs. On a
    terminal a progress line shows the elapsed time (stderr); otherwise quiet."""
    from renda_core.application.operations import record_operation
    from renda_core.cli.progress import progress_bar
    from renda_core.projections.split import default_jobs

    _writable(ctx)
    e = env(ctx)
    runner = e.runner()
    runner.names(names)  # unknown names are refused before anything is recorded
    processes = default_jobs(jobs)  # a bad --jobs is refused before anything is recorded
    record_operation(e.get_app(), "projections.rebuild", names, e.actor())
    with progress_bar("重建 rebuild", None, quiet=as_json):
        results = runner.rebuild(names, jobs=processes)
    _report_results(results, as_json)
