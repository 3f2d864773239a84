"""Display-time translation of the CLI (``docs/i18n.md``).

The command modules keep their English help strings; this module translates them when
they are shown, through the catalogue of the active locale (:mod:`renda_core.i18n`):

- :func:`localize_tree` gives every command of the tree (groups included) translated
  help, short help and option help, and the root the global ``--lang`` option;
- click's own messages ("Usage:", "Options:", "Error: …") go through the same
  catalogue (click calls ``gettext`` through a module-level ``_``, bound here);
- :func:`error_text` renders a domain error in the active language: its ``msgid`` and
  ``params`` when it carries them, else its message matched against
  :data:`ERROR_TEMPLATES` (catalogued under ``msgctxt "error"``).
"""

from __future__ import annotations

import copy
import inspect
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

import click
from click.utils import _make_default_short_help

from renda_core import i18n
from renda_core.domain.errors import InvalidInput, RendaError

if TYPE_CHECKING:
    from renda_core.domain.values import Labelled

LANG_HELP = (
    "Language of help, messages and tables: zh (the default) or en. "
    "Env: RENDA_LANG, else LC_ALL, LC_MESSAGES, LANG."
)

#: Domain error messages catalogued as templates: ``{name}`` matches any text, which
#: is put into the translation unchanged. Most specific first.
ERROR_TEMPLATES: tuple[str, ...] = (
    "invalid input — {summary}",
    "no record with id {id}",
    "no {what} with id {id}",
    "{field}: no record whose id starts with {prefix}",
    "{field}: the prefix {prefix} names {count} records: {ids}; give more characters",
    "no division with code {code} is recorded",
    "no report named '{name}' (reports: {names})",
    "no command named '{name}' (GET /v1/openapi.json lists them)",
    "{actor} may not {command}: it needs the role {roles}",
    "command '{command}' is not in the permission policy",
    "role '{role}' may not seal the log (staff or auditor may)",
    "role '{role}' may not export the log (staff or auditor may)",
    "{actor} may co-sign only for themselves",
    "{actor} may act only for {own}, not for {unit}",
    "the store {store} is read-only ({reason}): nothing was recorded",
    "the store {store} is read-only ({reason}): nothing was deleted or recorded",
    "the store {store} does not exist",
    "the store {store} does not exist (opened read-only: {reason})",
    "store folder '{folder}' does not exist",
    "store '{store}' is a folder; give a file path",
    "store URL is not understood: {reason}",
    "--date: empty; give a date like 2024-12-31, or leave the option out for today",
    "{field}: '{value}' is not a date like 2023-12-31",
    "line {line}: not UTF-8 (byte {byte}); save the file as UTF-8",
    "cannot write {path}: {reason}",
    # a seal as verification names it (Seal.label), inside the lines and findings
    "seal #{seal_id} (position {position}, {sealed_at})",
    "the seal file's seal (position {position}, {sealed_at})",
)

#: Names of records that error templates put in their messages (``{what}``), catalogued
#: under ``msgctxt "noun"``.
#: the nouns a message names a record by (``no {label} with id …``, ``'x' is not a
#: valid {label} id``, ``no {what} with id …``): every label the application and the
#: adapters name a record by
NOUNS: tuple[str, ...] = (
    "aggregate",
    "body",
    "bulletin",
    "campaign",
    "deputy",
    "deputy group",
    "division",
    "inspection",
    "meeting",
    "member",
    "motion",
    "opinion",
    "plan",
    "record",
    "report to constituents",
    "session",
    "standing-committee member",
    "station",
    "suggestion",
    "term",
    "token",
    "training course",
)
NOUN_CONTEXT = "noun"
#: msgctxt of what a guard refuses (``cannot {what}: …``), collected from the literals
#: passed to a parameter annotated ``RefusalPhrase`` (renda_core.i18n_extract)
PHRASE_CONTEXT = "phrase"
#: msgctxt of lines that commands print, and of terms (enum values and labels)
OUTPUT_CONTEXT = "output"
TERM_CONTEXT = "term"
METAVAR_CONTEXT = "metavar"

#: Messages of the validation of fields (pydantic's, and renda's own), as templates.
FIELD_TEMPLATES: tuple[str, ...] = (
    "Field required",
    "empty",
    "expected YYYY-MM-DD",
    "not writable",
    "not UTF-8",
    "Input should be a valid string",
    "Input should be a valid integer, unable to parse string as an integer",
    "Input should be a valid date or datetime, input is too short",
    "String should have at least {n} character",
    "String should have at least {n} characters",
    "String should have at most {n} characters",
    "Input should be {choices}",
    "Value error, {reason}",
    "Extra inputs are not permitted",
    "ambiguous: {candidate}",
)


# ------------------------------------------------------------------ click's own text


#: msgctxt of the names of click's parameter types, shown in its usage errors ("'abc' is
#: not a valid integer"): the ``name`` of each type of ``click.types``
CLICK_TYPE_CONTEXT = "click type"
CLICK_TYPE_NAMES: tuple[str, ...] = (
    "text",
    "choice",
    "datetime",
    "integer",
    "integer range",
    "float",
    "float range",
    "boolean",
    "uuid",
    "filename",
    "file",
    "directory",
    "path",
)
#: the placeholders of click's messages that a type's name fills (``{name}`` is title-cased)
_TYPE_PLACEHOLDERS = ("number_type", "name")


