"""A fast start (issues 13 and 15): ``renda --help`` lists the commands from a generated
index without importing them, a command imports only what it uses, and PostgreSQL is an
extra whose absence is a clear store-unavailable error. Nothing here measures a time
(``python -m benchmarks.startup`` does): the tests check which modules get imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import renda_core
from renda_core.application.postgres import INSTALL_HINT
from renda_core.cli import COMMAND_SOURCES, cli, load_everything
from renda_core.cli.lazy import LazyGroup, help_index
from renda_core.docgen import render_cli_index
from renda_core.domain.errors import StoreUnavailable

INDEX = Path(__file__).parents[2] / "src" / "renda_core" / "cli" / "_index.json"

#: never imported by ``renda --help``: no command module, no store, no rendering
NOT_FOR_HELP = (
    "pydantic",
    "rich",
    "eventsourcing",
    "psycopg",
    "jinja2",
    "openpyxl",
    "httpx",
    "starlette",
    "fastapi",
    "cryptography",
    "renda_adapters",
    "renda_core.application",
    "renda_core.api",
    "renda_core.cli.deputy",
    "renda_core.cli.report",
    "renda_core.ports.plugins",
)
#: never imported by ``renda report deputies --json`` on SQLite (rich is: the reports'
#: adapters render tables with it)
NOT_FOR_A_REPORT = (
    "psycopg",
    "psycopg_pool",
    "eventsourcing.postgres",
    "jinja2",
    "openpyxl",
    "httpx",
    "starlette",
    "fastapi",
    "cryptography",
    "renda_core.notify",
    "renda_core.cli.deputy",
    "renda_core.cli.suggestion",
    # the report opens a read-only application (renda_core.application.reader): no
    # command class, no public API object, no unrelated command's models
    "renda_core.application.app",
    "renda_core.api",
    *(
        f"renda_core.application.{name}"
        for name in [
            "accountability",
            "actors",
            "areas",
            "bulletins",
            "calendar",
            "committee",
            "deputies",
            "groups",
            "inspections",
            "mandates",
            "meetings",
            "motions",
            "opinions",
            "plans",
            "sessions",
            "stations",
            "suggestions",
            "training",
            "importer",
        ]
    ),
)

PROBE = """
import json, runpy, sys
out = sys.argv[1]
sys.argv = ["renda", *sys.argv[2:]]
code = 0
try:
    runpy.run_module("renda_core.cli", run_name="__main__")
except SystemExit as exc:
    code = exc.code
with open(out, "w") as f:
    json.dump({"code": code, "modules": sorted(sys.modules)}, f)
"""


def imported_by(tmp_path: Path, *args: str) -> tuple[int, set[str], str]:
    """Run ``renda ARGS`` in a fresh Python: its exit code, the modules it imported,
    and its stdout. Installed plugins are left out (``RENDA_PLUGINS=``)."""
    out = tmp_path / "modules.json"
    env = {**os.environ, "RENDA_PLUGINS": ""}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(out), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.exists(), result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    return data["code"], set(data["modules"]), result.stdout


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules for n in names if m == n or m.startswith(n + "."))


def test_the_index_is_current() -> None:
    assert INDEX.read_text(encoding="utf-8") == render_cli_index(), (
        "src/renda_core/cli/_index.json is stale: run `python -m renda_core.docgen "
        "cli-index > /tmp/x && cp /tmp/x src/renda_core/cli/_index.json`"
    )
    assert set(help_index()) == set(COMMAND_SOURCES)


def test_help_lists_what_the_loaded_tree_holds() -> None:
    listed = CliRunner().invoke(cli, ["--help"])
    assert listed.exit_code == 0, listed.output
    whole = load_everything()
    ctx = click.Context(whole)
    for name in whole.list_commands(ctx):
        command = whole.get_command(ctx, name)
        assert command is not None
        if not command.hidden:
            assert f"  {name} " in listed.output, name


def test_help_imports_no_command(tmp_path: Path) -> None:
    code, modules, out = imported_by(tmp_path, "--help")
    assert code == 0
    assert "deputy" in out and "report" in out and "suggestion" in out
    assert loaded(modules, NOT_FOR_HELP) == []


def test_a_report_imports_only_what_it_uses(tmp_path: Path) -> None:
    store = str(tmp_path / "s.sqlite")
    args = ["deputy", "register", "--name", "张三", "--level", "省", "--term", "14"]
    args += ["--electoral-unit", "长春市人民代表大会", "--area", "220102", "--date", "2023-01-16"]
    registered = CliRunner().invoke(cli, ["--store", store, "--actor", "clerk", *args, "--json"])
    assert registered.exit_code == 0, registered.output
    code, modules, out = imported_by(tmp_path, "--store", store, "report", "deputies", "--json")
    assert code == 0
    assert json.loads(out)["active_total"] == 1
    assert loaded(modules, NOT_FOR_A_REPORT) == []
    assert "renda_core.cli.report" in modules  # the command that ran was imported


def test_a_command_of_the_index_loads_with_the_convention() -> None:
    assert isinstance(cli, LazyGroup)
    ctx = click.Context(cli)
    deputy = cli.get_command(ctx, "deputy")
    assert isinstance(deputy, click.Group)
    listed = deputy.get_command(ctx, "list")
    assert listed is not None
    assert "--json" in {o for p in listed.params for o in getattr(p, "opts", ())}
    assert "--search" in {o for p in listed.params for o in getattr(p, "opts", ())}


def test_plugins_add_commands_to_a_lazily_loaded_group() -> None:
    ctx = click.Context(cli)
    report = cli.get_command(ctx, "report")
    assert isinstance(report, click.Group)
    assert report.get_command(ctx, "annual") is not None  # added by a built-in plugin hook
    assert report.get_command(ctx, "handling") is not None
    assert cli.commands.get("no-such-command") is None
    assert cli.get_command(ctx, "no-such-command") is None


POSTGRES = "postgresql://renda:renda@127.0.0.1:5432/renda_nowhere"


def test_a_postgresql_store_without_psycopg_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # `import psycopg` fails
    result = CliRunner().invoke(cli, ["--store", POSTGRES, "deputy", "list"])
    assert result.exit_code == 8, result.output
    assert 'pip install "renda[postgres]"' in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one line, no traceback
    as_json = CliRunner().invoke(cli, ["--store", POSTGRES, "deputy", "list", "--json"])
    assert as_json.exit_code == 8
    error = json.loads(as_json.stderr)
    assert error["error"] == "store_unavailable" and INSTALL_HINT in error["message"]
    with pytest.raises(StoreUnavailable, match=r"renda\[postgres\]"):
        renda_core.open(POSTGRES)


def test_the_command_registry_is_whole_when_read_before_the_application() -> None:
    """``renda import`` and ``renda commands`` read the registry before any store is
    opened: reading it imports the application, so no command is missing."""
    probe = (
        "import sys\n"
        "from renda_core.application.commands import COMMANDS\n"
        "assert 'renda_core.application.app' not in sys.modules\n"
        "print(len(COMMANDS), 'deputy.register' in COMMANDS, COMMANDS.get('deputy.liaise') "
        "is not None)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    count, register, liaise = result.stdout.split()
    assert int(count) > 60 and register == "True" and liaise == "True"
    listed = CliRunner().invoke(cli, ["commands", "--json"])
    assert listed.exit_code == 0
    assert {"deputy.register", "suggestion.submit"} <= {
        r["command"] for r in json.loads(listed.stdout)
    }
