"""The plugin manager: built-in adapters, ``renda`` entry points, programmatic plugins."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable
from typing import Any

import pluggy

from renda_core.domain.errors import InvalidInput
from renda_core.ports import hookspecs
from renda_core.ports.contracts import Projection, Report

PROJECT = "renda"
#: after adding one, or changing what one registers, regenerate the index a report reads
#: (``python -m renda_core.docgen plugin-index > src/renda_core/ports/_builtins.json``)
BUILTIN_PLUGINS: tuple[str, ...] = (
    "renda_adapters.roster",
    "renda_adapters.stations",
    "renda_adapters.groups",
    "renda_adapters.training",
    "renda_adapters.record",
    "renda_adapters.committee",
    "renda_adapters.suggestions",
    "renda_adapters.bulletin",
    "renda_adapters.meetings",
    "renda_adapters.annual",
    "renda_adapters.assessment",
)
ALLOW_ENV = "RENDA_PLUGINS"


def get_plugin_manager(
    plugins: Iterable[object] = (),
    *,
    load_entry_points: bool | None = None,
    builtins: bool | Iterable[str] = True,
) -> pluggy.PluginManager:
    """Build a plugin manager with the built-ins, entry points and ``plugins``.

    Entry points of the ``renda`` group are skipped under test (``sys._called_from_test``)
    unless ``load_entry_points=True``; ``RENDA_PLUGINS=a,b`` limits them to those names
    (empty: none). ``builtins=False`` leaves out the built-in adapters (``renda --help``
    lists installed plugins' commands without importing them); a list of module names
    registers only those built-ins (a report imports only the adapters it reads:
    :func:`report_plugin_manager`).
    """
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    if isinstance(builtins, bool):
        chosen: Iterable[str] = BUILTIN_PLUGINS if builtins else ()
    else:
        wanted = set(builtins)
        chosen = [name for name in BUILTIN_PLUGINS if name in wanted]
    for name in chosen:
        pm.register(importlib.import_module(name), name=name)
    if load_entry_points is None:
        load_entry_points = not hasattr(sys, "_called_from_test")
    if load_entry_points:
        allowed = os.environ.get(ALLOW_ENV)
        if allowed is None:
            pm.load_setuptools_entrypoints(PROJECT)
        else:
            names = {n.strip() for n in allowed.split(",") if n.strip()}
            if names:  # read the installed distributions only when a plugin is allowed
                from importlib.metadata import entry_points

                for ep in entry_points(group=PROJECT):
                    if ep.name in names and pm.get_plugin(ep.name) is None:
                        pm.register(ep.load(), name=ep.name)
    for plugin in plugins:
        pm.register(plugin)
    return pm


def collect_projections(pm: pluggy.PluginManager) -> dict[str, Projection]:
    found: dict[str, Projection] = {}

    def register(projection: Projection) -> None:
        if not isinstance(projection, Projection):
            raise TypeError(f"{projection!r} is not a Projection")
        if projection.name in found:
            raise ValueError(f"two projections are named '{projection.name}'")
        found[projection.name] = projection

    pm.hook.renda_register_projections(register=register)
    return found


def collect_reports(pm: pluggy.PluginManager) -> dict[str, Report]:
    found: dict[str, Report] = {}

    def register(report: Report) -> None:
        if report.name in found:
            raise ValueError(f"two reports are named '{report.name}'")
        found[report.name] = report

    pm.hook.renda_register_reports(register=register)
    return found


def report_plugin_manager(name: str) -> pluggy.PluginManager:
    """A plugin manager for running the report ``name`` alone: the built-ins it needs
    (the index of :mod:`renda_core.ports.builtin_index`: the adapter registering it and
    the one registering its view) and the installed plugins, as
    :func:`get_plugin_manager` loads them. For a report no built-in registers (an
    installed plugin's, or an unknown name), every built-in."""
    from renda_core.ports.builtin_index import modules_for_report

    modules = modules_for_report(name)
    return get_plugin_manager(builtins=True if modules is None else modules)


def plugin_list(pm: pluggy.PluginManager) -> list[dict[str, Any]]:
    """What is loaded, for ``renda plugins``."""
    dists = {id(plugin): dist for plugin, dist in pm.list_plugin_distinfo()}
    rows = []
    for plugin in pm.get_plugins():
        name = pm.get_name(plugin) or repr(plugin)
        dist = dists.get(id(plugin))
        rows.append(
            {
                "name": name,
                "hooks": sorted(h.name for h in pm.get_hookcallers(plugin) or ()),
                "version": getattr(dist, "version", None),
                "builtin": name in BUILTIN_PLUGINS,
            }
        )
    return sorted(rows, key=lambda r: str(r["name"]))


def require(mapping: dict[str, object], name: str, what: str) -> object:
    try:
        return mapping[name]
    except KeyError:
        known = ", ".join(sorted(mapping)) or "none"
        raise InvalidInput(
            f"no {what} named '{name}' (known: {known})",
            [{"field": what, "message": f"unknown {what}"}],
        ) from None