def click_type_name(name: str) -> str:
    """A click type's ``name`` (``integer``; ``File`` as click title-cases it) in the
    active language, under :data:`CLICK_TYPE_CONTEXT`; a name not catalogued stays."""
    key = name.lower()
    if i18n.active_locale() is None or not i18n.catalogued(key, CLICK_TYPE_CONTEXT):
        return name
    shown = i18n.pgettext(CLICK_TYPE_CONTEXT, key)
    return name if shown == key else shown


class _TypeNamed(str):
    """A message of click's whose ``.format`` fills a type's name: the name is shown in
    the active language (click formats ``self.name`` into the translated message)."""

    __slots__ = ()

    def format(self, *args: object, **kwargs: object) -> str:
        for key in _TYPE_PLACEHOLDERS:
            value = kwargs.get(key)
            if isinstance(value, str):
                kwargs[key] = click_type_name(value)
        return str(self).format(*args, **kwargs)


class TranslatedWhenShown(str):
    """A click message given at decoration time, before the catalogue is bound (the
    ``--version`` line): ``%`` formats its translation in the language active then."""

    __slots__ = ()

    def __mod__(self, values: object) -> str:
        return i18n.gettext(str(self)) % values


def _click_gettext(message: str) -> str:
    if message in CLICK_HELP:  # kept as the message id, translated when shown: making
        return message  # a command's --help option reads no catalogue
    translated = i18n.gettext(message)
    if any("{" + key + "}" in message for key in _TYPE_PLACEHOLDERS):
        return _TypeNamed(translated)
    return translated


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return i18n.ngettext(singular, plural, n)


_click_wrap_text = click.formatting.wrap_text


class _LazyPattern:
    """A regular expression compiled when first used: a class over wide CJK ranges takes
    milliseconds to compile, and ``renda report … --json`` never wraps or measures text."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern)

    def match(self, text: str) -> re.Match[str] | None:
        return self.compiled.match(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text)

    def findall(self, text: str) -> list[Any]:
        return self.compiled.findall(text)


_WIDE = _LazyPattern(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)
#: a short bracketed word (click's ``[必填]``, ``[默认：zh]``) is never broken; else one
#: Chinese character, a run of other characters, or spaces
_TOKEN = _LazyPattern(rf"\[[^\[\]\s]{{1,16}}\]|{_WIDE.pattern}|[^\s{_WIDE.pattern[1:-1]}]+|\s+")
#: punctuation that never starts a line (Chinese line breaking, 避头点)
_NO_LINE_START = set("，。、；：？！）》」』】〕”’…%,.;:?!)]")
#: punctuation that never ends a line (避尾点): an opening mark goes down with its word
_NO_LINE_END = set("（《「『【〔“‘([")


def _width(text: str) -> int:
    return sum(2 if _WIDE.match(ch) else 1 for ch in text)


def term_len(x: str) -> int:
    """click's ``term_len`` (columns a text takes, ANSI codes aside), counting a Chinese
    character as two: the options list lines up when metavars are Chinese."""
    from click._compat import strip_ansi

    return _width(strip_ansi(x))


def _fill_wide(text: str, width: int, first: str, rest: str) -> list[str]:
    lines: list[str] = []
    line: list[str] = []
    indent = first
    for token in _TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            if line:
                line.append(" ")
            continue
        room = width - len(indent)
        if line and _width("".join(line)) + _width(token) > room:
            carried: list[str] = []
            if token[0] in _NO_LINE_START:
                # closing marks before it and the character before them go down with it
                while len(line) > 1 and line[-1] in _NO_LINE_START:
                    carried.insert(0, line.pop())
                if len(line) > 1 and not line[-1].isspace():
                    carried.insert(0, line.pop())  # a character, or a word like --output
            while len(line) > 1 and line[-1] in _NO_LINE_END:
                carried.insert(0, line.pop())
            lines.append(indent + "".join(line).rstrip())
            line, indent = carried, rest
        line.append(token)
    if line or not lines:
        lines.append(indent + "".join(line).rstrip())
    return lines


def wrap_text(
    text: str,
    width: int = 78,
    initial_indent: str = "",
    subsequent_indent: str = "",
    preserve_paragraphs: bool = False,
) -> str:
    """click's ``wrap_text``, counting a Chinese character as two columns (as a
    terminal shows it) and breaking lines between Chinese characters."""
    if not _WIDE.search(text):
        return _click_wrap_text(text, width, initial_indent, subsequent_indent, preserve_paragraphs)
    if not preserve_paragraphs:
        return "\n".join(_fill_wide(text, width, initial_indent, subsequent_indent))
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.expandtabs()):
        lines = paragraph.splitlines()
        if lines and lines[0].strip() == "\b":  # click's "do not rewrap" marker
            out.append("\n".join(subsequent_indent + line for line in lines[1:]))
        elif lines:
            indent = " " * (len(lines[0]) - len(lines[0].lstrip()))
            out.append(
                "\n".join(
                    _fill_wide(
                        paragraph, width, initial_indent + indent, subsequent_indent + indent
                    )
                )
            )
    return "\n\n".join(out)


def bind_click() -> None:
    """Send click's own messages through renda's catalogue, and wrap help that has
    Chinese in it by its width on the terminal (idempotent)."""
    click.formatting.wrap_text = wrap_text
    click.formatting.term_len = term_len  # type: ignore[attr-defined]  # help lists
    for name, module in list(sys.modules.items()):
        if name == "click" or not name.startswith("click."):
            continue
        if callable(getattr(module, "_", None)):
            setattr(module, "_", _click_gettext)  # noqa: B010  (click's module-level name)
        if callable(getattr(module, "ngettext", None)):
            setattr(module, "ngettext", _click_ngettext)  # noqa: B010
    for kind in vars(click.exceptions).values():  # their messages: Chinese punctuation
        if (
            isinstance(kind, type)
            and issubclass(kind, click.ClickException)
            and "format_message" in vars(kind)
            and not getattr(kind.format_message, "_tidied", False)
        ):
            setattr(kind, "format_message", _tidied(kind.format_message))  # noqa: B010


#: a full stop click appends after a Chinese word or a closing quote (``'建议ID'.``)
_ASCII_STOP = _LazyPattern(r"(?<=[\u3400-\u9fff'’”）\]])\.(?=\s|$)")
#: the spaces click puts after a sentence it joins to another (``没有名为 … 的选项。 你是``)
_SPACE_AFTER = _LazyPattern(r"(?<=[。？！；：，])[ \t]+(?=\S)")


def cjk_punctuation(text: str) -> str:
    """``text`` (a message click puts together from translated parts) with Chinese
    punctuation where those parts meet: 「缺少参数 '建议ID'。」, no space after 。"""
    if not _CJK.search(text):
        return text
    return _SPACE_AFTER.compiled.sub("", _ASCII_STOP.compiled.sub("。", text))


def _tidied(format_message: Callable[[Any], str]) -> Callable[[Any], str]:
    def tidied(self: Any) -> str:
        return cjk_punctuation(format_message(self))

    tidied._tidied = True  # type: ignore[attr-defined]
    return tidied


# ------------------------------------------------------------------ selection


def lang_in_args(args: list[str]) -> str | None:
    """The value of a global ``--lang`` among the root's arguments (before ``--``)."""
    for i, arg in enumerate(args):
        if arg == "--":
            return None
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def activate_for(args: list[str]) -> str:
    """Activate the locale an invocation asks for; return it."""
    locale = i18n.select_locale(lang_in_args(args))
    i18n.activate(locale)
    bind_click()
    return locale


