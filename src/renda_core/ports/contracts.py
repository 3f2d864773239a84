"""The shapes plugins implement: projection adapters and reports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import click

    from renda_core.projections.unit import ViewUnit


@runtime_checkable
class Projection(Protocol):
    """A projection adapter: turns events into its own view, exactly once.

    ``name`` names its view (``[a-z][a-z0-9_]*``); ``topics`` lists the stable event
    topics it needs (``"renda:Deputy.Registered"`` …; empty means every event).
    The runner calls ``process_event`` for each such event in log order, on its own,
    with a :class:`~renda_core.projections.unit.ViewUnit` to read and write the view.
    Raising stops this adapter at the event; nothing of that event is written.

    An adapter may also name its ``version`` (an int, 1 when absent). Raise it when the
    adapter starts to record something its earlier version did not: views built by the
    earlier version are then refused (exit 10, "views must be rebuilt") until
    ``renda projections rebuild`` replays the log into them, rather than read as zeros.

    An adapter that changes nothing but its unit (no message sent, no file written) may
    say ``pure = True``: the runner then keeps no copies to undo an event with, and
    after a failure processes the batch's earlier events again instead (a rebuild's
    cheaper path). Without it, no event reaches ``process_event`` twice.
    """

    name: str
    topics: Sequence[str]

    def process_event(self, event: Any, view: ViewUnit) -> None: ...


@dataclass(frozen=True)
class Report:
    """A report read from one projection's view.

    ``build(ctx, **options)`` returns plain JSON-able data; ``render(data, lang)``
    returns something rich can print (a Table) for the terminal; ``options`` are extra
    Click options of ``renda report <name>``.
    """

    name: str
    title: str
    projection: str
    build: Callable[..., dict[str, Any]]
    render: Callable[[dict[str, Any], str], Any] | None = None
    options: Sequence[click.Option] = field(default_factory=tuple)


@dataclass(frozen=True)
class CompositeReport:
    """A report built from the views of several reports (the annual work report).

    ``build(runner, reports, **options)`` gets the projection runner and the registered
    :class:`Report` objects by name, and returns plain JSON-able data. It is run by name
    through the public API (``RendaAPI.report(name, ...)``) like any report.
    """

    name: str
    title: str
    build: Callable[..., dict[str, Any]]
