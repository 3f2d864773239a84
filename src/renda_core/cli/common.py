"""Shared pieces of the CLI: the error mapping, shared options, rendering."""

from __future__ import annotations

import json
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from renda_core.cli.context import Env
from renda_core.domain.errors import InvalidInput, RendaError, StoreUnavailable

F = TypeVar("F", bound=Callable[..., Any])


def escape_controls(text: str, *, keep_newlines: bool = False) -> str:
    """:func:`renda_core.application.inputs.escape_controls`, imported on first use."""
    from renda_core.application.inputs import escape_controls

    return escape_controls(text, keep_newlines=keep_newlines)


def shown(value: object) -> str:
    """:func:`renda_core.application.inputs.shown`, imported on first use."""
    from renda_core.application.inputs import shown

    return shown(value)


_QUOTED = re.compile(r"'([^']{81,})'", re.DOTALL)


def one_line(message: str, limit: int = 400) -> str:
    """An error message as one terminal-safe line: control characters escaped, quoted
    inputs longer than 80 characters elided, the whole clipped at ``limit`` (the marks
    of what was cut in the active language)."""
    from renda_core.cli.i18n import elided, elisions

    text = _QUOTED.sub(lambda m: f"'{shown(m.group(1))}'", message)
    text = elisions(escape_controls(text))  # the marks of the quoted inputs cut here
    if len(text) > limit:
        text = f"{text[: limit - 40]}{elided(len(text))}"
    return text


class RendaClickError(click.ClickException):
    """A domain error at the CLI edge: one clerk-readable line and its exit code.

    Under ``--json`` the error is a JSON object on stderr instead (same exit code):
    ``{"error": kind, "message": ..., "fields": [...]}``.
    """

    def __init__(
        self, error: RendaError, as_json: bool = False, options: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(error.message)
        self.error = error
        self.as_json = as_json
        self.exit_code = error.exit_code  # type: ignore[misc]
        #: the failed command's options and arguments by the field each fills
        #: (:func:`renda_core.cli.i18n.option_names`): a field is named as it was typed
        self.options: Mapping[str, str] = options or {}

    def format_message(self) -> str:
        from renda_core.cli.i18n import error_text, naming_options

        with naming_options(self.options):
            return one_line(error_text(self.error))

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``--json``: each field by the library's name (``field``),
        the option or argument that gave it (``option``) when the command has one."""
        from renda_core.cli.i18n import field_message, naming_options, option_label

        fields = []
        with naming_options(self.options):
            for f in getattr(self.error, "errors", []):
                entry = {"field": one_line(f["field"])}
                option = option_label(f["field"])
                if option is not None:
                    entry["option"] = one_line(option)
                entry["message"] = one_line(field_message(f))
                if "type" in f:
                    entry["type"] = f["type"]
                fields.append(entry)
        return {"error": self.error.kind, "message": self.format_message(), "fields": fields}

    def show(self, file: IO[Any] | None = None) -> None:
        if self.as_json:
            click.echo(json.dumps(self.to_dict(), ensure_ascii=False), file=file or sys.stderr)
        else:
            super().show(file)


class RendaGroup(click.Group):
    """Maps domain errors to exit codes for every subcommand. As the root of an
    invocation, it first activates the language asked for (``docs/i18n.md``)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        if parent is None:
            from renda_core.cli.i18n import activate_for

            activate_for(args)
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]  # click clears them
        try:
            return super().invoke(ctx)
        except RendaError as error:
            obj = ctx.find_object(Env)
            raise RendaClickError(error, bool(obj and obj.as_json), self._options(ctx)) from error
        except click.UsageError as error:
            if isinstance(error, click.BadParameter) and not hasattr(error, "renda_shown"):
                from renda_core.cli.i18n import usage_message

                shown = usage_message(error.message)  # a type's own, self.fail(…)
                error.message = shown  # type: ignore[misc]
                error.renda_shown = True  # type: ignore[attr-defined]
            if isinstance(error, JsonUsageError) or not _wants_json(ctx, rest):
                raise
            raise JsonUsageError(error) from error

    def _options(self, ctx: click.Context) -> dict[str, str]:
        """The options and arguments of the subcommand that failed, by the field each
        fills (the innermost group catches its error first)."""
        from renda_core.cli.i18n import option_names

        name = ctx.invoked_subcommand
        command = self.get_command(ctx, name) if name else None
        return option_names(command) if command is not None else {}