def _lang_chosen(ctx: click.Context, _: click.Parameter, value: str | None) -> None:
    if value is not None:
        i18n.activate(i18n.select_locale(value))


def lang_option() -> click.Option:
    return click.Option(
        ["--lang"],
        type=click.Choice(["zh", "en"], case_sensitive=False),
        default=None,
        is_eager=True,
        expose_value=False,
        callback=_lang_chosen,
        help=LANG_HELP,
    )


# ------------------------------------------------------------------ help text


def help_msgid(text: str | None) -> str:
    """The message id of a help text: as click shows it (dedented, up to a form feed)."""
    return inspect.cleandoc(text or "").partition("\f")[0]


def short_help_msgid(command: click.Command) -> str:
    """The message id of a command's short help: its ``short_help``, else the first
    sentence of its help (untruncated)."""
    if command.short_help:
        return inspect.cleandoc(command.short_help)
    return _make_default_short_help(command.help or "", 10**6) if command.help else ""


def walk_all(group: click.Group, ctx: click.Context | None = None) -> Iterator[click.Command]:
    """``group`` and every command and group under it."""
    context = ctx or click.Context(group)
    yield group
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            yield from walk_all(command, context)
        elif command is not None:
            yield command


def localize_tree(root: click.Group) -> None:
    """Translated help for every command under ``root``; ``--lang`` on ``root``."""
    if not any("--lang" in getattr(p, "opts", ()) for p in root.params):
        root.params.insert(0, lang_option())
    for command in _registered(root):
        localize(command)


def _registered(group: click.Group) -> Iterator[click.Command]:
    """``group`` and the commands registered under it, without building or importing
    any (commands made on demand are localized as they are made, see conventions)."""
    yield group
    commands = group.commands
    loaded = getattr(commands, "loaded", None)  # a lazy group: only what is imported
    registered: list[click.Command] = (
        [dict.__getitem__(commands, name) for name in loaded()]
        if callable(loaded) and isinstance(commands, dict)
        else list(commands.values())
    )
    for command in registered:
        if isinstance(command, click.Group):
            yield from _registered(command)
        else:
            yield command


def localize(command: click.Command) -> None:
    """Translate ``command``'s help, short help and parameters' help when shown."""
    for param in command.params:
        _localize_param(param)
    if getattr(command, "_renda_localized", False):
        return
    command._renda_localized = True  # type: ignore[attr-defined]
    format_help_text = command.format_help_text
    get_short_help_str = command.get_short_help_str

    def translated_help_text(ctx: click.Context, formatter: click.HelpFormatter) -> None:
        original = command.help
        if original:
            command.help = i18n.gettext(help_msgid(original))
        try:
            format_help_text(ctx, formatter)
        finally:
            command.help = original

    def translated_short_help(limit: int = 45) -> str:
        msgid = short_help_msgid(command)
        text = i18n.gettext(msgid) if msgid else ""
        if text == msgid:
            return get_short_help_str(limit)  # untranslated: click's own shortening
        return text.strip()

    get_help_option = command.get_help_option

    def help_option(ctx: click.Context) -> click.Option | None:
        option = get_help_option(ctx)
        if option is not None:
            _localize_param(option)
        return option

    command.get_help_option = help_option  # type: ignore[method-assign]
    command.format_help_text = translated_help_text  # type: ignore[method-assign]
    collect_usage_pieces = command.collect_usage_pieces

    def translated_usage_pieces(ctx: click.Context) -> list[str]:
        own = {command.options_metavar, getattr(command, "subcommand_metavar", None)}
        pieces = collect_usage_pieces(ctx)
        return [metavar_text(p) if p in own else p for p in pieces]

    command.collect_usage_pieces = translated_usage_pieces  # type: ignore[method-assign]
    command.get_short_help_str = translated_short_help  # type: ignore[method-assign]


