"""Maintain the message catalogues (a maintainer's tool; needs Babel, in ``.[dev]``).

    python -m renda_core.i18n_catalog update    # collect every message, merge into the
                                                # .po files, compile the .mo files
    python -m renda_core.i18n_catalog compile   # only compile .po → .mo
    python -m renda_core.i18n_catalog check     # list what is missing or stale (exit 1)

Messages are collected from the running click tree after plugins load (every command's
help and short help, every parameter's help), from click's own source (its ``_()``
calls), from the CLI's error and field templates (:mod:`renda_core.cli.i18n`) and, by
reading the source, from the labels of ``progress_bar(...)`` and the titles and column
headers of rich tables. ``docs/i18n.md`` says how to translate what ``update`` adds.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from renda_core.i18n import DOMAIN, LOCALE_DIR, LOCALES

FIX_COMMAND = "python -m renda_core.i18n_catalog update"
_CJK = re.compile(r"[\u3400-\u9fff]")
_SOURCE_ROOTS = ("renda_core/cli", "renda_core/notify", "renda_adapters")

Key = tuple[str, str]  # (msgctxt, msgid)


def _click_tree_messages() -> Iterator[tuple[Key, str]]:
    import click

    from renda_core import i18n
    from renda_core.cli import cli
    from renda_core.cli.i18n import (
        METAVAR_CONTEXT,
        help_msgid,
        metavar_words,
        short_help_msgid,
        walk_all,
    )

    ctx = click.Context(cli, info_name="renda")
    with i18n.use(None):  # message ids, not what the last active language shows
        commands = list(walk_all(cli, ctx))
        metavars = {id(p): p.make_metavar(click.Context(c)) for c in commands for p in c.params}
    for command in commands:
        where = f"command {command.name}"
        text = help_msgid(command.help)
        if text:
            yield ("", text), where
        short = short_help_msgid(command)
        if short and short != text:
            yield ("", short), f"{where} (short help)"
        for param in command.params:
            help_ = getattr(param, "help", None)
            if help_ and not getattr(param, "hidden", False):
                yield ("", help_), f"{where} {param.name}"
            if not getattr(param, "hidden", False):
                for word in metavar_words(metavars[id(param)]):
                    yield (METAVAR_CONTEXT, word), f"{where} {param.name} (metavar)"


def _click_source_messages() -> Iterator[tuple[Key | tuple[str, str, str], str]]:
    import click
    from babel.messages.extract import extract_from_dir

    folder = Path(click.__file__).parent
    for filename, _lineno, message, _comments, context in extract_from_dir(
        str(folder), method_map=[("**.py", "python")]
    ):
        if isinstance(message, tuple):
            yield (context or "", message[0], message[1]), f"click/{filename}"
        else:
            yield (context or "", message), f"click/{filename}"


def _source_files() -> Iterator[Path]:
    import renda_core

    src = Path(renda_core.__file__).parent.parent
    for root in _SOURCE_ROOTS:
        for base in (src, src.parent / "adapters"):
            folder = base / root
            if folder.is_dir():
                yield from sorted(folder.rglob("*.py"))


def _source_messages() -> Iterator[tuple[Key, str]]:
    """``progress_bar("…")`` labels, ``Table(title="…")`` and ``add_column("…")``,
    the column names of ``for col in ("a", "b"): table.add_column(col)``, the title
    and columns of ``emit_rows(rows, as_json, "title", ("a", "b"), cells)``, and the
    first cells of rows (``add_row("contacts", …)``, the field names of
    ``for key in ("name", …): table.add_row(key, …)``)."""
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.For) and isinstance(node.iter, ast.Tuple | ast.List):
                calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
                if any(getattr(c.func, "attr", None) in {"add_column", "add_row"} for c in calls):
                    for elt in node.iter.elts:
                        column = elt.value if isinstance(elt, ast.Constant) else None
                        if isinstance(column, str) and column:
                            yield ("", column), f"{path.name}"
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            texts: list[ast.expr] = []
            if name in {"progress_bar", "add_column", "add_row"} and node.args:
                texts.append(node.args[0])
            if name in {"Table", "add_column"}:
                texts += [k.value for k in node.keywords if k.arg in {"title", "header"}]
            if name == "emit_rows" and len(node.args) >= 4:  # cli.common: title, columns
                texts.append(node.args[2])
                if isinstance(node.args[3], ast.Tuple | ast.List):
                    texts += node.args[3].elts
            for text in texts:
                if isinstance(text, ast.Constant) and isinstance(text.value, str) and text.value:
                    yield ("", text.value), f"{path.name}"


def _table_messages() -> Iterator[tuple[Key, str]]:
    """Each command's table headers and field names under its path as the context
    (:mod:`renda_core.i18n_tables`)."""
    from renda_core.cli import cli
    from renda_core.i18n_tables import table_labels

    yield from table_labels(cli)


def collect() -> dict[Key | tuple[str, str, str], list[str]]:
    """Every message id renda shows, with where it comes from."""
    from renda_core import i18n_extract
    from renda_core.cli.i18n import catalogued_messages

    found: dict[Key | tuple[str, str, str], list[str]] = {}
    sources: list[Iterator[tuple[Key, str]] | Iterator[tuple[Key | tuple[str, str, str], str]]]
    sources = [
        _click_tree_messages(),
        _click_source_messages(),
        _source_messages(),
        _table_messages(),
        i18n_extract.messages(),
    ]
    for source in sources:
        for key, where in source:
            found.setdefault(key, []).append(where)
    for key in catalogued_messages():
        found.setdefault(key, []).append("renda_core/cli/i18n.py")
    return found


def template() -> object:
    from babel.messages.catalog import Catalog

    catalog = Catalog(domain=DOMAIN, project="renda", charset="utf-8")
    for key, where in sorted(collect().items(), key=lambda kv: (kv[0][0], kv[0][1])):
        context, msgid = key[0], key[1] if len(key) == 2 else (key[1], key[2])
        catalog.add(msgid, context=context or None, auto_comments=sorted(set(where))[:3])
    return catalog


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read(locale: str) -> object:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, domain=DOMAIN, project="renda", charset="utf-8")
    with path.open("rb") as fp:
        return read_po(fp, locale=locale, domain=DOMAIN)


def update() -> None:
    """Merge the collected messages into every locale's .po, then compile."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    pot = template()
    assert isinstance(pot, Catalog)
    for locale in LOCALES:
        catalog = _read(locale)
        assert isinstance(catalog, Catalog)
        catalog.update(pot, no_fuzzy_matching=True, update_creation_date=False)
        for message in catalog:
            if message.id and (not message.string or _is_term(message.context)):
                message.string = _obvious(locale, message.context, message.id) or message.string
            if message.id and not message.string and _is_table(message.context):
                _suggest_table_label(catalog, message)
        path = po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fp:
            write_po(fp, catalog, width=100, ignore_obsolete=True, omit_header=False)
    compile_all()


