"""``renda projections …``: the adapters' views."""

from __future__ import annotations

import logging
import time
from typing import Any

import click
from rich.table import Table

from renda_core.cli.common import RendaGroup, emit, env, json_option, say
from renda_core.domain.errors import ProjectionFailed, StoreUnavailable

log = logging.getLogger(__name__)

#: the pauses (seconds) before each new attempt of a catch-up that a passing PostgreSQL
#: failure interrupted (three attempts in all): long enough for a restarted connection
#: or a finished conflicting transaction, short enough that an outage is reported
#: within seconds rather than hanging
CATCH_UP_PAUSES = (1.0, 3.0)


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
    """The catch-up, run again (with new connections) when a passing PostgreSQL failure
    interrupted it: a session the server ended (an administrator, a restart, its
    idle-in-transaction limit), a connection lost under a statement, no pooled
    connection in time, a serialization failure or a deadlock. Seen once in CI under a
    heavy load as exit 8.

    Running it again is safe: every batch is written with its tracking position in one
    transaction, compare-and-set, so an interrupted batch was written wholly or not at
    all, and the next attempt starts from the positions as stored. A failure that
    lasts (a refused connection, a wrong password) or the last attempt's failure is
    exit 8 as before, saying how many attempts were made."""
    from renda_core.application.postgres import transient

    e = env(ctx)
    pauses = iter(CATCH_UP_PAUSES)
    attempt = 1
    while True:
        try:
            return e.runner().catch_up(names)
        except StoreUnavailable as exc:
            if e.store_config().is_sqlite or not transient(exc):
                raise
            pause = next(pauses, None)
            if pause is None:
                raise StoreUnavailable(
                    f"{exc.message} (the catch-up was tried {attempt} times: "
                    "the server kept ending its connections)"
                ) from exc
            log.info("catch-up attempt %d interrupted, again in %.0f s: %s", attempt, pause, exc)
            e.close()  # new connections: the pools may still hold ones the server ended
            time.sleep(pause)
            attempt += 1


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
