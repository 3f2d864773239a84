"""``renda demo``: build a synthetic province modelled on the seed (吉林省, 2023)
through the application's commands, then print the 2023 annual work report.

The generator lives in :mod:`renda_core.demo`; this command parses, checks the store,
shows progress and renders.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from renda_core import i18n
from renda_core.application.app import Renda
from renda_core.application.store import DEMO_MARK, demo_marked, parse_store
from renda_core.cli.common import env
from renda_core.cli.context import Env
from renda_core.demo import Targets, check_scale, generate
from renda_core.domain.errors import RuleViolated, StoreUnavailable
from renda_core.projections.background import BackgroundCatchUp
from renda_core.projections.log import last_position
from renda_core.projections.reports import run_report

DEFAULT_DEMO_STORE = "renda-demo.sqlite"
#: set (to anything) to print, to stderr, the seconds each phase of the demo took
TIMES_ENV = "RENDA_DEBUG_DEMO_TIMES"
YEAR = 2023
#: the reports printed when ``renda report annual`` is not installed, with their options
FALLBACK_REPORTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("training", {"year": YEAR}),
    ("stations", {"year": YEAR}),
    ("deputies", {}),
    ("suggestions", {"year": YEAR}),
    ("groups", {"year": YEAR}),
    ("bulletin", {"year": YEAR}),
)


@click.command(name="demo")
@click.option(
    "--store",
    "demo_store",
    default=DEFAULT_DEMO_STORE,
    show_default=True,
    help="Where to build the demo: a new SQLite file, or an empty PostgreSQL "
    "database/schema. `renda --store X demo` builds it in X too; RENDA_STORE is not "
    "followed (a demo never writes into the store a shell uses for real work).",
)
@click.option(
    "--scale",
    type=float,
    default=1.0,
    show_default=True,
    help="0 < S ≤ 1, or a whole number 2–5: multiplies every count of the seed "
    "(1.0: the seed's own figures).",
)
@click.option(
    "--seed", type=int, default=2023, show_default=True, help="Seed of every random choice."
)
@click.option(
    "--fresh",
    is_flag=True,
    help="Delete an existing SQLite demo store (and its views) first; only a store "
    "that `renda demo` created is deleted, any other is refused (exit 5).",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def demo(
    ctx: click.Context, /, demo_store: str, scale: float, seed: int, fresh: bool, quiet: bool
) -> None:
    """Build a province modelled on the seed (吉林省, 2023), then print its annual report.

    Divisions, deputies of the five levels, stations and a year of their activities and
    opinions, liaison, groups, training, suggestions and the bulletin are recorded
    through the same commands a user issues. At --scale 1.0 the 2023 report shows the
    seed's figures (97 % coverage, 54,286 deputies entered, 26,135 activities, 12,494
    items pushed forward, 200 suggestions handled, 146 deputies contacted, 29 groups,
    5 duty-training classes). The same --seed gives the same report.
    """
    check_scale(scale)
    demo_store = _given_store(ctx, demo_store)
    config = parse_store(demo_store)
    if config.read_only:
        raise StoreUnavailable(
            f"the store {config.location} is read-only ({config.read_only}): "
            "nothing was deleted or recorded"
        )
    if fresh:
        if not config.is_sqlite:
            raise RuleViolated(
                "--fresh deletes SQLite demo stores only; "
                "give an empty PostgreSQL database or schema instead"
            )
        if config.location != ":memory:":
            _refuse_foreign(Path(config.location))
            for suffix in ("", "-wal", "-shm"):
                Path(config.location + suffix).unlink(missing_ok=True)
            shutil.rmtree(config.views_dir, ignore_errors=True)
    # The demo's synthetic actors are not registered: it writes with the registry off.
    demo_env = Env(store=demo_store, pm=env(ctx).plugins(), require_registered_actors=False)
    try:
        app = demo_env.get_app()
        existing = last_position(app)
        if existing:
            raise RuleViolated(
                f"the demo store {config.location} already holds events (up to position "
                f"{existing}); nothing was written. Use --fresh (SQLite) or another --store"
            )
        with app.batch(command_ids=[DEMO_MARK]):
            pass  # the mark that lets a later `demo --fresh` delete this store
        started = time.monotonic()
        err = Console(stderr=True)
        # The projections the report reads follow in another process, on the other core.
        follow = BackgroundCatchUp(config, [r.projection for r in demo_env.reports().values()])
        with follow:
            targets = _build(app, scale, seed, quiet, err)
            generated = _clock()
        built = time.monotonic() - started
        _time("waiting for the follower", generated)
        if not quiet:
            err.print(
                f"演示库 {config.location}: {last_position(app):,} events in {built:.1f} s "
                f"(scale {targets.scale:g}, seed {targets.seed})"
            )
        reporting = _clock()
        print_report(demo_env)
        _time("catch-up and report", reporting)
    finally:
        demo_env.close()


def _clock() -> tuple[float, float]:
    """Now, as wall-clock and this process's CPU seconds (for :func:`_time`)."""
    return time.monotonic(), time.process_time()