def _is_table(context: str | None) -> bool:
    """Whether ``context`` is a command's tables' (``"renda plan show"``)."""
    return bool(context) and str(context).startswith("renda ")


def _suggest_table_label(catalog: Any, message: Any) -> None:
    """A new table label starts as its context-free translation, marked fuzzy: the
    check still lists it (a fuzzy entry is not compiled) until a translator confirms it
    is right for that table and removes the flag."""
    generic = catalog.get(message.id)
    if generic is not None and generic.string and not generic.fuzzy:
        message.string = generic.string
        message.flags.add("fuzzy")


def _obvious(locale: str, context: str | None, msgid: object) -> str:
    """The translation that needs no translator ("" when one is needed): English ids in
    ``en``, and the terms of the enumerations (their value and label) in both."""
    from renda_core import i18n_extract

    if not isinstance(msgid, str):
        return ""
    if context and context.startswith(f"{i18n_extract.TERM}:"):  # one vocabulary's term
        vocabulary = context.partition(":")[2]
        for value, label, where in _terms():
            if where == vocabulary and msgid in (value, label):
                return value.replace("_", " ") if locale == "en" else label
    if context == i18n_extract.TERM:
        found = [t for t in _terms() if t not in _own_context_terms()]
        labels = {label for value, label, _ in found if value == msgid}
        for value, label, _enum in found:
            if msgid in (value, label):
                if locale == "en":
                    return value.replace("_", " ")
                # a value two enumerations label differently ("closed": 已闭会, 已办结)
                # stays as it is: better English than the wrong Chinese
                return label if msgid == label or len(labels) == 1 else msgid
    if locale == "en" and not _has_cjk(msgid):
        return msgid
    return ""


