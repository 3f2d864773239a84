"""Contract tests: a minimal plugin can implement every hook, and every hook is
documented in docs/hooks.md and tested here (datasette's pattern)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from renda_core import Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.ports import hookimpl, hookspecs
from renda_core.ports.contracts import Report
from renda_core.ports.plugins import (
    BUILTIN_PLUGINS,
    collect_projections,
    collect_reports,
    get_plugin_manager,
)
from renda_core.projections.reports import ReportContext
from renda_core.projections.unit import ViewUnit
from tests.conftest import STAFF, register_payload

DOCS = Path(__file__).parents[2] / "docs" / "hooks.md"
HOOK_NAMES = sorted(n for n in dir(hookspecs) if n.startswith("renda_"))


class Names:
    """A minimal projection: the names of registered deputies, counted by level."""

    name = "names"
    topics = ("renda:Deputy.Registered",)

    def process_event(self, event: Any, view: ViewUnit) -> None:
        view.put("name", str(event.originator_id), {"name": event.name})
        view.add("registered", level=event.level)


def build_names(ctx: ReportContext) -> dict[str, Any]:
    return {
        "names": sorted(doc["name"] for _, doc in ctx.entities("name")),
        "registered": ctx.total("registered"),
    }


class MinimalPlugin:
    @hookimpl
    def renda_register_projections(self, register: Any) -> None:
        register(Names())

    @hookimpl
    def renda_register_reports(self, register: Any) -> None:
        register(Report("names", "Names of deputies", "names", build_names))

    @hookimpl
    def renda_register_commands(self, cli: click.Group) -> None:
        @cli.command(name="hello")
        def hello() -> None:
            """Say hello in Chinese."""
            click.echo("你好")


@pytest.fixture
def plugin_env(app: Renda) -> Iterator[Env]:
    pm = get_plugin_manager([MinimalPlugin()])
    env = Env(app=app, pm=pm)
    yield env
    env.close()


def test_renda_register_projections(plugin_env: Env) -> None:
    assert "names" in collect_projections(plugin_env.plugins())
    plugin_env.get_app().register_deputy(register_payload(name="王建国"), STAFF)
    (result,) = plugin_env.runner().catch_up(["names"])
    assert result.processed == 1 and result.error is None


def test_renda_register_reports(plugin_env: Env) -> None:
    assert "names" in collect_reports(plugin_env.plugins())
    plugin_env.get_app().register_deputy(register_payload(name="王建国"), STAFF)
    result = CliRunner().invoke(cli, ["report", "names", "--json"], obj=plugin_env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data.pop("provenance")["report"] == "names"  # a plugin's report carries it too
    assert data == {"names": ["王建国"], "registered": 1}


def test_renda_register_commands() -> None:
    group = click.Group("renda")
    get_plugin_manager([MinimalPlugin()]).hook.renda_register_commands(cli=group)
    result = CliRunner().invoke(group, ["hello"])
    assert result.exit_code == 0 and result.output.strip() == "你好"


def test_a_projection_with_a_duplicate_name_is_refused() -> None:
    class Twice:
        @hookimpl
        def renda_register_projections(self, register: Any) -> None:
            register(Names())
            register(Names())

    with pytest.raises(ValueError, match="two projections are named 'names'"):
        collect_projections(get_plugin_manager([Twice()]))


def test_entry_points_are_skipped_under_test_and_can_be_allow_listed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pm = get_plugin_manager()
    assert {pm.get_name(p) for p in pm.get_plugins()} == set(BUILTIN_PLUGINS)
    monkeypatch.setenv("RENDA_PLUGINS", "")
    pm = get_plugin_manager(load_entry_points=True)
    assert {pm.get_name(p) for p in pm.get_plugins()} == set(BUILTIN_PLUGINS)


@pytest.mark.parametrize("hook", HOOK_NAMES)
def test_every_hook_has_a_test(hook: str) -> None:
    source = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    assert f"def test_{hook}(" in source, f"{hook} has no test_{hook} in tests/hooks"


@pytest.mark.parametrize("hook", HOOK_NAMES)
def test_every_hook_is_documented(hook: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert re.search(rf"^## `?{hook}\(", text, re.M), f"{hook} has no section in docs/hooks.md"


@pytest.mark.parametrize("hook", HOOK_NAMES)
def test_every_hook_has_a_docstring_with_params(hook: str) -> None:
    import inspect

    spec = getattr(hookspecs, hook)
    doc = spec.__doc__ or ""
    for param in inspect.signature(spec).parameters:
        assert f":param {param}:" in doc
    assert ":returns:" in doc


def test_renda_report_template() -> None:
    from renda_adapters.annual import template_source

    class Province:
        @hookimpl
        def renda_report_template(self, name: str, lang: str) -> str | None:
            return "本省：{{ meta.year }}" if (name, lang) == ("annual.text", "zh") else None

    builtin = template_source(get_plugin_manager())
    overridden = template_source(get_plugin_manager([Province()]))
    assert "代表家站" in (builtin("annual.text", "zh") or "")
    assert overridden("annual.text", "zh") == "本省：{{ meta.year }}"
    assert overridden("annual.text", "en") == builtin("annual.text", "en")  # left to others
    assert overridden("no.such", "zh") is None
