"""Message ids read from the source: error templates, printed lines and the terms of
the enumerations (``docs/i18n.md``). Used by the catalogue tool, never at run time.

A message written as an f-string becomes a template: each ``{expression}`` becomes a
named placeholder (``{deputy_id}`` for ``{deputy_id}``, ``{state}`` for
``{self.state}``, ``{count}`` for ``{len(xs)}``), and literal braces are doubled. The CLI
matches a message against the templates of the catalogue and shows the translation
with the same values (:func:`renda_core.cli.i18n.translate_message`), so the code keeps
raising and printing plain English f-strings.

- ``error``: the first argument of ``RuleViolated(...)``, ``NotFound(...)``, …,
  ``ValueError(...)`` (pydantic shows it as ``Value error, …``) and a click type's
  ``self.fail(...)`` (its usage error), the message an error kind of its own passes to
  ``super().__init__(...)`` (``class CalendarYearUnknown(RuleViolated)``), and the
  ``"message"`` of ``{"field": ..., "message": ...}`` entries, and the remarks a result
  carries (``result.notes.append(...)``: a verification's, an export check's);
- ``output``: the first argument of ``echo(...)`` and ``say(...)`` in the CLI modules;
- ``term``: every member of a :class:`~renda_core.domain.values.Labelled` enumeration,
  its English value and its Chinese label (table cells and values in messages);
- ``term:<vocabulary>``: the same under the context of its own enumeration
  (``term:session.SessionStatus``, ``term:station.STATUS_LABELS``), where a value two
  enumerations label differently (``closed``: 已闭会, 已办结) gets its own label.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
import re
import string
from collections.abc import Iterator, Mapping
from pathlib import Path

from renda_core.domain.errors import ERROR_KINDS
from renda_core.i18n import term_context

ERROR = "error"
OUTPUT = "output"
TERM = "term"
#: what a refusal says could not be done (``cannot {what}: …``), :data:`PHRASE_ANNOTATION`
PHRASE = "phrase"

#: packages whose source is read (those installed)
PACKAGES = ("renda_core", "renda_adapters", "renda_jilin")
#: ``fail``: a click parameter type's ``self.fail(…)`` (shown in click's usage error)
#: ``store_errors``: what could not be done when the store failed (``store_errors("cannot
#: read the store")``, in every module), shown before the fault's cause
ERROR_CALLS = frozenset(
    {"RendaError", "ValueError", "fail", "store_errors", *(k.__name__ for k in ERROR_KINDS)}
)
OUTPUT_CALLS = frozenset({"echo", "say"})
#: calls that show their first argument: the placeholder is named after that argument
_TRANSPARENT = frozenset(
    {"shown", "one_line", "repr", "str", "escape_controls", "sorted", "list", "int", "float"}
)


def package_files() -> Iterator[Path]:
    """The ``.py`` files of the installed :data:`PACKAGES`."""
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for folder in spec.submodule_search_locations:
            yield from sorted(Path(folder).rglob("*.py"))


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
        return _name(node.value)
    if isinstance(node, ast.Call):
        called = _name(node.func)
        if called == "len":
            return "count"
        if node.args and called in _TRANSPARENT:
            return _name(node.args[0])
        return called
    return "value"


def _identifier(text: str) -> str:
    cleaned = "".join(c if c.isalnum() or c == "_" else "_" for c in text).strip("_")
    return cleaned if cleaned.isidentifier() else "value"


def template_of(node: ast.expr) -> str | None:
    """The message id of a string literal or f-string (``None`` for anything else)."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"strip", "rstrip", "lstrip"}  # f"…".strip()
    ):
        return template_of(node.func.value)
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) and node.value.strip() else None
    if not isinstance(node, ast.JoinedStr):
        return None
    parts: list[str] = []
    used: dict[str, int] = {}
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value).replace("{", "{{").replace("}", "}}"))
        elif isinstance(value, ast.FormattedValue):
            name = _identifier(_name(value.value))
            used[name] = used.get(name, 0) + 1
            parts.append("{" + (name if used[name] == 1 else f"{name}_{used[name]}") + "}")
    text = "".join(parts)
    return text if text.strip() else None


_CJK = re.compile(r"[\u3400-\u9fff]")
_LETTER = re.compile(r"[A-Za-z\u3400-\u9fff]")


def has_words(template: str) -> bool:
    """Whether ``template`` says something besides its placeholders (``{a}: {b}`` does
    not: it is not catalogued, and never matched)."""
    try:
        literal = "".join(part for part, *_ in string.Formatter().parse(template))
    except ValueError:  # a lone brace: all of it is literal
        literal = template
    return bool(_LETTER.search(literal))