LANG_DEFAULT = "zh, or en as --lang/LANG choose"


#: Help that click's own decorators translate when they run (``--help`` is made on
#: first use, after the language is chosen): kept as the message id, shown translated.
CLICK_HELP = (
    "Show this message and exit.",
    "Show the version and exit.",
    "Confirm the action without prompting.",
)


def _translated_yet() -> bool:
    """Whether any catalogue was read: until one is, click's texts are the message ids
    themselves, and nothing need be read to recognise them (``renda --help`` and a
    report read no ``.mo`` file at import: issue 15, target 4). A text click translated
    comes from a catalogue already read: only those are compared with it."""
    return bool(i18n.read_locales())


def _as_msgid(text: str | None) -> str | None:
    if text in CLICK_HELP or not _translated_yet():
        return text
    for msgid in CLICK_HELP:
        if text == msgid or any(
            text == i18n.translations(loc).gettext(msgid) for loc in i18n.read_locales()
        ):
            return msgid
    return text


#: names click's types translate when they are made (``click.Path``): a type made while
#: Chinese was active must not keep 文件 as its name (metavars translate when shown)
TYPE_NAMES = ("file", "directory", "path")


def _type_name_as_msgid(kind: click.ParamType[Any]) -> None:
    name = getattr(kind, "name", None)
    if not isinstance(kind, click.Path) or name in TYPE_NAMES or not _translated_yet():
        return  # only a path's name is translated when it is made
    for msgid in TYPE_NAMES:
        if name != msgid and any(
            name == i18n.translations(loc).gettext(msgid) for loc in i18n.read_locales()
        ):
            kind.name = msgid


def _localize_param(param: click.Parameter) -> None:
    if getattr(param, "_renda_localized", False):
        return
    param._renda_localized = True  # type: ignore[attr-defined]
    if isinstance(param, click.Option):
        param.help = _as_msgid(param.help)
    _type_name_as_msgid(param.type)
    if param.name == "lang" and param.default == "zh" and isinstance(param, click.Option):
        # a command's own --lang (a report's labels, messages' templates) follows the locale
        param.default = i18n.language
        param.show_default = LANG_DEFAULT
    get_help_record = param.get_help_record

    def translated(ctx: click.Context) -> Any:
        original = getattr(param, "help", None)
        if original:
            param.help = i18n.gettext(original)
        option = param if isinstance(param, click.Option) else None
        shown_default = option.show_default if option is not None else None
        if option is not None and isinstance(shown_default, str):  # told in words
            option.show_default = i18n.gettext(shown_default)
        try:
            return get_help_record(ctx)
        finally:
            if original:
                param.help = original
            if option is not None:
                option.show_default = shown_default

    param.get_help_record = translated  # type: ignore[method-assign]
    make_metavar = param.make_metavar

    def translated_metavar(ctx: click.Context) -> str:
        return metavar_text(make_metavar(ctx))

    param.make_metavar = translated_metavar  # type: ignore[method-assign]


#: the words of metavars: ``DEPUTY_ID``, ``TEXT``, ``[OPTIONS]``'s ``OPTIONS``
METAVAR_WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Z][A-Z0-9_]*(?![A-Za-z0-9_])")
#: metavars of click's that are no parameter's (usage lines of commands and groups)
USAGE_METAVARS = ("OPTIONS", "COMMAND", "ARGS")


def metavar_text(metavar: str) -> str:
    """A metavar in the active language, word by word (``[zh|en]`` stays: values)."""
    if i18n.active_locale() is None:
        return metavar
    return METAVAR_WORD.sub(lambda m: i18n.pgettext(METAVAR_CONTEXT, m.group()), metavar)


def metavar_words(metavar: str) -> list[str]:
    """The words of ``metavar`` that are catalogued (under ``msgctxt "metavar"``)."""
    return METAVAR_WORD.findall(metavar)


# ------------------------------------------------------------------ errors


@cache
def _pattern(template: str) -> re.Pattern[str]:
    import string  # here: its Template class compiles a pattern at import (a --json report)

    regex: list[str] = []
    seen: set[str] = set()
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        regex.append(re.escape(literal))
        if field is None:
            continue
        if field.isidentifier() and field not in seen:
            seen.add(field)
            value = r"\S+?" if field.rstrip("_0123456789") in WORD_VALUES else ".+?"
            regex.append(f"(?P<{field}>{value})")
        else:
            regex.append(".+?")
    return re.compile(f"^{''.join(regex)}$", re.DOTALL)


