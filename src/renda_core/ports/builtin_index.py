"""What each built-in adapter contributes, read without importing it.

``renda report deputies`` needs the ``deputies`` report and its view, not the other ten
built-in adapters (each imports the domain modules whose events it reads). The index
(``_builtins.json``, written by ``python -m renda_core.docgen plugin-index``; a test
checks it is current) says, per built-in plugin module, which hooks it implements, which
reports (with the view each reads) and views it registers, and which commands it adds to
which group of the CLI. :func:`modules_for_report` names the few modules a report needs;
the plugin manager then registers only those (and the installed plugins, which may add
reports of their own: they are always loaded).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pluggy

    from renda_core.ports.contracts import Projection, Report

INDEX = Path(__file__).parent / "_builtins.json"

#: hooks called on the way to any report (the deadline policy and calendar years of the
#: store's reader): a built-in implementing one is always registered
REPORT_PATH_HOOKS = ("renda_register_deadline_policies", "renda_register_calendar_years")


@cache
def builtin_index() -> dict[str, dict[str, Any]]:
    """module name → ``{"hooks", "projections", "reports", "commands"}``."""
    index: dict[str, dict[str, Any]] = json.loads(INDEX.read_text(encoding="utf-8"))
    return index


def report_index() -> dict[str, dict[str, str]]:
    """report name → ``{"module", "projection", "title"}`` of the built-in reports."""
    return {
        name: {"module": module, **entry}
        for module, contributes in builtin_index().items()
        for name, entry in contributes["reports"].items()
    }


def modules_for_report(name: str) -> tuple[str, ...] | None:
    """The built-in modules ``name`` needs: the one registering it, the one(s)
    registering its view, and those implementing a hook of :data:`REPORT_PATH_HOOKS`.
    ``None`` when no built-in registers ``name`` (an installed plugin may)."""
    report = report_index().get(name)
    if report is None:
        return None
    index = builtin_index()
    needed = {report["module"]}
    needed |= {m for m, c in index.items() if report["projection"] in c["projections"]}
    needed |= {m for m, c in index.items() if set(c["hooks"]) & set(REPORT_PATH_HOOKS)}
    return tuple(m for m in index if m in needed)  # in the built-ins' order


def command_modules(group: str) -> dict[str, str]:
    """Subcommand name → the built-in module whose ``renda_register_commands`` adds it
    to the top-level group ``group`` (``report`` → ``annual`` → ``renda_adapters.annual``)."""
    return {
        command: module
        for module, contributes in builtin_index().items()
        for command in contributes["commands"].get(group, ())
    }


class BuiltinPlugins:
    """The built-in modules ``modules`` (those a report needs: :func:`modules_for_report`)
    with their hooks called directly, without a plugin manager (pluggy is not imported).

    For a process where no plugin manager is injected and no installed plugin may be
    loaded (:func:`renda_core.cli.lazy.no_entry_points`): a plugin manager would then
    hold these modules alone, and call their implementations as here (the
    last registered first: the built-ins mark their hooks without ``specname``,
    ``tryfirst`` or wrappers; a test compares what both collect for every report).
    :meth:`manager` builds that plugin manager when the whole path needs one
    (:func:`renda_core.ports.plugins.get_plugin_manager`).
    """

    def __init__(self, modules: tuple[str, ...]) -> None:
        self.modules = modules
        self._manager: Any = None

    def _implementations(self, hook: str) -> list[Any]:
        found = []
        for name in reversed(self.modules):  # pluggy calls the last registered first
            function = getattr(importlib.import_module(name), hook, None)
            if function is not None and hasattr(function, "renda_impl"):
                found.append(function)
        return found

    def implements(self, hook: str) -> bool:
        """Whether one of the modules implements ``hook``."""
        return bool(self._implementations(hook))

    def _call(self, hook: str, register: Callable[[Any], None]) -> None:
        for function in self._implementations(hook):
            function(register=register)

    def reports(self) -> dict[str, Report]:
        """``collect_reports`` of the plugin manager holding the modules."""
        found: dict[str, Report] = {}

        def register(report: Report) -> None:  # as renda_core.ports.plugins.collect_reports
            if report.name in found:
                raise ValueError(f"two reports are named '{report.name}'")
            found[report.name] = report

        self._call("renda_register_reports", register)
        return found

    def projections(self) -> dict[str, Projection]:
        """``collect_projections`` of the plugin manager holding the modules."""
        from renda_core.ports.contracts import Projection

        found: dict[str, Projection] = {}

        def register(projection: Projection) -> None:  # as plugins.collect_projections
            if not isinstance(projection, Projection):
                raise TypeError(f"{projection!r} is not a Projection")
            if projection.name in found:
                raise ValueError(f"two projections are named '{projection.name}'")
            found[projection.name] = projection

        self._call("renda_register_projections", register)
        return found

    def manager(self) -> pluggy.PluginManager:
        """The plugin manager holding the modules (built once)."""
        if self._manager is None:
            from renda_core.ports.plugins import get_plugin_manager

            self._manager = get_plugin_manager(builtins=self.modules)
        manager: pluggy.PluginManager = self._manager
        return manager


# -- writing the index ---------------------------------------------------------------


def index_entries(modules: tuple[str, ...], groups: tuple[str, ...]) -> dict[str, Any]:
    """What each module of ``modules`` contributes, found by calling its hooks: reports and
    views with collecting callbacks, commands on a stand-in CLI whose top-level groups are
    ``groups``."""
    import click

    from renda_core.ports.contracts import Report

    entries: dict[str, Any] = {}
    for name in modules:
        module = importlib.import_module(name)
        hooks = sorted(
            attr
            for attr in vars(module)
            if attr.startswith("renda_") and hasattr(getattr(module, attr), "renda_impl")
        )
        found: list[Any] = []
        for hook in ("renda_register_reports", "renda_register_projections"):
            if hook in hooks:
                getattr(module, hook)(register=found.append)
        reports = {
            r.name: {"projection": r.projection, "title": r.title}
            for r in found
            if isinstance(r, Report)
        }
        projections = [p.name for p in found if not isinstance(p, Report)]
        commands: dict[str, list[str]] = {}
        if "renda_register_commands" in hooks:
            root = click.Group("renda")
            for group in groups:
                root.add_command(click.Group(group))
            module.renda_register_commands(cli=root)
            for group_name, command in root.commands.items():
                if group_name not in groups:
                    commands.setdefault("", []).append(group_name)
                elif isinstance(command, click.Group) and command.commands:
                    commands[group_name] = sorted(command.commands)
        entries[name] = {
            "hooks": hooks,
            "projections": sorted(projections),
            "reports": dict(sorted(reports.items())),
            "commands": commands,
        }
    return entries


def render_builtin_index() -> str:
    """``_builtins.json`` for the built-in plugins of :mod:`renda_core.ports.plugins`."""
    from renda_core.cli import COMMAND_SOURCES
    from renda_core.ports.plugins import BUILTIN_PLUGINS

    entries = index_entries(BUILTIN_PLUGINS, tuple(sorted(COMMAND_SOURCES)))
    return json.dumps(entries, ensure_ascii=False, indent=1) + "\n"
