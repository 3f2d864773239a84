"""Shared pieces of the CLI: the error mapping, shared options, rendering."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import click
from rich.console import Console

from renda_core.cli.context import Env
from renda_core.domain.errors import InvalidInput, RendaError
from renda_core.projections.runner import BUSINESS_TZ

F = TypeVar("F", bound=Callable[..., Any])


class RendaClickError(click.ClickException):
    """A domain error at the CLI edge: a clerk-readable message and its exit code."""

    def __init__(self, error: RendaError) -> None:
        super().__init__(error.message)
        self.error = error
        self.exit_code = error.exit_code  # type: ignore[misc]

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
    return click.option("--json", "as_json", is_flag=True, help="Print only JSON on stdout.")(fn)


def date_option(
    required: bool = False, help: str = "Business date (YYYY-MM-DD)."
) -> Callable[[F], F]:
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


def parse_date(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"{field}: '{value}' is not a date like 2023-12-31",
            [{"field": field, "message": "expected YYYY-MM-DD"}],
        ) from None
