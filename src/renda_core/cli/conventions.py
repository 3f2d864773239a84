"""One CLI convention for every command, applied to each command when it is resolved.

The lazy root group (:mod:`renda_core.cli.lazy`) calls :func:`conform_on_resolve` on
each command it loads, and every group then conforms the commands it hands out (the
built-ins, other modules' and plugins'), so a new command follows the convention
without doing anything:

- ``--json`` on every command. A command that has no ``--json`` of its own gets one:
  its usual output is then replaced by ``{"recorded": [...], "ids": [...], "output":
  [...]}`` — the events it recorded (aggregate id, version, event name, log position)
  and the lines it would have printed. Errors under ``--json`` are a JSON object on
  stderr with the usual exit code (:class:`~renda_core.cli.common.RendaClickError`).
- ids by unique prefix: every argument or option named ``*_id`` (or ``--target``)
  accepts a full UUID or its first 8 or more characters; an ambiguous prefix is exit 3
  listing the candidates.
- every ``list`` command takes ``--search``, ``--limit``, ``--offset``, ``--jsonl`` and
  ``--format csv|xlsx`` (:mod:`renda_core.cli.shaping`).
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from typing import Any

import click

from renda_core.cli.common import JSON_HELP, _remember_json, env
from renda_core.cli.context import Env
from renda_core.cli.i18n import localize, localize_tree
from renda_core.cli.shaping import export_params, list_params

MAX_LISTED = 1000  # events listed under --json (a demo records hundreds of thousands)


def walk(group: click.Group, ctx: click.Context | None = None) -> Iterator[click.Command]:
    """Every leaf command under ``group`` (groups' own commands included)."""
    context = ctx or click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            yield from walk(command, context)
        elif command is not None:
            yield command


def has_option(command: click.Command, flag: str) -> bool:
    return any(flag in getattr(p, "opts", ()) for p in command.params)


def apply_conventions(group: click.Group) -> None:
    """Give every command under ``group`` the convention (idempotent)."""
    for command in walk(group):
        conform(command)
    if isinstance(group, click.Group):
        _conform_dynamic(group)
    localize_tree(group)


def conform_on_resolve(command: click.Command) -> None:
    """A leaf command conformed now; a group made to conform what it hands out; its help
    shown in the active language (``docs/i18n.md``)."""

    if isinstance(command, click.Group):
        _conform_dynamic(command)
    else:
        conform(command)
    localize(command)


def conform(command: click.Command) -> None:
    if getattr(command, "_renda_conformed", False):
        return
    command._renda_conformed = True  # type: ignore[attr-defined]
    for param in command.params:
        if "--json" in getattr(param, "opts", ()) and param.callback is not _remember_json:
            param.callback = _also_remember_json(param.callback)
    if not has_option(command, "--json"):
        command.params.append(
            click.Option(
                ["--json", "as_json_recorded"],
                is_flag=True,
                is_eager=True,
                expose_value=False,
                callback=_remember_json,
                help=JSON_HELP,
            )
        )
        if command.callback is not None:
            command.callback = _json_recorded(command.callback)
    if command.name == "list":
        for param in list_params():
            if not has_option(command, param.opts[0]):
                command.params.append(param)
    for param in command.params:
        if is_id_param(param):
            param.callback = _resolving(param.callback)
    if command.callback is not None:
        command.callback = _read_guarded(command.callback)


def _read_guarded(callback: Callable[..., Any]) -> Callable[..., Any]:
    """A read listed in the permission policy (``READS``, ``docs/permissions.md``) is
    checked before it runs, whatever the command does itself: one rule for every read."""

    @functools.wraps(callback)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        from renda_core.application.permissions import READS, check_permission

        ctx = click.get_current_context()
        name = ".".join(ctx.command_path.split()[1:])
        if name in READS:
            check_permission(name, env(ctx).actor())
        return callback(*args, **kwargs)

    return guarded


def _conform_dynamic(group: click.Group) -> None:
    """Groups that build commands on demand (``renda report``) conform what they build."""
    for name in list(group.commands):
        sub = group.commands[name]
        if isinstance(sub, click.Group):
            _conform_dynamic(sub)
    get_command = group.get_command
    if getattr(get_command, "_renda_conformed", False):
        return

    def conforming(ctx: click.Context, name: str) -> click.Command | None:
        command = get_command(ctx, name)
        if command is not None:
            conform_on_resolve(command)  # a group added later (by a plugin) too
        return command

    conforming._renda_conformed = True  # type: ignore[attr-defined]
    group.get_command = conforming  # type: ignore[method-assign,assignment]


# ------------------------------------------------------------------ --json


def _also_remember_json(callback: Callable[..., Any] | None) -> Callable[..., Any]:
    """A command's own ``--json`` also makes its errors JSON."""

    def remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        _remember_json(ctx, param, bool(value))
        return callback(ctx, param, value) if callback is not None else value

    return remember


def _json_recorded(callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        e = env(ctx)
        if not e.as_json:
            return callback(*args, **kwargs)
        recorded: list[dict[str, Any]] = []
        counted = [0]
        out = io.StringIO()
        with capture_recordings(e, recorded, counted), redirect_stdout(out):
            result = callback(*args, **kwargs)
        ids = list(dict.fromkeys(r["id"] for r in recorded))
        payload: dict[str, Any] = {
            "recorded": recorded[:MAX_LISTED],
            "recorded_count": counted[0],
            "ids": ids[:MAX_LISTED],
            "output": out.getvalue().splitlines()[:MAX_LISTED],
        }
        if counted[0] > MAX_LISTED or len(ids) > MAX_LISTED:
            payload["truncated"] = True  # the first MAX_LISTED; the log has them all
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return result

    return run


@contextmanager
def capture_recordings(e: Env, into: list[dict[str, Any]], counted: list[int]) -> Iterator[None]:
    """Collect what the command's application writes while the block runs: the first
    events in ``into`` (at most ``MAX_LISTED + 1``), how many in ``counted[0]``."""
    opened = e.api
    patched: list[Any] = []

    def api() -> Any:
        handle = opened()
        app = handle._application
        if app not in patched:
            original = app._record

            def record(processing_event: Any) -> Any:
                recordings = original(processing_event)
                counted[0] += len(recordings)
                for r in recordings[: max(0, MAX_LISTED + 1 - len(into))]:
                    into.append(
                        {
                            "id": str(r.domain_event.originator_id),
                            "version": r.domain_event.originator_version,
                            "event": type(r.domain_event).__qualname__,
                            "position": r.notification.id,
                        }
                    )
                return recordings

            app._record = record  # type: ignore[method-assign]
            patched.append(app)
        return handle

    e.api = api  # type: ignore[method-assign]
    try:
        yield
    finally:
        del e.api
        for app in patched:
            del app._record


# ------------------------------------------------------------------ ids by prefix

MIN_PREFIX = 8
#: parameters that take record ids without ending in ``_id``
ID_PARAMS = {"deputy", "deputies", "lead_deputy", "ref", "into", "others"}


def is_id_param(param: click.Parameter) -> bool:
    name = param.name or ""
    if name in ID_PARAMS:
        return True
    return name.endswith("_id") and name not in {"command_id", "actor_id"}


def _resolving(callback: Callable[..., Any] | None) -> Callable[..., Any]:
    def resolve(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if callback is not None:
            value = callback(ctx, param, value)
        if isinstance(value, tuple):
            return tuple(resolve_prefix(ctx, v, param.name or "id") for v in value)
        return resolve_prefix(ctx, value, param.name or "id")

    return resolve


def resolve_prefix(ctx: click.Context, value: Any, field: str) -> Any:
    """A full id for a unique prefix of ≥ 8 hex characters; other values unchanged."""
    if not isinstance(value, str):
        return value
    text = value.strip().lower()
    if not MIN_PREFIX <= len(text) < 36 or any(ch not in "0123456789abcdef-" for ch in text):
        return value
    from renda_core.cli.ids import ids_with_prefix
    from renda_core.domain.errors import InvalidInput, NotFound

    found = ids_with_prefix(env(ctx).get_app(), text)
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFound(f"{field}: no record whose id starts with {text}")
    shown = ", ".join(found[:10])
    raise InvalidInput(
        f"{field}: the prefix {text} names {len(found)} records: {shown}; give more characters",
        [{"field": field, "message": f"ambiguous: {c}"} for c in found[:10]],
    )


__all__ = ["apply_conventions", "conform", "conform_on_resolve", "export_params", "walk"]