def _called(node: ast.Call) -> str:
    return _name(node.func) if isinstance(node.func, ast.Name | ast.Attribute) else ""


#: the annotation of a parameter that takes a message template (renda_core.i18n)
TEMPLATE_ANNOTATION = "MessageTemplate"
#: the annotation of a parameter that takes an error message (renda_core.i18n)
ERROR_ANNOTATION = "ErrorMessage"
#: the annotation of a guard's parameter naming what it refuses (renda_core.domain.errors)
PHRASE_ANNOTATION = "RefusalPhrase"


def _template_params(
    tree: ast.AST, annotation_name: str = TEMPLATE_ANNOTATION
) -> dict[str, tuple[int, str]]:
    """The functions of a module that take a message: name → (position, parameter
    name) of the parameter annotated ``annotation_name`` (:data:`TEMPLATE_ANNOTATION`
    or :data:`ERROR_ANNOTATION`)."""
    found: dict[str, tuple[int, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            params = [*node.args.posonlyargs, *node.args.args]
            for index, arg in enumerate(params):
                annotation = arg.annotation
                if annotation is not None and _name(annotation) == annotation_name:
                    found[node.name] = (index, arg.arg)
        elif isinstance(node, ast.ClassDef):  # a class called with a message: its __init__
            for init in node.body:
                if isinstance(init, ast.FunctionDef) and init.name == "__init__":
                    params = [*init.args.posonlyargs, *init.args.args][1:]  # self aside
                    for index, arg in enumerate(params):
                        annotation = arg.annotation
                        if annotation is not None and _name(annotation) == annotation_name:
                            found[node.name] = (index, arg.arg)
    return found


def _template_arg(node: ast.Call, position: int, name: str) -> ast.expr | None:
    for keyword in node.keywords:
        if keyword.arg == name:
            return keyword.value
    return node.args[position] if len(node.args) > position else None


def source_messages(path: Path) -> Iterator[tuple[tuple[str, str], str]]:
    """((msgctxt, msgid), where) of the errors and printed lines in ``path``: also the
    templates passed to ``message(…)`` and to a parameter annotated ``MessageTemplate``
    (lines helpers build and print, under ``output``) and the messages passed to a
    parameter annotated ``ErrorMessage`` (under ``error``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    helpers = {"message": (0, "template"), **_template_params(tree)}
    error_helpers = _template_params(tree, ERROR_ANNOTATION)
    own_messages = _error_class_messages(tree)
    for node in ast.walk(tree):
        found: list[tuple[str, ast.expr]] = []
        if isinstance(node, ast.Call) and (node.args or node.keywords):
            called = _called(node)
            if id(node) in own_messages:
                found.append((ERROR, node.args[0]))
            elif called in error_helpers:  # before ERROR_CALLS: a local ``fail`` of its own
                arg = _template_arg(node, *error_helpers[called])
                if arg is not None:
                    found.append((ERROR, arg))
            elif called == "append" and node.args and _is_notes(node):
                found.append((ERROR, node.args[0]))  # a result's remark, shown by a driver
            elif called in ERROR_CALLS and node.args:
                found.append((ERROR, node.args[0]))
                # an error that carries its msgid: ``InvalidInput(msgid.format(**params),
                # msgid=msgid, params=params)``
                found += [(ERROR, k.value) for k in node.keywords if k.arg == "msgid"]
            elif called in OUTPUT_CALLS and node.args and ("cli" in path.parts or called == "say"):
                found.append((OUTPUT, node.args[0]))
            elif called in helpers and "cli" in path.parts:
                arg = _template_arg(node, *helpers[called])
                if arg is not None:
                    found.append((OUTPUT, arg))
        elif isinstance(node, ast.Dict):
            keys = [k.value if isinstance(k, ast.Constant) else None for k in node.keys]
            if "field" in keys and "message" in keys:
                found.append((ERROR, node.values[keys.index("message")]))
        for context, arg in found:
            for text in _templates_through(arg, tree):
                if has_words(text):
                    line = getattr(node, "lineno", 0)
                    yield (context, text), f"{path.parent.name}/{path.name}:{line}"


def _is_notes(node: ast.Call) -> bool:
    """Whether ``node`` adds a remark to a result: ``notes.append(…)``,
    ``result.notes.append(…)``."""
    owner = node.func.value if isinstance(node.func, ast.Attribute) else None
    return owner is not None and _name(owner) == "notes"


def _error_class_messages(tree: ast.AST) -> set[int]:
    """The ``super().__init__(message, …)`` calls of the module's own error kinds (a
    class of :data:`ERROR_CALLS`, or of another such class of the module:
    ``class CalendarYearUnknown(RuleViolated)``): their first argument is the message
    shown."""
    classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    errors = set(ERROR_CALLS)
    grown = True
    while grown:  # a kind of a kind of the module
        grown = False
        for node in classes:
            if node.name not in errors and any(_name(base) in errors for base in node.bases):
                errors.add(node.name)
                grown = True
    found: set[int] = set()
    for node in classes:
        if node.name not in errors or node.name in ERROR_CALLS:
            continue
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.Call)
                and inner.args
                and isinstance(inner.func, ast.Attribute)
                and inner.func.attr == "__init__"
                and isinstance(inner.func.value, ast.Call)
                and _called(inner.func.value) == "super"
            ):
                found.add(id(inner))
    return found


def _templates_through(arg: ast.expr, tree: ast.AST) -> list[str]:
    """The templates ``arg`` carries: its own (a literal, an f-string), or — a name —
    every literal or f-string bound to that name in the function that uses it
    (``message = f"…"``, ``problems.append(f"…")``, ``[… for p in problems]``): a
    message assigned to a variable before it is raised or printed."""
    text = template_of(arg)
    if text is not None:
        return [text]
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name | ast.Attribute):
        return _returned_by(_name(arg.func), tree)
    if not isinstance(arg, ast.Name):
        return []
    scope = _enclosing_function(tree, arg) or tree
    found = _bound_to(arg.id, scope)
    if not found and isinstance(tree, ast.Module):  # a module's constant
        found = _bound_to(arg.id, ast.Module(body=list(tree.body), type_ignores=[]))
    return found


def _returned_by(function: str, tree: ast.AST) -> list[str]:
    """The templates a module's function ``function`` returns (a message a helper
    builds: ``raise StoreUnavailable(self.read_only_message())``)."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == function:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and inner.value is not None:
                    text = template_of(inner.value)
                    found += [text] if text is not None else []
    return found