#: placeholders whose value is one word (a number, a year): ``line {line}`` never
#: matches ``line 3 (a2, deputy.contact): …`` with the whole rest as its line
WORD_VALUES = frozenset(
    {"line", "count", "size", "year", "round", "applied", "skipped", "failed", "total", "n"}
)
#: placeholders whose value is itself a message (``Value error, {reason}``): translated too
NESTED = frozenset(
    {
        "reason",
        "message",
        "exc",
        "error",
        "problem",
        "summary",
        "cause",
        "first",
        "note",
        "label",  # a seal's label (Seal.label)
        "seal",
        "action",  # what could not be done when the store failed (store_fault)
    }
)
_LITERAL = re.compile(r"\{\w*\}")
_CJK = _LazyPattern(r"[\u3400-\u9fff]")


@cache
def _catalogue_templates(locale: str | None, context: str, generation: int) -> tuple[str, ...]:
    """The message ids with placeholders that ``locale``'s catalogue (and the plugins')
    holds under ``context``, most specific (longest literal text) first."""
    from renda_core.i18n_extract import has_words

    if locale is None:
        return ()
    prefix = f"{context}\x04"
    found = [
        key[len(prefix) :]
        for key in i18n.catalogue_keys(locale)
        if isinstance(key, str) and key.startswith(prefix) and "{" in key
    ]
    templates = [t for t in found if _LITERAL.search(t) and has_words(t)]
    return tuple(sorted(templates, key=lambda t: (-len(_LITERAL.sub("", t)), t)))


#: the head of a field that names a line of a file (``line 3: data.name``, ``line 3.code``)
#: or a row of a sheet (``row 1``: its header row)
_LINE_FIELD = re.compile(r"^(?:line|row) (\d+)(?=$|[:.])")


#: the command's options and arguments by the input field each fills, while its error
#: is shown (:func:`naming_options`)
_OPTION_NAMES: ContextVar[Mapping[str, str] | None] = ContextVar("renda_option_names", default=None)


def option_names(command: click.Command) -> dict[str, str]:
    """The options and arguments of ``command`` by the input field each fills (its
    ``field``, :class:`renda_core.cli.common.FieldOption`, else its own name): an option
    by its long name (``people_received`` → ``--received``), an argument by its
    metavar in the active language (``station_id`` → ``联络站ID``)."""
    names: dict[str, str] = {}
    for param in command.params:
        if param.name is not None and param.expose_value:
            field, shown = param_label(param)
            names[field] = shown
    return names


def param_label(param: click.Parameter) -> tuple[str, str]:
    """The input field an option or argument fills and how the clerk knows it
    (:func:`option_names`)."""
    field = getattr(param, "field", None) or param.name or ""
    if isinstance(param, click.Option):
        longs = [o for o in param.opts if o.startswith("--")]
        return field, (longs or param.opts)[0]
    return field, metavar_text(param.human_readable_name)


@contextmanager
def naming_options(names: Mapping[str, str]) -> Iterator[None]:
    """Within it, :func:`field_label` names a field by the option or argument that
    gave it (:func:`option_names`): a clerk typed ``--received``, not
    ``people_received``."""
    token = _OPTION_NAMES.set(names)
    try:
        yield
    finally:
        _OPTION_NAMES.reset(token)


#: a field that is one of the values of a repeated option (``deputies.0``)
_NTH_VALUE = re.compile(r"^(\d+)(?=$|\.)")


def option_label(field: str) -> str | None:
    """``field`` named by the option or argument that gave it, or ``None``."""
    root, dot, rest = field.partition(".")
    option = (_OPTION_NAMES.get() or {}).get(root)
    if option is None:
        return None
    nth = _NTH_VALUE.match(rest)
    if nth is None:
        return option + dot + rest
    shown = message("{option} (value {number})", option=option, number=int(nth.group(1)) + 1)
    return shown + rest[nth.end() :]


def field_label(field: str) -> str:
    """A field error's field as the clerk knows it: by the option or argument that
    gave it while a command's error is shown (:func:`naming_options`); else in the
    active language its ``line N`` or ``row N`` head (a line of an import file, a row of
    a sheet) translated, the envelope's or the sheet's own names after it as the file
    has them (``第 3 行 data.name``; ``line 3: data.name`` in English), a division
    row's column by its Chinese header (``line 3.kind``: ``第 3 行 类型``)."""
    option = option_label(field)
    if option is not None:
        return option
    found = _LINE_FIELD.match(field)
    if found is None or i18n.active_locale() is None:
        return field
    if field.startswith("row "):
        head = i18n.pgettext(i18n.ERROR_CONTEXT, "row {row}").format(row=found.group(1))
    else:
        head = i18n.pgettext(i18n.ERROR_CONTEXT, "line {line}").format(line=found.group(1))
    rest = field[found.end() :]
    if rest.startswith(": ") and i18n.language() == "zh":  # 第 3 行 data.name, no ASCII colon
        rest = " " + rest[2:]
    elif rest.startswith(".") and i18n.language() == "zh":  # a division row's 第 3 行 类型
        rest = " " + _column_name(rest[1:])
    return head + rest


def _column_name(key: str) -> str:
    """A column of a divisions sheet by its Chinese header (``kind``: 类型), else ``key``."""
    from renda_core.application.spreadsheets import DIVISION_COLUMNS

    return next((c.zh for c in DIVISION_COLUMNS if c.key == key), key)


def field_line(item: Mapping[str, Any]) -> str:
    """One field error on a line of its own: its field as the clerk knows it
    (:func:`field_label`), then its message, after the language's colon (``第 3 行
    data.name：必填字段``; ``line 3: data.name: field required``)."""
    return f"{field_label(str(item.get('field', '')))}{colon()}{field_message(item)}"


