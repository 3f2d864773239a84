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
from typing import Any

import click
import pytest
from click.testing import CliRunner

import renda_core
from renda_core.application.postgres import INSTALL_HINT
from renda_core.cli import COMMAND_SOURCES, cli, load_everything
from renda_core.cli.context import Env
from renda_core.cli.lazy import LazyGroup, help_index
from renda_core.docgen import render_cli_index
from renda_core.domain.errors import StoreUnavailable
from renda_core.ports import hookimpl
from renda_core.ports.builtin_index import (
    INDEX as PLUGIN_INDEX,
)
from renda_core.ports.builtin_index import (
    BuiltinPlugins,
    command_modules,
    modules_for_report,
    render_builtin_index,
    report_index,
)
from renda_core.ports.plugins import (
    BUILTIN_PLUGINS,
    collect_projections,
    collect_reports,
    get_plugin_manager,
    report_plugin_manager,
)

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
    "importlib.metadata",
)
#: never imported by ``renda report deputies --json`` on SQLite: no validation library
#: (its options need none), no table renderer (``--json``), no built-in adapter but the
#: roster's (the report and its view are there), no aggregate the roster does not read
NOT_FOR_A_REPORT = (
    "pydantic",
    "rich",
    *(name for name in BUILTIN_PLUGINS if name != "renda_adapters.roster"),
    "renda_core.domain.suggestion",
    "renda_core.domain.station",
    "renda_core.domain.opinion",
    "renda_core.application.fields",
    "renda_core.application.commands",
    # no plugin registers a deadline policy: the reader names the national one without
    # importing the rules (the motion rules, the working-day calendar)
    "renda_core.ports.rules",
    "renda_core.domain.deadlines",
    "renda_core.domain.calendar",
    "chinese_calendar",
    # no installed plugin allowed (``RENDA_PLUGINS=``): the distributions are not read
    "importlib.metadata",
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


def run_probe(
    tmp_path: Path, probe: str, *args: str, env: dict[str, str] | None = None
) -> tuple[Any, str]:
    """Run ``renda ARGS`` in a fresh Python under ``probe`` (a script that writes JSON
    to its first argument): what it wrote, and the stdout. Installed plugins are left
    out (``RENDA_PLUGINS=``) unless ``env`` says otherwise."""
    out = tmp_path / "probe.json"
    out.unlink(missing_ok=True)
    result = subprocess.run(
        [sys.executable, "-c", probe, str(out), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "RENDA_PLUGINS": "", **(env or {})},
        timeout=300,
    )
    assert out.exists(), result.stderr
    return json.loads(out.read_text(encoding="utf-8")), result.stdout


def imported_by(tmp_path: Path, *args: str) -> tuple[int, set[str], str]:
    """Run ``renda ARGS`` in a fresh Python: its exit code, the modules it imported,
    and its stdout."""
    data, stdout = run_probe(tmp_path, PROBE, *args)
    return data["code"], set(data["modules"]), stdout


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


#: besides :data:`NOT_FOR_A_REPORT`, never imported by ``renda report deputies --json``
#: once its view is up to date (issue 15, target 4): no aggregate module, as the roster
#: dispatches by topic; nothing of the write side (commands, pydantic, the Jinja
#: templates, psycopg); and, on SQLite, no eventsourcing at all: the view and the log's
#: head are read with sqlite3 alone (``renda_core.projections.reader``), the application,
#: its runner and the views' recorders only when the view is behind
NOT_FOR_A_CURRENT_REPORT = (
    *NOT_FOR_A_REPORT,
    "renda_core.domain.deputy",
    "renda_core.domain.mandate",
    "renda_core.domain.session",
    "renda_core.domain.ids",
    "jinja2",
    "psycopg",
    "openpyxl",
    "eventsourcing",
    "renda_core.application.base",
    "renda_core.application.reader",
    "renda_core.application.recorders",
    "renda_core.application.store_recorder",
    "renda_core.projections.runner",
    "renda_core.projections.views",
    "renda_core.projections.unit",
    # no plugin manager: the roster's hooks are called directly (no installed plugin to
    # load), its ``@hookimpl`` marks without pluggy
    "pluggy",
    "renda_core.ports.plugins",
    "renda_core.ports.hookspecs",
    # the view's documents are not sealed: no cipher module (with base64)
    "renda_core.application.textcipher",
    "base64",
    # the CLI's i18n imports it to match an error's message only
    "string",
)


def test_a_report_on_an_up_to_date_view_imports_no_aggregate(tmp_path: Path) -> None:
    store = a_store_of_one_deputy(tmp_path)
    args = ("--store", store, "report", "deputies", "--json")
    code, modules, out = imported_by(tmp_path, *args)  # catches the view up
    assert code == 0 and json.loads(out)["active_total"] == 1
    assert "renda_core.domain.deputy" in modules  # the catch-up decoded the deputy's events
    assert "eventsourcing.application" in modules  # through the reader application
    code, modules, out = imported_by(tmp_path, *args)
    assert code == 0
    data = json.loads(out)
    assert data["active_total"] == 1 and data["provenance"]["position"] == 1
    assert data["provenance"]["recorded_at"] is not None
    assert loaded(modules, NOT_FOR_A_CURRENT_REPORT) == []
    code, modules, out = imported_by(tmp_path, "--store", store, "report", "deputies")
    assert code == 0 and out.strip()  # the table, from the same reader
    assert "rich" in modules and loaded(modules, ("eventsourcing",)) == []


CATALOGUES_READ = """
import json, runpy, sys
import renda_core.i18n as i18n
read = []
original = i18n._read_mo
def recording(folder, locale, domain):
    read.append(locale)
    return original(folder, locale, domain)
i18n._read_mo = recording
out = sys.argv[1]
sys.argv = ["renda", *sys.argv[2:]]
try:
    runpy.run_module("renda_core.cli", run_name="__main__")
except SystemExit:
    pass
with open(out, "w") as f:
    json.dump(read, f)
"""


def catalogues_read(tmp_path: Path, *args: str) -> list[str]:
    """The locales whose ``.mo`` catalogue ``renda ARGS`` read (in a fresh Python)."""
    read, _ = run_probe(tmp_path, CATALOGUES_READ, *args, env={"RENDA_LANG": "zh"})
    return [str(locale) for locale in read]


def test_a_catalogue_is_read_when_a_text_is_translated_only(tmp_path: Path) -> None:
    """A catalogue is a quarter megabyte to parse: a report's JSON reads none, help in
    Chinese reads the Chinese one only (and in English the English one), and an error
    is still translated."""
    store = a_store_of_one_deputy(tmp_path)
    assert catalogues_read(tmp_path, "--store", store, "report", "deputies", "--json") == []
    assert catalogues_read(tmp_path, "--help") == ["zh_CN"]
    assert catalogues_read(tmp_path, "--lang", "en", "report", "--help") == ["en"]
    assert catalogues_read(tmp_path, "--store", store, "report", "deputies", "--level", "x") == [
        "zh_CN"
    ]


def test_the_index_of_built_in_plugins_is_current() -> None:
    assert PLUGIN_INDEX.read_text(encoding="utf-8") == render_builtin_index(), (
        "src/renda_core/ports/_builtins.json is stale: run `python -m renda_core.docgen "
        "plugin-index > /tmp/x && cp /tmp/x src/renda_core/ports/_builtins.json`"
    )
    everything = get_plugin_manager()
    reports = collect_reports(everything)
    assert set(report_index()) == set(reports)
    for name, report in reports.items():
        assert report_index()[name]["projection"] == report.projection
    assert command_modules("report") == {
        "annual": "renda_adapters.annual",
        "assessment": "renda_adapters.assessment",
        "handling": "renda_adapters.suggestions",
    }


def test_the_hookimpl_marks_are_pluggy_s() -> None:
    """``renda_core.ports.hookimpl`` imports no pluggy, and marks a function exactly as
    ``pluggy.HookimplMarker("renda")`` does: a plugin manager registers it alike."""
    import itertools

    import pluggy

    marker = pluggy.HookimplMarker("renda")
    flags = ("hookwrapper", "optionalhook", "tryfirst", "trylast", "wrapper")
    for values in itertools.product([False, True], repeat=len(flags)):
        options: dict[str, Any] = dict(zip(flags, values, strict=True))
        for specname in (None, "renda_register_reports"):
            ours, theirs = (lambda: None), (lambda: None)
            assert hookimpl(ours, specname=specname, **options) is ours
            marker(theirs, specname=specname, **options)
            assert ours.renda_impl == theirs.renda_impl  # type: ignore[attr-defined]
            later = hookimpl(specname=specname, **options)(lambda: None)
            assert later.renda_impl == theirs.renda_impl
    assert hookimpl(lambda: None).renda_impl == marker(lambda: None).renda_impl
    pm = pluggy.PluginManager("renda")
    pm.add_hookspecs(__import__("renda_core.ports.hookspecs").ports.hookspecs)

    class Plugin:
        @hookimpl(tryfirst=True)
        def renda_register_reports(self, register: Any) -> None:
            register("x")

    pm.register(Plugin())
    (impl,) = pm.hook.renda_register_reports.get_hookimpls()
    assert impl.tryfirst and not impl.wrapper


def shapes(reports: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The reports in their order, each with its functions and options' names (an
    option is a new object at every registration)."""
    return [
        (n, r.title, r.projection, r.build, r.render, [o.name for o in r.options])
        for n, r in reports.items()
    ]


def test_the_built_in_modules_without_a_plugin_manager_are_the_plugin_manager_s() -> None:
    """What a report finds without pluggy (``BuiltinPlugins``) is what the plugin
    manager of its modules collects: its reports, its views, the policy hook."""
    for name in report_index():
        modules = modules_for_report(name)
        assert modules is not None
        builtins, pm = BuiltinPlugins(modules), report_plugin_manager(name)
        assert shapes(builtins.reports()) == shapes(collect_reports(pm)), name
        kinds = {n: type(p) for n, p in builtins.projections().items()}
        assert kinds == {n: type(p) for n, p in collect_projections(pm).items()}, name
        for hook in ("renda_register_deadline_policies", "renda_register_reports"):
            assert builtins.implements(hook) == bool(getattr(pm.hook, hook).get_hookimpls())
        manager = builtins.manager()
        assert manager is builtins.manager()  # built once
        assert {manager.get_name(p) for p in manager.get_plugins()} == set(modules)
    everything = BuiltinPlugins(BUILTIN_PLUGINS)
    assert shapes(everything.reports()) == shapes(collect_reports(get_plugin_manager()))
    assert everything.implements("renda_register_commands")


def test_a_report_s_plugin_manager_holds_its_adapter_and_its_view_only() -> None:
    assert modules_for_report("deputies") == ("renda_adapters.roster",)
    assert modules_for_report("no-such-report") is None
    everything = collect_reports(get_plugin_manager())
    for name, report in everything.items():
        pm = report_plugin_manager(name)
        assert set(collect_reports(pm)) <= set(everything) and name in collect_reports(pm)
        assert report.projection in collect_projections(pm)
        assert len(pm.get_plugins()) < len(BUILTIN_PLUGINS)
    pm = get_plugin_manager(builtins=["renda_adapters.meetings", "no.such.module"])
    assert {pm.get_name(p) for p in pm.get_plugins()} == {"renda_adapters.meetings"}
    assert set(collect_reports(pm)) == {"meetings", "motions", "inspections"}


def test_the_report_group_lists_and_finds_every_report_and_command() -> None:
    listed = CliRunner().invoke(cli, ["report", "--help"])
    assert listed.exit_code == 0, listed.output
    for name in [*collect_reports(get_plugin_manager()), "annual", "assessment", "handling"]:
        assert f"  {name} " in listed.output, name


EXTRA_PLUGIN = """
from renda_core.ports import hookimpl
from renda_core.ports.contracts import Report


def build(ctx):
    return {"active": ctx.total("active_total")}


@hookimpl
def renda_register_reports(register):
    register(Report("headcount", "Headcount (an installed plugin's)", "deputy_roster", build))
"""


def run_renda(tmp_path: Path, *args: str, plugins: str) -> tuple[int, set[str], str]:
    """``renda ARGS`` in a fresh Python with installed plugins as a clerk has them (not
    under test): ``plugins`` allow-listed, and an ``extra`` plugin installed on the path
    (a distribution with a ``renda`` entry point) adding the ``headcount`` report."""
    site = tmp_path / "site"
    dist = site / "renda_extra-1.0.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: renda-extra\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[renda]\nextra = renda_extra_plugin\n")
    (site / "renda_extra_plugin.py").write_text(EXTRA_PLUGIN, encoding="utf-8")
    path = os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])
    data, stdout = run_probe(
        tmp_path, PROBE, *args, env={"RENDA_PLUGINS": plugins, "PYTHONPATH": path}
    )
    return data["code"], set(data["modules"]), stdout


def a_store_of_one_deputy(tmp_path: Path) -> str:
    store = str(tmp_path / "s.sqlite")
    args = ["deputy", "register", "--name", "张三", "--level", "省", "--term", "14"]
    args += ["--electoral-unit", "长春市人民代表大会", "--area", "220102", "--date", "2023-01-16"]
    registered = CliRunner().invoke(cli, ["--store", store, "--actor", "clerk", *args, "--json"])
    assert registered.exit_code == 0, registered.output
    return store


def test_installed_plugins_are_loaded_with_a_report_and_may_add_reports(tmp_path: Path) -> None:
    store = a_store_of_one_deputy(tmp_path)
    # the Jilin plugin's deadline policy is in force for a built-in report, which still
    # imports no other built-in adapter
    code, modules, out = run_renda(
        tmp_path, "--store", store, "report", "deputies", "--json", plugins="jilin,extra"
    )
    assert code == 0, out
    data = json.loads(out)
    assert data["active_total"] == 1 and data["provenance"]["policy"] == "jilin"
    assert "renda_jilin" in modules and "renda_extra_plugin" in modules
    # the distributions are read, and the Jilin plugin's deadline policy chosen by rules
    chosen = {"importlib.metadata", "renda_core.ports.rules", "renda_core.domain.deadlines"}
    chosen |= {"renda_core.domain.calendar", "chinese_calendar"}
    with_plugins = tuple(n for n in NOT_FOR_A_REPORT if n not in chosen)
    assert loaded(modules, with_plugins) == []
    # an installed plugin's report: listed, and run over a built-in view
    code, modules, out = run_renda(tmp_path, "report", "--help", plugins="extra")
    assert code == 0 and "  headcount " in out and "  deputies " in out
    code, modules, out = run_renda(
        tmp_path, "--store", store, "report", "headcount", "--json", plugins="extra"
    )
    assert code == 0, out
    assert json.loads(out)["active"] == 1
    # not allowed, not loaded: no such report
    code, modules, out = run_renda(
        tmp_path, "--store", store, "report", "headcount", "--json", plugins="jilin"
    )
    assert code == 2 and "renda_extra_plugin" not in modules


def test_every_built_in_report_runs_with_only_its_adapters(tmp_path: Path) -> None:
    """The report's provenance reads the log at any position: an event of an aggregate
    no imported adapter reads (here a deputy's, for the groups report) is decoded all
    the same (``renda_core.domain.topics``)."""
    store = a_store_of_one_deputy(tmp_path)
    for name in sorted(report_index()):
        code, modules, out = imported_by(tmp_path, "--store", store, "report", name, "--json")
        assert code == 0, name
        assert json.loads(out)["provenance"]["report"] == name
        if name in command_modules("report"):
            continue  # `renda report handling` is the adapter's own command (csv, html…)
        assert "rich" not in modules and "pydantic" not in modules, name
        others = set(BUILTIN_PLUGINS) - set(modules_for_report(name) or ())
        assert loaded(modules, tuple(others)) == [], name


def test_the_annual_report_s_command_imports_its_adapter_not_the_others(tmp_path: Path) -> None:
    code, modules, out = imported_by(tmp_path, "report", "annual", "--help")
    assert code == 0 and "--year" in out
    assert "renda_adapters.annual" in modules
    # the annual report reads every view (and imports their adapters' helpers) but no
    # other command of the group: not the assessment's, not the handling report's
    assert "renda_adapters.assessment" not in modules
    assert "renda_adapters.suggestions.handling" not in modules


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


def test_a_report_s_narrowed_reader_on_either_store(store: str) -> None:
    """``renda report NAME`` opens its reader with the report's adapters only, on SQLite
    and PostgreSQL alike: the views it holds are the report's, and the figures are those
    the whole application's runner gives."""
    args = ["deputy", "register", "--name", "张三", "--level", "省", "--term", "14"]
    args += ["--electoral-unit", "长春市人民代表大会", "--area", "220102", "--date", "2023-01-16"]
    registered = CliRunner().invoke(cli, ["--store", store, "--actor", "clerk", *args, "--json"])
    assert registered.exit_code == 0, registered.output
    for name, figure in (("deputies", "active_total"), ("groups", None)):
        env = Env()
        try:
            result = CliRunner().invoke(cli, ["--store", store, "report", name, "--json"], obj=env)
            assert result.exit_code == 0, result.output
            data = json.loads(result.stdout)
            assert data["provenance"]["report"] == name and data["provenance"]["position"] == 1
            if figure is not None:
                assert data[figure] == 1
        finally:
            env.close()
    reader_env = Env(store=store)
    try:
        runner = reader_env.read_runner(report_plugin_manager("deputies"))
        assert set(runner.projections) == {"deputy_roster"}
    finally:
        reader_env.close()