def _time(what: str, since: tuple[float, float]) -> None:
    """With ``RENDA_DEBUG_DEMO_TIMES`` set: how long ``what`` took, to stderr — wall
    clock and this process's CPU time (the follower's is its own: a loaded machine
    stretches the first, not the second)."""
    if os.environ.get(TIMES_ENV):
        wall, cpu = _clock()
        print(
            f"renda demo: {what} {wall - since[0]:.1f} s (CPU {cpu - since[1]:.1f} s)",
            file=sys.stderr,
            flush=True,
        )


def _given_store(ctx: click.Context, demo_store: str) -> str:
    """The demo's store: its own ``--store``, else the root's when given on the command
    line (``renda --store X demo`` used to build renda-demo.sqlite, silently), never the
    root's from ``RENDA_STORE``."""
    if ctx.get_parameter_source("demo_store") is not ParameterSource.DEFAULT:
        return demo_store
    root = ctx.find_root()
    if root.get_parameter_source("store") is ParameterSource.COMMANDLINE:
        given = root.params.get("store")
        if isinstance(given, str):
            return given
    return demo_store


def _refuse_foreign(path: Path) -> None:
    """``--fresh`` deletes only a store that ``renda demo`` created (it carries the
    demo's mark); any other file is refused, and nothing is deleted."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    if size and not demo_marked(path):
        raise RuleViolated(
            f"--fresh refused: {path} was not created by `renda demo` (it has no demo mark); "
            "nothing was deleted. Give another --store, or delete it yourself if you mean to"
        )


def _build(app: Renda, scale: float, seed: int, quiet: bool, err: Console) -> Targets:
    """Generate the province, with a progress bar unless ``quiet``."""
    if os.environ.get(TIMES_ENV):
        last = [_clock()]

        def timed(what: str, done: int, total: int) -> None:
            _time(f"step {done}/{total} {what}", last[0])
            last[0] = _clock()

        targets = generate(app, scale, seed, timed)
        _time("accountability, members, meetings", last[0])
        return targets
    if quiet:
        return generate(app, scale, seed)
    with Progress(
        TextColumn("[bold]{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as bar:
        task = bar.add_task("吉林省（演示）", total=None)

        def progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=what[:28], completed=done, total=total)

        return generate(app, scale, seed, progress)


def print_report(demo_env: Env) -> None:
    """``renda report annual --year 2023`` on the demo store, or, without it, the
    six reports it is made of."""
    from renda_core.cli import cli
    from renda_core.cli.report import report

    # under the root group, as `renda report annual` runs: the built-in adapters add
    # their commands (`annual` among them) to the root's tree when one is asked for
    with (
        click.Context(cli, info_name="renda", obj=demo_env) as root_ctx,
        click.Context(report, info_name="report", parent=root_ctx) as report_ctx,
    ):
        annual = report.get_command(report_ctx, "annual")
        if annual is not None:
            args = ["--year", str(YEAR), "--lang", i18n.language()]  # as the CLI speaks
            with annual.make_context("annual", args, parent=report_ctx) as sub:
                annual.invoke(sub)
            return
    console = Console()
    reports = demo_env.reports()
    for name, options in FALLBACK_REPORTS:
        found = reports.get(name)
        if found is None or found.render is None:
            continue
        data = run_report(demo_env.runner(), found, **options)
        console.print(found.render(data, i18n.language()))