def _shown_value(name: str, value: str, depth: int) -> str:
    if name == "what":  # what a guard refuses (a catalogued phrase), else a noun
        phrase = i18n.pgettext(PHRASE_CONTEXT, value)
        if phrase == value and depth < 3:  # a phrase with values: "join {name}"
            phrase = translate_message(value, PHRASE_CONTEXT, depth=depth + 1)
        return phrase if phrase != value else i18n.pgettext(NOUN_CONTEXT, value)
    if name == "field":
        return field_label(value)
    if name == "label":  # the kind of record an id names: "no {label} with id …"
        noun = i18n.pgettext(NOUN_CONTEXT, value)
        if noun != value:
            return noun
    # an enum's value in the code's English becomes the term (by its own enumeration
    # when the command's fields name one); Chinese was typed (or is a label already)
    # and stays as it is: "recorded as 缺席" in English too
    from renda_core.cli.term_fields import vocabulary_of

    vocabulary = vocabulary_of(name, table_context())
    term = value if _CJK.search(value) else i18n.term_text(value, vocabulary)
    if term != value:
        return term
    alternatives = value.split(" or ") if vocabulary and not _CJK.search(value) else []
    if len(alternatives) > 1:  # the states a refusal asks for: "fed_back or out_of_scope"
        terms = [i18n.term_text(a, vocabulary) for a in alternatives]
        if all(t != a for t, a in zip(terms, alternatives, strict=True)):
            return ("或" if i18n.language() == "zh" else " or ").join(terms)
    if name in NESTED and depth < 3:
        return translate_message(value, i18n.ERROR_CONTEXT, depth=depth + 1)
    return value


def translate_message(
    text: str, context: str, templates: tuple[str, ...] = (), *, depth: int = 0
) -> str:
    """``text`` in the active language: catalogued as it is under ``context``, else
    the first of ``templates`` and then of the catalogue's templates that matches it,
    translated, with the values it matched put back (a value that is a catalogued term
    or, for :data:`NESTED` names, a message, translated too)."""
    exact = i18n.pgettext(context, text)
    if exact != text or not text:
        return exact
    catalogued = _catalogue_templates(i18n.active_locale(), context, i18n.generation())
    for template in (*templates, *catalogued):
        match = _pattern(template).match(text)
        if match is None:
            continue
        translated = i18n.pgettext(context, template)
        if translated == template and i18n.active_locale() != "en":
            return text
        values = {k: _shown_value(k, v, depth) for k, v in match.groupdict().items()}
        try:
            return translated.format(**values)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def translate_template(text: str, templates: tuple[str, ...]) -> str:
    """``text`` in the active language, matched against ``templates`` (then the error
    templates of the catalogue)."""
    return translate_message(text, i18n.ERROR_CONTEXT, templates)