def _wants_json(ctx: click.Context, rest: list[str]) -> bool:
    """``--json`` was given (before any ``--``) to the command that failed."""
    obj = ctx.find_object(Env)
    if obj is not None and obj.as_json:
        return True
    return "--" not in rest[: rest.index("--json")] if "--json" in rest else False


class JsonUsageError(click.UsageError):
    """A usage error (exit 2) under ``--json``: a JSON object on stderr too."""

    def __init__(self, error: click.UsageError) -> None:
        super().__init__(error.format_message(), error.ctx)
        self.param = getattr(error, "param", None)

    def show(self, file: IO[Any] | None = None) -> None:
        from renda_core.cli.i18n import param_label

        fields = []
        if self.param is not None:  # the field it fills, and the option as typed
            field, option = param_label(self.param)
            fields.append({"field": field, "option": option, "message": one_line(self.message)})
        payload = {"error": "usage", "message": one_line(self.message), "fields": fields}
        click.echo(json.dumps(payload, ensure_ascii=False), file=file or sys.stderr)


def _remember_json(ctx: click.Context, _: click.Parameter, value: bool) -> bool:
    if value:
        env(ctx).as_json = True
    return value


class InputFile(click.File):
    """``click.File`` for reading bytes: a path Python cannot even open (a NUL in it)
    is a usage error like a missing file, not a traceback."""

    def __init__(self) -> None:
        super().__init__("rb")

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except (ValueError, click.BadParameter) as exc:  # click says the whole path: elide it
            reason: object = exc
            try:
                with open(value, "rb"):
                    pass
            except (OSError, ValueError) as error:
                reason = getattr(error, "strerror", None) or error
            self.fail(f"{shown(value)!r}: {reason}", param, ctx)


class _FilePath(click.types.StringParamType):
    """A file path: a path Python cannot open (empty, a NUL or another control
    character in it, a name too long) is a usage error, not a traceback; what else it
    must be is the subclass's :meth:`check`."""

    name = "file"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, Path):
            return value
        text = str(value)
        if not text or any(ord(ch) < 32 for ch in text):
            self.fail(f"{shown(text)!r} is not a file path", param, ctx)
        try:
            path = Path(text).expanduser()
        except RuntimeError:  # ~nobody/…: no such user
            self.fail(f"{shown(text)!r} names the home folder of a user unknown here", param, ctx)
        try:
            self.check(path, text, param, ctx)
        except (OSError, ValueError) as exc:  # e.g. a name too long for the file system
            self.fail(f"{shown(text)!r}: {getattr(exc, 'strerror', None) or exc}", param, ctx)
        return path

    def check(
        self, path: Path, text: str, param: click.Parameter | None, ctx: click.Context | None
    ) -> None:
        """Fail (:meth:`fail`) when ``path`` (typed as ``text``) cannot be used."""
        raise NotImplementedError


class OutputPath(_FilePath):
    """A file to write: its folder must exist (:class:`_FilePath`)."""

    def check(
        self, path: Path, text: str, param: click.Parameter | None, ctx: click.Context | None
    ) -> None:
        if path.is_dir():
            self.fail(f"{shown(text)!r} is a folder; give a file path", param, ctx)
        if not path.parent.is_dir():
            self.fail(f"the folder {shown(str(path.parent))!r} does not exist", param, ctx)


class InputPath(_FilePath):
    """A file to read, given as a path (its name matters: an export beside its
    manifest): it must be a file that exists (:class:`_FilePath`)."""

    def check(
        self, path: Path, text: str, param: click.Parameter | None, ctx: click.Context | None
    ) -> None:
        if not path.exists():
            self.fail(f"{shown(text)!r} does not exist", param, ctx)
        if not path.is_file():
            self.fail(f"{shown(text)!r} is not a file", param, ctx)


