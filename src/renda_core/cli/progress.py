"""A rich progress bar for long work (import, rebuild, demo): on a terminal only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(
    label: str, total: int | None, *, quiet: bool = False
) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``. The bar is drawn on stderr when it is a terminal and
    ``quiet`` is false; otherwise nothing is printed. ``label`` is shown in the active
    language (a catalogued message id, ``docs/i18n.md``)."""
    from rich.console import Console

    from renda_core.i18n import gettext

    label = gettext(label)

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        yield lambda n: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)