class Verbatim:
    """A value :func:`message` shows as it is, never looked up as a term: a name the
    user types (``renda report deputies``: the report ``deputies``, not a word)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)


#: a value in ASCII parentheses after a space, in a template of placeholders only (not
#: catalogued: it has no words), set as Chinese sets it: 「答复期限 2026-06-08（省商务厅）」
#: (and its ``{a}: {b}`` as 「已转办：锦江区交通运输局」)
_WORDLESS_PARENS = re.compile(r" \((\{[a-z_]+\})\)")


def _wordless(template: str, translated: str) -> str:
    """A template of placeholders only (not catalogued: it has no words) punctuated as
    Chinese punctuates under Chinese: ``{a} {b} ({c})`` as ``{a} {b}（{c}）``, ``{a}: {b}``
    as ``{a}：{b}``; ``translated`` as it is otherwise."""
    if translated == template and i18n.language() == "zh":
        return _WORDLESS_PARENS.sub(r"（\1）", template).replace("}: {", "}：{")
    return translated


def message(template: i18n.MessageTemplate, /, **values: object) -> str:
    """A line a helper builds and prints, in the active language: ``template`` is its
    message id with named placeholders (catalogued under ``msgctxt "output"``, looked
    up as it is: never matched against other templates), formatted with ``values`` (a
    value that is a term shown by the enumeration its name means in the command,
    :mod:`renda_core.cli.term_fields`)."""
    if i18n.active_locale() is None:
        return template.format(**values)
    shown = {k: _shown_value(k, v, 0) if isinstance(v, str) else v for k, v in values.items()}
    translated = _wordless(template, i18n.pgettext(OUTPUT_CONTEXT, template))
    try:
        return translated.format(**shown)
    except (KeyError, IndexError, ValueError):
        return template.format(**values)


#: the mark of an input cut short in a message (``application.inputs.shown``, ``one_line``)
_ELIDED = re.compile(r"…\((\d+) characters\)")


def elided(count: int) -> str:
    """The mark of a value cut short after its head, in the active language."""
    return message("…({count} characters)", count=count)


def elisions(text: str) -> str:
    """``text`` with each mark of a value cut short (``…(10240 characters)``, as the
    application writes it) in the active language."""
    if i18n.active_locale() is None or "…(" not in text:
        return text
    return _ELIDED.sub(lambda found: elided(int(found.group(1))), text)


def output_text(text: str) -> str:
    """A line a command prints (``echo``) in the active language."""
    if i18n.active_locale() is None:
        return text
    return translate_message(text, OUTPUT_CONTEXT)


def cell_text(text: str, vocabulary: str | None = None) -> str:
    """A table cell in the active language: translated when it is a catalogued term (a
    status, a level, yes/no) — by its own enumeration when the column names one
    (:mod:`renda_core.cli.term_fields`) —, else as it is (names, ids, input)."""
    if i18n.active_locale() is None or not text:
        return text
    return i18n.term_text(text, vocabulary)


#: the command a message is about, when it is not the running one (an import's line)
_COMMAND_PATH: ContextVar[str | None] = ContextVar("renda_command_path", default=None)


@contextmanager
def speaking_of(command: object) -> Iterator[None]:
    """Within it, terms are shown as the command group of ``command`` (an import line's
    ``suggestion.submit``: ``renda suggestion``) shows them, so a refusal met during
    ``renda import`` names a status as the command itself would (``closed`` is
    已闭会 for a session, 已办结 for a suggestion)."""
    group = command.partition(".")[0] if isinstance(command, str) else ""
    if not group.isidentifier():
        yield
        return
    token = _COMMAND_PATH.set(f"renda {group}")
    try:
        yield
    finally:
        _COMMAND_PATH.reset(token)


def table_context() -> str | None:
    """The msgctxt of the tables the running command shows: its path
    (``"renda plan show"``), as :mod:`renda_core.i18n_tables` catalogues their labels;
    ``None`` outside a command."""
    standing_in = _COMMAND_PATH.get()
    if standing_in is not None:
        return standing_in
    ctx = click.get_current_context(silent=True)
    names: list[str] = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.command.name or ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["renda", *reversed(names)]) if names else None


def header_text(text: str, context: str | None = None) -> str:
    """A column header in the active language: its entry under ``context`` (the
    command's tables, :func:`table_context`), else its context-free entry."""
    if i18n.active_locale() is None or not text:
        return text
    if context and i18n.catalogued(text, context):
        return i18n.pgettext(context, text)
    return i18n.gettext(text)


def field_text_of(text: str, context: str | None = None) -> str:
    """The first cell of a row of a show table, a field's name ("registered_on"), in the
    active language when it is catalogued (under ``context`` first, as headers), else
    as it is."""
    if i18n.active_locale() is None:
        return text
    if context and i18n.catalogued(text, context):
        return i18n.pgettext(context, text)
    return i18n.gettext(text) if i18n.catalogued(text) else text


def field_text(message: str) -> str:
    """A field's validation message in the active language."""
    return translate_template(message, FIELD_TEMPLATES)


def _by_type(error_type: object, message: str) -> tuple[str | None, dict[str, str] | None]:
    """The message id of pydantic's ``error_type`` and the values its English
    ``message`` gives (an entry made without ``ctx``), or ``(None, None)``."""
    from renda_core.application.field_errors import MESSAGES

    msgid = MESSAGES.get(str(error_type))
    match = _pattern(msgid).match(message) if msgid else None
    if msgid is None or match is None:
        return None, None
    return msgid, match.groupdict()


def field_message(entry: Mapping[str, Any]) -> str:
    """The message of one field error of an :class:`InvalidInput` in the active
    language: by its ``msgid`` and ``params`` when it has them (pydantic's errors, by
    type: :mod:`renda_core.application.field_errors`; a ``reason``/``error`` value is a
    message too), else its message matched against the templates (:func:`field_text`);
    the marks of values cut short in that language too (:func:`elisions`)."""
    return elisions(_field_message(entry))


def _field_message(entry: Mapping[str, Any]) -> str:
    message = str(entry.get("message", ""))
    msgid = entry.get("msgid")
    params = entry.get("params")
    if i18n.active_locale() is None:
        return message
    if not isinstance(msgid, str) or not isinstance(params, dict):
        msgid, params = _by_type(entry.get("type"), message)
    if msgid is None or params is None:
        return field_text(message)
    if entry.get("type") == "enum" and "expected" in params:
        params = {**params, "expected": _expected_terms(str(params["expected"]))}
    values = {
        str(k): translate_message(str(v), i18n.ERROR_CONTEXT, depth=1) if k in NESTED else str(v)
        for k, v in params.items()
    }
    try:
        return i18n.pgettext(i18n.ERROR_CONTEXT, msgid).format(**values)
    except (KeyError, IndexError, ValueError):
        return message


_QUOTED_VALUE = re.compile(r"'([^']*)'")


def _expected_terms(expected: str) -> str:
    """The values an enumeration expects (``'male', 'female'``) as the terms a clerk
    writes under Chinese (男、女: each is accepted too), when they are one of the
    domain's labelled enumerations; else as pydantic gives them."""
    if i18n.language() != "zh":
        return expected
    from renda_core.domain.values import Labelled

    values = _QUOTED_VALUE.findall(expected)
    for enum in _labelled_enums(Labelled):
        if [m.value for m in enum] == values:
            return "、".join(m.label for m in enum)
    return expected


def _labelled_enums(base: type[Labelled]) -> Iterator[type[Labelled]]:
    for enum in base.__subclasses__():
        yield enum
        yield from _labelled_enums(enum)


#: where the copy of a rejected sheet went, appended to the error's message
COPY_NOTE = " — the sheet with a 错误说明 column: {target}"


def note_copy(error: RendaError, target: object) -> None:
    """Append where the copy of a rejected sheet (with its 错误说明 column) was written
    to ``error``'s message (English, as under ``--json``); :func:`error_text` shows
    the message in the active language with the note translated after it."""
    error.message += COPY_NOTE.format(target=target)
    error.copy_target = str(target)  # type: ignore[attr-defined]


def separator() -> str:
    """What separates the items of a list inside a sentence: ``; `` in English, ``；``
    in Chinese (「area：应为…；phone：应为…」)."""
    return "；" if (i18n.active_locale() or "").startswith("zh") else "; "


def colon() -> str:
    """What joins a field to its message: ``: `` in English, ``：`` in Chinese
    (「第 3 行 data.name：必填字段」)."""
    return "：" if (i18n.active_locale() or "").startswith("zh") else ": "


def error_text(error: RendaError) -> str:
    """``error``'s message in the active language (its own message when not
    catalogued, and outside a driver), the marks of values cut short in that language
    too (:func:`elisions`)."""
    return elisions(_error_text(error))


def _error_text(error: RendaError) -> str:
    if i18n.active_locale() is None:
        return error.message
    target = getattr(error, "copy_target", None)
    note = COPY_NOTE.format(target=target)
    if isinstance(target, str) and error.message.endswith(note):
        plain = copy.copy(error)
        plain.message = error.message.removesuffix(note)
        del plain.copy_target  # type: ignore[attr-defined]
        return _error_text(plain) + message(COPY_NOTE, target=target)
    msgid = getattr(error, "msgid", None)
    if msgid:  # its values shown as message() shows them: a field's line, a reason
        params = error.params
        values = {k: _shown_value(k, v, 0) if isinstance(v, str) else v for k, v in params.items()}
        if error.inner is not None and "message" in params:  # the error it reports
            with speaking_of(params.get("command")):  # an import line's: its own terms
                values["message"] = _error_text(error.inner)
        if isinstance(error, InvalidInput) and error.errors:  # "First: {field}: {reason}"
            first = error.errors[0]
            for key in ("message", "reason"):
                if params.get(key) == first.get("message") and params.get("field") == first.get(
                    "field"
                ):
                    values[key] = field_message(first)
        listed = params.get("listed")
        if isinstance(error, InvalidInput) and "summary" in params and isinstance(listed, int):
            # a summary of the first ``listed`` field errors: each in the active language
            values["summary"] = separator().join(field_line(e) for e in error.errors[:listed])
        try:
            return _wordless(msgid, i18n.pgettext(i18n.ERROR_CONTEXT, msgid)).format(**values)
        except (KeyError, IndexError, ValueError):
            return error.message
    if isinstance(error, InvalidInput) and error.errors:
        summary = "; ".join(f"{e.get('field', '')}: {e.get('message', '')}" for e in error.errors)
        if error.message == f"invalid input — {summary}":
            shown = separator().join(field_line(e) for e in error.errors)
            return i18n.pgettext(i18n.ERROR_CONTEXT, "invalid input — {summary}").format(
                summary=shown
            )
    return translate_template(error.message, ERROR_TEMPLATES)


#: the reasons the operating system gives for a path it cannot open (``strerror``),
#: which a parameter type's usage error ends with ("'/nope.csv': No such file or
#: directory"); catalogued under ``msgctxt "error"``
OS_ERRORS: tuple[str, ...] = (
    "No such file or directory",
    "Permission denied",
    "Is a directory",
    "Not a directory",
    "File name too long",
    "Too many levels of symbolic links",
    "Read-only file system",
    "No space left on device",
    "embedded null byte",
)


def usage_message(text: str) -> str:
    """The message of a parameter type's usage error (``self.fail(…)``: click shows it
    after "Invalid value for 'FILE':") in the active language: by its template, and an
    operating system's reason at its end by :data:`OS_ERRORS`."""
    if i18n.active_locale() is None:
        return text
    translated = translate_message(text, i18n.ERROR_CONTEXT)
    for reason in OS_ERRORS:
        if translated.endswith(reason):
            return translated[: -len(reason)] + i18n.pgettext(i18n.ERROR_CONTEXT, reason)
    return translated


def catalogued_messages() -> list[tuple[str, str]]:
    """(msgctxt, msgid) of the CLI's own messages: error and field templates, progress
    ``msgctxt`` is ``""`` for messages without one."""
    from renda_core.application import field_errors  # not at import: renda --help
    from renda_core.http import problems

    return [
        *((i18n.ERROR_CONTEXT, t) for t in ERROR_TEMPLATES),
        *((i18n.ERROR_CONTEXT, t) for t in OS_ERRORS),
        *((i18n.ERROR_CONTEXT, t) for t in FIELD_TEMPLATES),
        *((i18n.ERROR_CONTEXT, t) for t in field_errors.message_ids()),
        *((i18n.ERROR_CONTEXT, t) for t in problems.message_ids()),
        *((NOUN_CONTEXT, t) for t in NOUNS),
        *((METAVAR_CONTEXT, t) for t in USAGE_METAVARS),
        *((CLICK_TYPE_CONTEXT, t) for t in CLICK_TYPE_NAMES),
        ("", LANG_HELP),
        ("", LANG_DEFAULT),  # a command's own --lang, its default shown
        ("", "required"),  # click's "[required]", looked up through a variable
        (i18n.ERROR_CONTEXT, "line {line}"),  # field_label
        (i18n.ERROR_CONTEXT, "row {row}"),
    ]