def write_output(path: Path, text: str) -> None:
    """Write a command's output file; a failure is one line (exit 3), not a traceback."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(
            f"cannot write {shown(str(path))}: {exc.strerror or exc}",
            [{"field": "output", "message": "not writable"}],
        ) from None


#: the help of every ``--json`` (a command's own, or the one the convention adds)
JSON_HELP = "Print the result as JSON on stdout; an error is a JSON object on stderr."


def json_option(fn: F) -> F:
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        is_eager=True,
        callback=_remember_json,
        help=JSON_HELP,
    )(fn)


class FieldOption(click.Option):
    """An option whose value fills an input field of another name (``--date`` is the
    parameter ``on`` and fills ``date``): an error in that field names the option."""

    def __init__(self, *args: Any, field: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field = field


def date_option(
    required: bool = False, help: str = "Business date (YYYY-MM-DD)."
) -> Callable[[F], F]:
    return click.option(
        "--date",
        "on",
        cls=FieldOption,
        field="date",
        required=required,
        callback=_given_date,
        help=help + ("" if required else " Defaults to today (Beijing time)."),
    )


def _given_date(_: click.Context, __: click.Parameter, value: str | None) -> str | None:
    """An empty ``--date ''`` is an error, never "today"; only an omitted one is today."""
    if value is not None and not value.strip():
        raise InvalidInput(
            "--date: empty; give a date like 2024-12-31, or leave the option out for today",
            [{"field": "date", "message": "empty"}],
        )
    return value


def with_name(value: str, name: object) -> str:
    """A code or an id with the name it stands for: 「510104（锦江区）」 under Chinese,
    ``510104 (锦江区)`` otherwise; ``value`` alone without a name."""
    from renda_core.i18n import language

    if not name:
        return value
    return f"{value}（{name}）" if language() == "zh" else f"{value} ({name})"


def named(read: Callable[[str], dict[str, Any]], key: str) -> str | None:
    """The ``name`` of the record ``read(key)`` gives (a division by its code, a
    station or a deputy by its id), or ``None`` when it cannot be read."""
    try:
        return str(read(key)["name"])
    except RendaError:
        return None


def today() -> str:
    """Today's business date (Beijing time, or the date tests fixed) as YYYY-MM-DD."""
    from renda_core.application import inputs

    return inputs.today().isoformat()


def echo(text: str) -> None:
    """``click.echo`` for lines that carry recorded text: control characters escaped,
    the line in the active language when it is catalogued (``docs/i18n.md``)."""
    click.echo(escape_controls(say(text), keep_newlines=True))


def say(text: str) -> str:
    """``text`` (a line a command prints) in the active language (``docs/i18n.md``)."""
    from renda_core.cli.i18n import output_text

    return output_text(text)


def choices(enum: Any) -> str:
    return ", ".join(f"{m.value} ({m.label})" for m in enum)


def parse_choice(enum: Any, value: str | None, field: str) -> str | None:
    """The value of ``enum``'s member named by ``value`` (its value or Chinese label);
    None for no value; an unknown one is invalid input naming ``field``."""
    if not value:
        return None
    try:
        return str(enum.parse(value).value)
    except ValueError as exc:
        raise InvalidInput(str(exc), [{"field": field, "message": str(exc)}]) from None


def parse_level(ctx: click.Context, level: str, area: str | None = None) -> str:
    """A ``--level`` value as a command field reads it: 区 for county, 省级 for
    provincial; 市 in a municipality's store (or ``area``) is the municipality's own,
    provincial-level congress (the store is opened only to tell that)."""
    from renda_core.application import commands

    return commands.parse_level(level, area, lambda: env(ctx).get_app().store_province())


def emit_record(
    data: dict[str, Any], as_json: bool, title: str, rows: Callable[[], list[tuple[str, Any]]]
) -> None:
    """A ``show`` command's output: ``data`` as JSON, or a two-column table of the
    (label, value) pairs ``rows`` gives (None shows empty)."""

    def render() -> Any:
        from rich.table import Table

        table = Table(title=title, show_header=False)
        for key, value in rows():
            table.add_row(key, "" if value is None else str(value))
        return table

    emit(data, as_json, render)


def emit_rows(
    rows: list[dict[str, Any]],
    as_json: bool,
    title: str,
    columns: tuple[str, ...],
    cells: Callable[[dict[str, Any]], tuple[str, ...]],
) -> None:
    """A ``list`` command's output: ``rows`` as JSON, or a table of ``columns`` with
    the ``cells`` of each row."""

    def render() -> Any:
        from rich.table import Table

        table = Table(title=title)
        for col in columns:
            table.add_column(col)
        for r in rows:
            table.add_row(*cells(r))
        return table

    emit(rows, as_json, render)


def env(ctx: click.Context) -> Env:
    obj = ctx.ensure_object(Env)
    assert isinstance(obj, Env)
    return obj


def emit(
    data: Any, as_json: bool, render: Callable[[], Any] | None = None, *, title: str = ""
) -> None:
    """Print ``data`` as JSON, or the table ``render`` builds. Table text is shown
    literally: no rich markup (``[bold]`` in a name stays as typed), control
    characters escaped.

    A command with :func:`list_options` or :func:`export_options` gets them applied
    here, once for all: a list is searched and paged in place (so ``render`` shows the
    same rows), ``--jsonl`` streams one JSON object a line, ``--format csv|xlsx``
    writes a spreadsheet (see :mod:`renda_core.cli.shaping`)."""
    from renda_core.cli import shaping

    if shaping.shape_and_export(data, title):
        return
    if as_json or render is None:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        from rich.console import Console

        Console(markup=False, highlight=False, emoji=False).print(literal(render()))


