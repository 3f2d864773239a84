"""``renda store …``: the event store itself (its files, not its events)."""

from __future__ import annotations

import click
from rich.table import Table

from renda_core.application.faults import FileCheck, check_sqlite_files
from renda_core.application.store import StoreConfig, parse_store
from renda_core.cli.common import RendaGroup, emit, env, json_option
from renda_core.cli.i18n import Verbatim, message
from renda_core.domain.errors import StoreUnavailable


@click.group(cls=RendaGroup)
def store() -> None:
    """The event store's files: check them for damage."""


@store.command(name="check")
@click.option(
    "--full",
    is_flag=True,
    help="Run PRAGMA integrity_check (slower, also checks indexes) instead of quick_check.",
)
@json_option
@click.pass_context
def store_check(ctx: click.Context, /, full: bool, as_json: bool) -> None:
    """Check a SQLite store's log file and view files for damage, without writing.

    Runs SQLite's `PRAGMA quick_check` on each file, then decodes every event of the
    log. Exit code 8 names every damaged file (restore the log from a backup; delete a
    damaged view file, and it is rebuilt from the log).
    """
    config = env(ctx).store_config()
    results = check_sqlite_files(config, full=full)
    if results[0].ok:
        results[0] = check_events(config, results[0])
    rows = [r.to_dict() for r in results]

    def render() -> Table:
        table = Table(title="Store check")
        for col in ("file", "role", "result"):
            table.add_column(col)
        for r in results:
            table.add_row(r.file, _role(r.role), _result(r))
        return table

    emit(rows, as_json, render)
    damaged = [r for r in results if not r.ok]
    if damaged:
        names = ", ".join(f"{r.file} ({r.role})" for r in damaged)
        raise StoreUnavailable(
            f"damaged: {names}: restore the log from a backup; delete a damaged view "
            "file, it is rebuilt from the log on next use (docs/operations.md)"
        )


def check_events(config: StoreConfig, log: FileCheck) -> FileCheck:
    """Decode every event of the log, read-only: undecodable bytes are damage too."""
    from renda_core.application.app import Renda
    from renda_core.projections.log import count_events

    try:
        with Renda(parse_store(config.location, read_only=True)) as app:
            count = count_events(app)
    except StoreUnavailable as exc:
        return FileCheck(log.file, log.role, False, [exc.message])
    log.note = f"{count} events decoded"
    log.events = count
    return log


def _role(role: str) -> str:
    """A file's role in the active language: the event log, or a view by its name."""
    if role == "log":
        return message("event log")
    return message("view {name}", name=Verbatim(role.removeprefix("view ")))


def _result(check: FileCheck) -> str:
    """What the check found, in the active language: intact (and the events decoded),
    else SQLite's own words for the damage."""
    if not check.ok:
        return "; ".join(check.problems)
    if check.events is not None:
        return message("intact: {count:,} events decoded", count=check.events)
    return message("intact")