def _bound_to(name: str, scope: ast.AST) -> list[str]:
    names = {name} | _iterated_for(scope, name)
    found: list[str] = []
    for node in ast.walk(scope) if not isinstance(scope, ast.Module) else scope.body:
        values: list[ast.expr] = []
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in names for t in targets):
                value = node.value
                values += value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if node.func.attr == "append" and isinstance(owner, ast.Name) and owner.id in names:
                values += node.args[:1]
        for value in values:
            if isinstance(value, ast.IfExp):
                found += [t for t in (template_of(value.body), template_of(value.orelse)) if t]
            elif (text := template_of(value)) is not None:
                found.append(text)
    return found


def _iterated_for(scope: ast.AST, name: str) -> set[str]:
    """The lists a comprehension's or loop's ``name`` is taken from (``p`` in ``for p in
    problems``)."""
    found: set[str] = set()
    for node in ast.walk(scope):
        if isinstance(node, ast.comprehension | ast.For):
            target, source = node.target, node.iter
            if isinstance(target, ast.Name) and target.id == name and isinstance(source, ast.Name):
                found.add(source.id)
    return found


def _enclosing_function(tree: ast.AST, node: ast.AST) -> ast.AST | None:
    best: ast.AST | None = None
    for candidate in ast.walk(tree):
        if isinstance(candidate, ast.FunctionDef | ast.AsyncFunctionDef) and any(
            child is node for child in ast.walk(candidate)
        ):
            best = candidate  # walk is breadth-first: the innermost comes last
    return best


#: terms that are no enumeration's: booleans as tables show them
EXTRA_TERMS = (("yes", "是", "bool"), ("no", "否", "bool"))
#: label tables outside the domain (``module:NAME``), catalogued under their own
#: context only (``term:outbox.STATUS_LABELS``), never context-free: an outbox row's
#: ``pending`` (待发送) is no other table's ``pending``
OWN_CONTEXT_TERMS = ("renda_core.notify.outbox:STATUS_LABELS",)


