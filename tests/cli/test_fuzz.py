"""Arbitrary strings for every option and argument of every command (found from the
``cli`` group itself): the exit code is always a documented one, nothing escapes as
an exception, and an error records nothing. A few examples per command and store;
``RENDA_FUZZ_EXAMPLES=200 pytest tests/cli/test_fuzz.py`` for a deeper run (its failing
examples are kept in ``.hypothesis/`` and replayed first by the next run).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda_core import Renda
from renda_core.application.inputs import dates_as_of
from renda_core.cli import cli
from tests.cli.bad_inputs import LONG, TODAY, as_role, fill, invoke, seed
from tests.conftest import postgres_url

FUZZED_CODES = {0, 2, 3, 4, 5, 6, 7}  # (`store check` on PostgreSQL: 8, SQLite only)
SKIPPED_COMMANDS = {
    "demo",  # builds a whole demo store: minutes, and its inputs are numbers and a path
    "keygen",  # writes key files where it is told (tests/audit test its bad inputs)
    "serve",  # serves HTTP until stopped (tests/http start it on a free port)
}
SKIPPED_OPTIONS: set[tuple[str, str]] = {
    ("events export", "follow"),  # runs until a signal, by design (tests/export test it)
    ("deliver run", "follow"),  # the same (tests/notify test it); a deeper run drew it
}


def leaf_commands() -> Iterator[tuple[str, click.Command]]:
    def walk(group: click.Group, path: list[str]) -> Iterator[tuple[str, click.Command]]:
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if command is None or command.hidden or name in SKIPPED_COMMANDS:
                continue
            if isinstance(command, click.Group):
                yield from walk(command, [*path, name])
            else:
                yield " ".join([*path, name]), command

    yield from walk(cli, [])


COMMANDS = dict(leaf_commands())

SPECIAL = [
    "",
    " ",
    "\u3000",
    "9999-12-31",
    "0001-01-01",
    "1900-01-01",
    "2024-02-30",
    "2024-06-01",
    "31.12.2024",
    "-1",
    "0",
    "99999999999999999999",
    "nan",
    "\x1b[31m",
    "[bold]x[/bold]",
    "2024/1",
    "5b8f0a9e-0000-4000-8000-000000000000",
    LONG,
]
PLACEHOLDERS = ["{deputy}", "{lead}", "{opinion}", "{assigned}", "{accepted}", "{course}"]
values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(SPECIAL + PLACEHOLDERS),
    st.builds(lambda c, n: c * n, st.characters(), st.integers(200, 3000)),
)


@st.composite
def argv_for(draw: st.DrawFn, path: str) -> list[str]:
    command = COMMANDS[path]
    args: list[str] = path.split()
    for param in command.params:
        if param.name == "help" or (path, param.name) in SKIPPED_OPTIONS:
            continue
        if isinstance(param, click.Argument):
            count = 1 if param.nargs == 1 else draw(st.integers(0, 2))
            args += [draw(values) for _ in range(count)]
            continue
        assert isinstance(param, click.Option)
        if not param.required and not draw(st.booleans()):
            continue
        flag = param.opts[0]
        if param.is_flag:
            args.append(flag)
            continue
        for _ in range(draw(st.integers(1, 2)) if param.multiple else 1):
            args += [flag, draw(values)]
    return args


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def fuzz_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Renda, Any, str]]:
    """One seeded store per backend for the whole module (a PostgreSQL schema of its own)."""
    schema = None
    if request.param == "sqlite":
        store = str(Path(tmp_path_factory.mktemp("fuzz")) / "renda.sqlite")
    else:
        pg_admin = request.getfixturevalue("pg_admin")
        schema = "fuzz_" + uuid.uuid4().hex[:12]
        pg_admin.execute(f"CREATE SCHEMA {schema}")
        store = f"{postgres_url()}?schema={schema}"
    with dates_as_of(TODAY), Renda(store) as app:
        records = seed(app)
    with Renda(store) as app:
        yield app, records, store
    if schema is not None:
        pg_admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(autouse=True)
def _in_a_scratch_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands that write where they are told (``--output``) write here, not in the repo."""
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("path", sorted(COMMANDS))
@settings(
    max_examples=int(os.environ.get("RENDA_FUZZ_EXAMPLES", "5")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_string_anywhere(
    fuzz_world: tuple[Renda, Any, str], path: str, data: st.DataObject
) -> None:
    app, records, store = fuzz_world
    raw = data.draw(argv_for(path), label="argv")
    argv = [fill(a, records) for a in raw]
    role = data.draw(st.sampled_from(["staff", "editor", "auditor", "leader:省长"]), label="role")
    with dates_as_of(TODAY):
        out = invoke(app, store, as_role(role, *argv))
    assert out.traceback is None, out.traceback
    allowed = FUZZED_CODES | ({8} if path == "store check" and "://" in store else set())
    assert out.code in allowed, (out.code, out.result.output[:500])
    assert "Traceback" not in out.result.output
    if out.code != 0:
        assert out.after == out.before, "an error recorded events"


def test_every_command_is_fuzzed() -> None:
    """The enumeration finds the commands (a broken walk would fuzz nothing)."""
    assert {"deputy register", "suggestion reply", "bulletin include", "import"} <= set(COMMANDS)
    assert len(COMMANDS) > 80
