"""A click group whose commands are imported when they are asked for.

``renda --help`` lists the commands from a generated index of names and help texts
(``_index.json``, written by ``python -m renda_core.docgen cli-index``; a test checks it
is current) without importing a single command module; ``renda deputy list`` imports
``renda_core.cli.deputy`` and nothing of the other commands. The CLI convention
(:mod:`renda_core.cli.conventions`) is applied to a command when it is resolved.

Plugins' ``renda_register_commands`` hooks run once, when a command of the index that
is a group is loaded (a plugin may add to it: ``renda report annual``), when a name
not in the index is asked for, when the whole tree is loaded, and when the commands are
listed while installed plugins (entry points) could add some.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import click

from renda_core.cli.common import RendaGroup


def load_object(target: str) -> Any:
    """``"package.module:attribute"`` → the attribute; ``"package.module"`` → the module."""
    module_name, _, attribute = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module


@cache
def help_index() -> dict[str, dict[str, Any]]:
    """name → ``{"help", "short_help", "hidden"}`` of the built-in top-level commands."""
    text = (Path(__file__).parent / "_index.json").read_text(encoding="utf-8")
    index: dict[str, dict[str, Any]] = json.loads(text)
    return index


class LazyCommands(dict[str, click.Command]):
    """``group.commands`` that imports a built-in command on first access, so code that
    reads ``cli.commands.get("report")`` (plugins' hooks do) keeps working. Iterating
    it loads every command."""

    def __init__(self, group: LazyGroup) -> None:
        super().__init__()
        self.group = group

    def __missing__(self, name: str) -> click.Command:
        if name not in self.group.sources:
            raise KeyError(name)
        command = self.group._load(name)
        super().__setitem__(name, command)
        if isinstance(command, click.Group):
            # plugins may add to this group; one that resolves the built-in adapters'
            # commands itself when asked for them (``renda report``) gets the installed
            # plugins' now, the built-ins' later
            lazy = getattr(command, "lazy_builtin_commands", False)
            self.group._add_plugin_commands(builtins=not lazy)
        return command

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default

    def __contains__(self, name: object) -> bool:
        return super().__contains__(name) or name in self.group.sources

    def loaded(self) -> list[str]:
        return list(super().keys())

    def load_all(self) -> None:
        for name in self.group.sources:
            self[name]  # loads it

    def __iter__(self) -> Iterator[str]:
        self.load_all()
        return super().__iter__()

    def keys(self) -> Any:
        self.load_all()
        return super().keys()

    def items(self) -> Any:
        self.load_all()
        return super().items()

    def values(self) -> Any:
        self.load_all()
        return super().values()

    def __len__(self) -> int:
        self.load_all()
        return super().__len__()


class LazyGroup(RendaGroup):
    """A :class:`RendaGroup` whose commands are ``name → "module:attribute"``.

    :param sources: the commands by name.
    :param extensions: per command name, more ``"module:attribute"`` commands to add to
        it when it loads, or plain modules imported for what they add to it.
    """

    def __init__(
        self,
        *args: Any,
        sources: Mapping[str, str],
        extensions: Mapping[str, tuple[str, ...]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sources = dict(sources)
        self.extensions = dict(extensions or {})
        self.commands = LazyCommands(self)
        self._plugins_added = False
        self._plugins_run: list[object] = []  # plugins whose commands were added
        self._listing = False

    # -- loading

    def _load(self, name: str) -> click.Command:
        from renda_core.cli.conventions import conform_on_resolve

        command: click.Command = load_object(self.sources[name])
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.sources[name]} is not a click command")
        for target in self.extensions.get(name, ()):
            extra = load_object(target)
            if isinstance(command, click.Group) and isinstance(extra, click.Command):
                command.add_command(extra)
        conform_on_resolve(command)
        return command

    def _add_plugin_commands(self, *, builtins: bool | Sequence[str] = True) -> None:
        """Run the plugins' ``renda_register_commands`` (each plugin once); without
        ``builtins``, only the installed plugins' (the built-in adapters' commands are
        in the index); with a list of built-in modules, those and the installed
        plugins' (``renda report annual`` imports the annual report's adapter alone)."""
        if self._plugins_added:
            return
        if builtins is False and no_entry_points():
            return  # no plugin would be registered: no plugin manager (pluggy) to build
        self._plugins_added = builtins is True
        from renda_core.ports.plugins import get_plugin_manager

        pm = get_plugin_manager(builtins=builtins)
        hook = pm.subset_hook_caller("renda_register_commands", remove_plugins=self._plugins_run)
        self._plugins_run.extend(pm.get_plugins())
        hook(cli=self)

    def load_all(self) -> None:
        """Import every command, built-in and from plugins (docs, convention tests)."""
        self.commands.load_all()  # type: ignore[attr-defined]
        self._add_plugin_commands()

    # -- click's interface

    def list_commands(self, ctx: click.Context) -> list[str]:
        if external_plugins_installed():
            self._add_plugin_commands(builtins=False)
        loaded = self.commands.loaded()  # type: ignore[attr-defined]
        return sorted(set(self.sources) | set(loaded))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        loaded = self.commands.loaded()  # type: ignore[attr-defined]
        if self._listing and cmd_name not in loaded and cmd_name in self.sources:
            return self._stub(cmd_name)
        from renda_core.cli.conventions import conform_on_resolve

        if cmd_name not in self.sources and cmd_name not in loaded:
            self._add_plugin_commands()
        command = self.commands.get(cmd_name)
        if command is not None:
            conform_on_resolve(command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of ``--help`` from the index: no command module is imported."""
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False

    def _stub(self, name: str) -> click.Command:
        """A stand-in carrying the indexed help of a command not imported yet (one not
        in the index, a command added since it was generated, is imported instead)."""
        entry = help_index().get(name)
        if entry is None:
            loaded: click.Command = self.commands[name]
            return loaded
        from renda_core.cli.i18n import localize

        stub = click.Command(
            name, help=entry["help"], short_help=entry["short_help"], hidden=entry["hidden"]
        )
        localize(stub)  # the listing in the active language
        return stub


def no_entry_points() -> bool:
    """No entry point of the ``renda`` group would be loaded, known without reading the
    installed distributions: under test, or ``RENDA_PLUGINS`` set and empty. (When it
    is unset, only reading them tells; the plugin manager reads them then, as before.)"""
    allowed = os.environ.get("RENDA_PLUGINS")  # renda_core.ports.plugins.ALLOW_ENV
    return hasattr(sys, "_called_from_test") or (allowed is not None and not allowed.strip())


def external_plugins_installed() -> bool:
    """Entry points of the ``renda`` group would be loaded (not under test, and allowed
    by ``RENDA_PLUGINS`` when it is set)."""
    if no_entry_points():
        return False
    allowed = os.environ.get("RENDA_PLUGINS")
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group="renda")}
    if allowed is not None:
        names &= {n.strip() for n in allowed.split(",")}
    return bool(names)


def index_entries(group: LazyGroup) -> dict[str, dict[str, Any]]:
    """The index of ``group``'s built-in commands, as ``_index.json`` holds it."""
    entries = {}
    for name in sorted(group.sources):
        command = group.commands[name]
        entries[name] = {
            "help": command.help,
            "short_help": command.short_help,
            "hidden": command.hidden,
        }
    return entries


def render_index(group: LazyGroup) -> str:
    return json.dumps(index_entries(group), ensure_ascii=False, indent=1) + "\n"