def literal(renderable: Any, vocabulary: str | None = None) -> Any:
    """A table (or text) with every string it carries made terminal-safe; a table's
    title, caption, column headers and catalogued cells (statuses, levels, yes/no) in
    the active language (``docs/i18n.md``): headers and field names as the command's
    tables label them, a value by the enumeration its column or field names
    (``vocabulary``, :mod:`renda_core.cli.term_fields`)."""
    from rich.table import Table
    from rich.text import Text

    from renda_core.cli.i18n import cell_text, field_text_of, header_text, table_context
    from renda_core.cli.term_fields import vocabulary_of
    from renda_core.i18n import gettext

    if isinstance(renderable, str):
        return Text(escape_controls(cell_text(renderable, vocabulary), keep_newlines=True))
    if isinstance(renderable, Table):
        for attr in ("title", "caption"):
            value = getattr(renderable, attr)
            if isinstance(value, str):
                setattr(renderable, attr, Text(escape_controls(gettext(value))))
        keyed = len(renderable.columns) == 2  # a show table: field names, then values
        context = table_context()  # each command's tables label under their own context
        fields = list(renderable.columns[0]._cells) if keyed else []
        for index, column in enumerate(renderable.columns):
            header = column.header if isinstance(column.header, str) else ""
            if isinstance(column.header, str):
                column.header = Text(escape_controls(header_text(column.header, context)))
            kinds = [vocabulary_of(header, context)] * len(column._cells)
            if keyed and index == 0:
                column._cells = [
                    literal(field_text_of(c, context) if isinstance(c, str) else c)
                    for c in column._cells
                ]
            elif keyed:
                kinds = [vocabulary_of(f, context) if isinstance(f, str) else None for f in fields]
            pairs = zip(column._cells, kinds, strict=False)
            column._cells = [literal(cell, kind) for cell, kind in pairs]
    return renderable


def parse_date(value: str | None, field: str, *, planned: bool = False) -> date | None:
    """A date option by the one date policy: a business date, or a planned date (one
    that may lie further ahead). ``None`` stays ``None``; an empty value is an error."""
    if value is None:
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"{field}: '{shown(value)}' is not a date like 2023-12-31",
            [{"field": field, "message": "expected YYYY-MM-DD"}],
        ) from None
    from renda_core.application.commands import BusinessDate, PlannedDate, parse_value

    kind: Any = PlannedDate if planned else BusinessDate
    parsed: date = parse_value(kind, value, field)
    return parsed


MAX_JSON_DEPTH = 64  # an import envelope is 3 levels deep; nothing sensible nests deeper


def decode_utf8(raw: bytes) -> str:
    """A file's bytes as text (UTF-8, a BOM allowed); other bytes are invalid input
    naming the line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            f"line {line}: not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            [{"field": f"line {line}", "message": "not UTF-8"}],
        ) from None


def check_json_depth(text: str, where: str) -> None:
    """Refuse JSON nested deeper than :data:`MAX_JSON_DEPTH` before parsing it (the
    parser would hit Python's recursion limit)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise InvalidInput(
                    f"{where}: JSON nested deeper than {MAX_JSON_DEPTH} levels",
                    [{"field": f"{where}: json", "message": "nested too deeply"}],
                )
        elif char in "]}":
            depth -= 1


@contextmanager
def stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop`` while a command follows the log (``events export
    --follow``, ``deliver run --follow``): it ends after the work in hand, with exit 0,
    as systemd's stop and a clerk's Ctrl-C expect; not on the main thread, nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    for s in previous:
        signal.signal(s, lambda *_: stop.set())
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def store_outage(error: StoreUnavailable, pause: float) -> None:
    """A follower's pass the store could not serve (``deliver run --follow``, ``events
    export --follow``): said on stderr (the journal, under systemd) in the clerk's
    language, with the pause before the next one; the follower goes on."""
    from renda_core.cli.i18n import error_text, message

    click.echo(
        message(
            "the store is unavailable ({error}); trying again in {seconds} s",
            error=error_text(error),
            seconds=f"{pause:g}",
        ),
        err=True,
    )
