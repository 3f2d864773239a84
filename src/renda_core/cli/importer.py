"""``renda import FILE.jsonl`` and ``renda schema commands``."""

from __future__ import annotations

from typing import IO

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from renda_core.application.importer import (
    BATCH_CEILING,
    apply_commands,
    check_batch_size,
    command_schemas,
    parse_lines,
)
from renda_core.cli.common import (
    InputFile,
    check_json_depth,
    decode_utf8,
    emit,
    env,
    json_option,
    one_line,
    say,
)
from renda_core.cli.context import os_user
from renda_core.cli.i18n import field_line
from renda_core.domain.errors import InvalidInput


@click.command(name="import")
@click.argument("file", type=InputFile())
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help=(
        "Commands per transaction, at most "
        f"{BATCH_CEILING['sqlite']:,} on SQLite and {BATCH_CEILING['postgres']:,} on PostgreSQL."
    ),
)
@json_option
@click.pass_context
def import_file(ctx: click.Context, /, file: IO[bytes], batch_size: int, as_json: bool) -> None:
    """Apply the commands of a JSON Lines file (one envelope per line).

    The whole file is validated first (errors name the line and field; nothing is
    written): two lines creating the same record, a record that already exists, or a
    command id applied before with other content are errors too. Commands already
    applied (by id) are skipped, so a re-run after a crash neither duplicates nor loses
    anything. Each batch's events are written in the order of the file. See
    docs/import.md for the envelope.
    """
    try:
        # a level written 市 with no area: the store says if it is a municipality's
        commands = parse_lines(read_lines(file), lambda: env(ctx).get_app().store_province())
    except InvalidInput as error:
        # A file's report: each bad line below the error line (under --json: in it).
        for item in [] if as_json else error.errors[1:]:
            click.echo(f"  {one_line(field_line(item))}", err=True)
        raise
    app = env(ctx).get_app()
    check_batch_size(app, batch_size)
    console = Console(stderr=True)
    with Progress(
        TextColumn("导入 import"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=as_json or not console.is_terminal,
    ) as progress:
        task = progress.add_task("import", total=len(commands))
        result = apply_commands(
            app,
            commands,
            batch_size=batch_size,
            progress=lambda n: progress.advance(task, n),
            os_user=os_user(),
        )
    summary = result.to_dict()
    if as_json:
        emit(summary, True)
    else:
        click.echo(
            say(
                f"applied {result.applied}, skipped {result.skipped} (already applied), "
                f"failed {result.failed} — of {result.total} commands"
            )
        )
    if result.exception is not None:
        env(ctx).as_json = False  # the JSON summary above carries the error already
        raise result.exception


def read_lines(file: IO[bytes]) -> list[str]:
    """The file's lines as text: UTF-8 (a BOM is allowed). Bytes that are not UTF-8,
    or JSON nested deeper than the parser can follow, are invalid input naming the line."""
    lines = decode_utf8(file.read()).splitlines()
    for number, line in enumerate(lines, start=1):
        check_json_depth(line, f"line {number}")
    return lines


@click.group(name="schema")
def schema() -> None:
    """JSON Schemas of renda's inputs."""


@schema.command(name="commands")
def schema_commands() -> None:
    """Print the JSON Schema of the import envelope and of every command's data."""
    emit(command_schemas(), True)