@cache
def _terms() -> list[tuple[str, str, str]]:
    from renda_core import i18n_extract

    return [*i18n_extract.terms(), *_own_context_terms()]


@cache
def _own_context_terms() -> list[tuple[str, str, str]]:
    from renda_core import i18n_extract

    return list(i18n_extract.own_context_terms())


def _is_term(context: str | None) -> bool:
    return bool(context) and (context == "term" or str(context).startswith("term:"))


def _has_cjk(msgid: str | tuple[str, ...] | list[str]) -> bool:
    texts = (msgid,) if isinstance(msgid, str) else tuple(msgid)
    return any(_CJK.search(t) for t in texts)


def compile_all() -> None:
    """Compile every .po to its .mo."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    for locale in LOCALES:
        catalog = _read(locale)
        assert isinstance(catalog, Catalog)
        with po_path(locale).with_suffix(".mo").open("wb") as fp:
            write_mo(fp, catalog)


def _translated(string: object) -> bool:
    if isinstance(string, tuple | list):
        return bool(string) and all(string)
    return bool(string)


def problems() -> list[str]:
    """What is missing from a catalogue or stale, each as a line; [] when all is well."""
    import gettext

    from babel.messages.catalog import Catalog

    wanted = collect()
    lines: list[str] = []
    for locale in LOCALES:
        catalog = _read(locale)
        assert isinstance(catalog, Catalog)
        missing = []
        for key, where in wanted.items():
            context, msgid = key[0] or None, key[1]
            message = catalog.get(msgid, context=context)
            if message is None or message.fuzzy or not _translated(message.string):
                label = f"  {msgid!r}" + (f" [{context}]" if context else "")
                missing.append(f"{label}  ({where[0]})")
        if missing:
            lines.append(f"{po_path(locale)}: {len(missing)} message(s) missing or untranslated:")
            lines += sorted(missing)
        broken = [
            line
            for key in wanted
            if key[0] in TEMPLATE_CONTEXTS and len(key) == 2
            for line in _placeholder_problems(catalog.get(key[1], context=key[0]), key[0])
        ]
        if broken:
            lines.append(
                f"{po_path(locale)}: {len(broken)} translation(s) with other placeholders:"
            )
            lines += sorted(broken)
        mo = po_path(locale).with_suffix(".mo")
        try:
            with mo.open("rb") as fp:
                compiled = dict(gettext.GNUTranslations(fp)._catalog)  # type: ignore[attr-defined]
        except OSError:
            compiled = {}
        expected = _expected_mo(catalog)
        if compiled != expected:
            lines.append(f"{mo}: out of date with its .po")
    if lines:
        lines.append(f"Fix: `{FIX_COMMAND}` adds the missing message ids to the .po files;")
        lines.append("translate the empty msgstr entries (docs/i18n.md), run it again, commit.")
    return lines


#: contexts whose message ids are templates: a translation keeps their placeholders
TEMPLATE_CONTEXTS = ("error", "output")


def _fields(text: str) -> set[str] | None:
    import string

    try:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError:
        return None


def _placeholder_problems(message: object, context: str) -> list[str]:
    """How a translation's ``{placeholders}`` differ from its message id's."""
    msgid, string = getattr(message, "id", None), getattr(message, "string", None)
    if not isinstance(msgid, str) or not isinstance(string, str) or not string:
        return []
    wanted, given = _fields(msgid), _fields(string)
    if wanted is None:
        return []
    label = f"  {msgid!r} [{context}]"
    if given is None:
        return [f"{label}: the translation is not a template (a lone brace)"]
    return [f"{label}: the translation drops {{{f}}}" for f in sorted(wanted - given)] + [
        f"{label}: the translation adds {{{f}}}" for f in sorted(given - wanted)
    ]


def _expected_mo(catalog: object) -> dict[object, str]:
    import gettext
    import io

    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # type: ignore[arg-type]
    buffer.seek(0)
    return dict(gettext.GNUTranslations(buffer)._catalog)  # type: ignore[attr-defined]


def main(argv: list[str]) -> int:  # pragma: no cover
    which = argv[0] if argv else "check"
    if which == "update":
        update()
    elif which == "compile":
        compile_all()
    elif which == "check":
        lines = problems()
        print("\n".join(lines) or "catalogues complete and compiled")
        return 1 if lines else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
