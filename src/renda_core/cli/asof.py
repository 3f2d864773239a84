"""The one ``--as-of`` option of every report (and the business-date ``--on``).

``--as-of`` is a *recorded* moment: the report as the log stood then, every figure and
list what the report would have printed at that moment. ``--on`` is a *business* date
(the date overdue is judged on). See docs/reports.md, "as-of and business dates".
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import click

from renda_core.domain.errors import InvalidInput
from renda_core.projections.asof import AsOf, parse_as_of, parse_day

F = TypeVar("F", bound=Callable[..., Any])

AS_OF_HELP = (
    "The report as recorded by this moment: a date YYYY-MM-DD (the end of that day, "
    "Beijing time) or an ISO 8601 timestamp (without a zone: Beijing time). Every "
    "figure and list is what the report would have printed then."
)


_AS_OF: tuple[list[str], dict[str, Any]] = (
    ["--as-of", "as_of"],
    {"metavar": "MOMENT", "help": AS_OF_HELP},
)
_AS_OF_DATE: tuple[list[str], dict[str, Any]] = (
    ["--as-of-date", "as_of_date"],
    {"hidden": True, "help": "Deprecated name of --as-of."},
)


def as_of_params() -> list[click.Option]:
    """``--as-of`` and its deprecated, hidden old name ``--as-of-date``."""
    return [click.Option(decls, **attrs) for decls, attrs in (_AS_OF, _AS_OF_DATE)]


def take_as_of(as_of: str | None, as_of_date: str | None = None) -> AsOf | None:
    """The parsed ``--as-of`` (or its old name); InvalidInput if both or malformed."""
    if as_of is not None and as_of_date is not None:
        raise InvalidInput("give --as-of only (--as-of-date is its deprecated name)")
    if as_of is not None:
        return parse_as_of(as_of, "as-of")
    if as_of_date is not None:
        return parse_as_of(as_of_date, "as-of-date")
    return None


def as_of_option(fn: F) -> F:
    """Add ``--as-of``; the command receives ``as_of`` as an :class:`AsOf` or None."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs["as_of"] = take_as_of(kwargs.pop("as_of"), kwargs.pop("as_of_date"))
        return fn(*args, **kwargs)

    decorated: Any = wrapper
    for decls, attrs in (_AS_OF_DATE, _AS_OF):
        decorated = click.option(*decls, **attrs)(decorated)
    return decorated  # type: ignore[no-any-return]


ON_HELP = "Business date to judge overdue on, YYYY-MM-DD (default: the --as-of day, else today)."


def on_params(*, old_name: str | None = None) -> list[click.Option]:
    """``--on``: the business date a report judges by (optionally a hidden old name)."""
    params = [click.Option(["--on", "on"], metavar="DATE", help=ON_HELP)]
    if old_name:
        params.append(
            click.Option(
                [f"--{old_name}", old_name.replace("-", "_")],
                hidden=True,
                help="Deprecated name of --on.",
            )
        )
    return params


def take_on(on: str | None, old: str | None = None, old_name: str = "") -> date | None:
    """The parsed ``--on`` (or its old name); InvalidInput if both or malformed."""
    if on is not None and old is not None:
        raise InvalidInput(f"give --on only (--{old_name} is its deprecated name)")
    if on is not None:
        return parse_day(on, "on")
    return parse_day(old, old_name) if old is not None else None
