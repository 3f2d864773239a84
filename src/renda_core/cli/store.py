"""``renda store …``: the event store itself (its files, not its events)."""

from __future__ import annotations

import click
from rich.table import Table

from renda_core.application.faults import FileCheck, check_sqlite_files
from renda_core.application.store import StoreConfig, parse_store
from renda_core.cli.common import RendaGroup, emit, env, json_option
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
            result = " ".join(["ok", r.note]) if r.ok else "; ".join(r.problems)
            table.add_row(r.file, r.role, result.strip())
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
    return log
