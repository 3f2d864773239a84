"""The labels of each command's tables, each under its own context (``docs/i18n.md``).

One English word heads columns of different tables and means different things in
Chinese: a plan task's ``owner`` is its 负责单位, an overdue item's ``owner`` the unit that
owes the work (欠办方); a plan task ``completed`` is 已完成, a course's ``completed`` the
deputies who finished it (结业人数). So the column headers and the field names of a
command's tables are catalogued under ``msgctxt`` the command's path
(``"renda plan show"``), and shown through that context
(:func:`renda_core.cli.i18n.header_text`); the context-free entry is only a fallback for
tables this module cannot see.

Used by the catalogue tool, never at run time: it walks the command tree (plugins and
reports included), reads the source of each command's callback and of the functions it
calls (module functions it names, closures, a report's ``render``), and collects what
:func:`labels_in` finds there.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import click

#: the packages whose functions are followed from a callback
OWN = ("renda_core", "renda_adapters", "renda_jilin")
#: how deep calls are followed from a callback
DEPTH = 3
ROOT = "renda"

TABLE_CALLS = frozenset({"add_column", "add_row"})


def command_paths(
    group: click.Group, path: str = ROOT, ctx: click.Context | None = None
) -> Iterator[tuple[str, click.Command]]:
    """(path, command) of every leaf command under ``group``."""
    context = ctx or click.Context(group, info_name=ROOT)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            yield from command_paths(command, f"{path} {name}", context)
        elif command is not None:
            yield f"{path} {name}", command


def _own(fn: object) -> bool:
    module = getattr(fn, "__module__", None) or ""
    return inspect.isfunction(fn) and module.split(".")[0] in OWN


def _tree(fn: Callable[..., Any]) -> ast.AST | None:
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return None


def _reached(fn: Callable[..., Any]) -> list[Callable[..., Any]]:
    """The own functions ``fn`` names: globals, closure variables, their ``render``."""
    try:
        found = inspect.getclosurevars(fn)
    except (TypeError, ValueError):
        return []
    values = [*found.globals.values(), *found.nonlocals.values()]
    values += [getattr(v, "render", None) for v in found.nonlocals.values()]
    return [v for v in values if _own(v)]


def functions_of(command: click.Command) -> list[Callable[..., Any]]:
    """The callback of ``command`` and the own functions it reaches (:data:`DEPTH`)."""
    callback = command.callback
    if callback is None:
        return []
    start = inspect.unwrap(callback)
    seen: dict[int, Callable[..., Any]] = {}
    frontier = [start] if _own(start) else []
    for _ in range(DEPTH + 1):
        following: list[Callable[..., Any]] = []
        for fn in frontier:
            if id(fn) not in seen:
                seen[id(fn)] = fn
                following += _reached(fn)
        frontier = following
    return list(seen.values())


def _strings(node: ast.expr | None) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return [node.value]
    return []


def _literal_items(node: ast.expr, bound: dict[str, Any]) -> list[str]:
    """The strings of a tuple/list literal (or a name bound to one — in the function,
    or a module's tuple of strings —, or ``(*keys, "x")``)."""
    if isinstance(node, ast.Name) and node.id in bound:
        value = bound[node.id]
        if isinstance(value, tuple | list):
            return [v for v in value if isinstance(v, str) and v]
        return _literal_items(value, {})
    if not isinstance(node, ast.Tuple | ast.List):
        return []
    out: list[str] = []
    for elt in node.elts:
        if isinstance(elt, ast.Starred):
            out += _literal_items(elt.value, bound)
        else:
            out += _strings(elt)
    return out


def labels_in(tree: ast.AST, names: dict[str, Any] | None = None) -> Iterator[str]:
    """Column headers and field names in ``tree``: ``add_column("…")`` (and its
    ``header=``), the first argument of ``add_row("…", …)``, the names iterated by a
    loop whose body adds columns or rows, the columns of ``emit_rows`` and the field
    names of ``emit_record``'s rows (``("key", value)`` pairs and iterated keys).
    ``names``: the function's globals (a module's tuple of keys, ``*DUE_KEYS``)."""
    bound: dict[str, Any] = {
        name: value
        for name, value in (names or {}).items()
        if isinstance(value, tuple) and value and all(isinstance(v, str) for v in value)
    }
    bound |= {
        target.id: node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.For):
            calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
            if any(getattr(c.func, "attr", None) in TABLE_CALLS for c in calls):
                yield from _literal_items(node.iter, bound)
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        if name in TABLE_CALLS and node.args:
            yield from _strings(node.args[0])
        if name == "add_column":
            for keyword in node.keywords:
                if keyword.arg == "header":
                    yield from _strings(keyword.value)
        if name == "emit_rows" and len(node.args) >= 4:
            yield from _literal_items(node.args[3], bound)
        if name == "emit_record" and len(node.args) >= 4:
            yield from _record_fields(node.args[3], bound)


def _record_fields(rows: ast.expr, bound: dict[str, Any]) -> Iterator[str]:
    for node in ast.walk(rows):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2:
            yield from _strings(node.elts[0])
        if isinstance(node, ast.comprehension):
            yield from _literal_items(node.iter, bound)


def table_labels(root: click.Group) -> Iterator[tuple[tuple[str, str], str]]:
    """((command path, label), where) of every table label of every command, and of
    the keys its exports carry that no table shows
    (:data:`renda_core.cli.export_headers.EXPORT_KEYS`)."""
    from renda_core.cli.export_headers import EXPORT_KEYS, FIGURE_PARTS

    paths = {path for path, _ in command_paths(root)}
    for source, keyed in (("EXPORT_KEYS", EXPORT_KEYS), ("FIGURE_PARTS", FIGURE_PARTS)):
        for path, keys in keyed.items():
            if path in paths:
                for key in keys:
                    yield (path, key), f"renda_core.cli.export_headers.{source}"
    for path, command in command_paths(root):
        for fn in functions_of(command):
            tree = _tree(fn)
            if tree is None:
                continue
            where = f"{fn.__module__}.{fn.__qualname__}"
            for label in labels_in(tree, getattr(fn, "__globals__", None)):
                yield (path, label), where


def labels_by_command(root: click.Group) -> dict[str, set[str]]:
    """Each command path with the table labels found for it."""
    found: dict[str, set[str]] = {}
    for (path, label), _where in table_labels(root):
        found.setdefault(path, set()).add(label)
    return found