def terms() -> Iterator[tuple[str, str, str]]:
    """(value, label, vocabulary) of every member of every labelled enumeration of the
    domain (``"session.SessionStatus"``: its module and name), of every ``*_LABELS``
    table of a domain module (``"station.STATUS_LABELS"``: value → Chinese label), and
    of :data:`EXTRA_TERMS`."""
    import renda_core.domain as domain
    from renda_core.domain.values import Labelled

    seen: set[int] = set()
    for info in sorted(pkgutil.iter_modules(domain.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"renda_core.domain.{info.name}")
        for name, value in vars(module).items():
            if id(value) in seen:
                continue
            if isinstance(value, type) and issubclass(value, Labelled) and value is not Labelled:
                seen.add(id(value))
                where = f"{value.__module__.rsplit('.', 1)[-1]}.{value.__name__}"
                for member in value:
                    yield member.value, member.label, where
            elif name.endswith("LABELS") and isinstance(value, dict):
                seen.add(id(value))
                for key, label in value.items():
                    if isinstance(key, str) and isinstance(label, str) and _CJK.search(label):
                        yield str(key), label, f"{info.name}.{name}"
    yield from EXTRA_TERMS


def own_context_terms() -> Iterator[tuple[str, str, str]]:
    """(value, label, vocabulary) of the label tables of :data:`OWN_CONTEXT_TERMS`
    (``"outbox.STATUS_LABELS"``)."""
    for where in OWN_CONTEXT_TERMS:
        module_name, _, name = where.partition(":")
        table = getattr(importlib.import_module(module_name), name)
        for key, label in table.items():
            yield str(key), label, f"{module_name.rsplit('.', 1)[-1]}.{name}"


def _phrase_params(trees: Mapping[Path, ast.AST]) -> dict[str, set[tuple[int, str]]]:
    """Every function of the packages with a parameter annotated
    :data:`PHRASE_ANNOTATION`: name → (position as called, parameter name); a
    method's position is counted without ``self``/``cls`` (it is called as
    ``deputy.check_may_exercise_duties("join a group", on)``)."""
    found: dict[str, set[tuple[int, str]]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            params = [*node.args.posonlyargs, *node.args.args]
            bound = bool(params) and params[0].arg in {"self", "cls"}
            for index, arg in enumerate(params):
                if arg.annotation is not None and _name(arg.annotation) == PHRASE_ANNOTATION:
                    found.setdefault(node.name, set()).add((index - bound, arg.arg))
    return found


def _phrase_args(paths: list[Path]) -> Iterator[tuple[str, ast.expr]]:
    """(where, argument) of every phrase passed to a guard's parameter annotated
    :data:`PHRASE_ANNOTATION` anywhere in ``paths``: a module's own guard of that name
    first, else any guard of that name."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in paths}
    guards = _phrase_params(trees)
    for path, tree in trees.items():
        own = _phrase_params({path: tree})  # a module's own guard before another's
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = _called(node)
            for position, name in sorted(own.get(called) or guards.get(called) or ()):
                arg = _template_arg(node, position, name)
                if arg is not None:
                    yield f"{path.parent.name}/{path.name}:{node.lineno}", arg


def phrase_messages(paths: list[Path]) -> Iterator[tuple[tuple[str, str], str]]:
    """((``phrase``, text), where) of the literals and f-strings (as templates) passed
    to a guard's parameter annotated :data:`PHRASE_ANNOTATION` anywhere in ``paths``
    (the CLI shows ``what`` in a refusal by this catalogue: ``cannot {what}: …``).
    An f-string is its template (``f"join {self.name}"``: "join {name}"), whose values
    are matched back when a refusal is shown."""
    for where, arg in _phrase_args(paths):
        text = template_of(arg)
        if text:
            yield (PHRASE, text), where


def built_phrases(paths: list[Path]) -> list[str]:
    """Where a guard's phrase (a parameter annotated :data:`PHRASE_ANNOTATION`) is built
    at run time in a way the catalogue cannot hold — a concatenation, a call, a
    conditional — rather than passed as a literal or an f-string (a template) or handed
    on from the caller's own phrase (a name): a clerk would read it in English inside a
    Chinese refusal. Each as ``"<folder>/<file>:<line>: <source>"``; the check wants
    none."""
    return [
        f"{where}: {ast.unparse(arg)}"
        for where, arg in _phrase_args(paths)
        if not isinstance(arg, ast.Name) and not template_of(arg)
    ]


def messages() -> Iterator[tuple[tuple[str, str], str]]:
    """Every message id read from the source, with where it is."""
    paths = list(package_files())
    for path in paths:
        yield from source_messages(path)
    yield from phrase_messages(paths)
    for value, label, enum in terms():
        name = enum if enum.endswith("LABELS") else enum.rpartition(".")[2]
        yield (TERM, value), f"enum {name}"
        yield (TERM, label), f"enum {name}"
        yield (term_context(enum), value), f"enum {enum}"
        yield (term_context(enum), label), f"enum {enum}"
    for value, label, table in own_context_terms():
        yield (term_context(table), value), f"table {table}"
        yield (term_context(table), label), f"table {table}"
