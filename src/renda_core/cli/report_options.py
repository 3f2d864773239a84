"""What the file-producing reports (``renda report annual``, ``renda report handling``)
share: one block of options, the year's range check and writing the result."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from renda_core.cli.asof import as_of_option
from renda_core.cli.common import OutputPath, say, write_output
from renda_core.domain.errors import InvalidInput

F = TypeVar("F", bound=Callable[..., Any])


def report_options(
    *,
    formats: Sequence[str],
    year_help: str,
    area_help: str,
    level_help: str,
    format_help: str = "Output format.",
) -> Callable[[F], F]:
    """``--year --area --level --as-of --format --lang --output --json``, in that order;
    the command receives ``year, area, level, as_of, fmt, lang, output, as_json``."""

    def decorate(fn: F) -> F:
        options: list[Callable[[Any], Any]] = [
            click.option("--year", type=int, help=year_help),
            click.option("--area", help=area_help),
            click.option("--level", help=level_help),
            as_of_option,
            click.option(
                "--format",
                "fmt",
                type=click.Choice(list(formats)),
                default="table",
                show_default=True,
                help=format_help,
            ),
            click.option(
                "--lang",
                type=click.Choice(["zh", "en"]),
                default="zh",
                show_default=True,
                help="Language of the report's labels and text.",
            ),
            click.option(
                "--output", type=OutputPath(), help="Write to this file instead of the terminal."
            ),
            click.option("--json", "as_json", is_flag=True, help="Same as --format json."),
        ]
        decorated: Any = fn
        for option in reversed(options):
            decorated = option(decorated)
        return decorated  # type: ignore[no-any-return]

    return decorate


def check_year(year: int | None) -> None:
    if year is not None and not 1949 <= year <= 2200:
        raise InvalidInput(
            f"year {year} is out of range", [{"field": "year", "message": "1949–2200"}]
        )


def write_result(result: Any, output: Path | None, *, width: int = 100) -> None:
    """A rendered report to ``output`` or the terminal: text, a rich renderable (plain
    text in a file), or bytes (a spreadsheet: a file only, ``--output`` required)."""
    from rich.console import Console

    from renda_core.cli.shaping import write_bytes

    if isinstance(result, bytes):  # xlsx: a file, never the terminal
        if output is None:
            raise InvalidInput(
                "--format xlsx needs --output FILE.xlsx",
                [{"field": "output", "message": "required with --format xlsx"}],
            )
        write_bytes(output, result)
        click.echo(say(f"written {output}"), err=True)
    elif output is not None:
        if not isinstance(result, str):
            console = Console(record=True, width=width, file=io.StringIO())
            console.print(result)
            result = console.export_text()
        write_output(output, result)
        click.echo(say(f"written {output}"), err=True)
    elif isinstance(result, str):
        click.echo(result, nl=not result.endswith("\n"))
    else:
        Console().print(result)
