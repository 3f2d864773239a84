"""Generate the reference docs from the code: ``python -m renda_core.docgen cli`` writes
``docs/cli.md`` (from the Click commands, built-in plugins only; ``cli --lang zh`` its
Chinese edition ``docs/zh/cli.md``), ``python -m
renda_core.docgen events`` writes ``docs/events.md`` (from the aggregates) and
``python -m renda_core.docgen api`` writes ``docs/api.md`` (from the docstrings of what
``renda_core.__all__`` lists). ``python -m renda_core.docgen api-snapshot`` prints the
public names and signatures that ``tests/api/public_api.json`` pins; ``cli-index``
writes ``src/renda_core/cli/_index.json`` (what ``renda --help`` lists), ``plugin-index``
``src/renda_core/ports/_builtins.json`` (what each built-in adapter registers: a report
imports only its own). Tests check that the committed files are current.
"""

from __future__ import annotations

import inspect
from typing import Any

import click

from renda_core.domain.errors import ERROR_KINDS

HEADER = """# The `renda` command line

Generated from the commands by `python -m renda_core.docgen cli > docs/cli.md`; a test
checks it is current. Global options come before the command:
`renda --store renda.sqlite --actor clerk-1 --role staff deputy list`.

This page is in English, the language the code is written in; the Chinese edition,
generated the same way, is [zh/cli.md](zh/cli.md) (中文版). The CLI itself speaks
Chinese unless `--lang en`, `RENDA_LANG` or `LANG` say otherwise: help, messages and
table headings are translated when shown (`docs/i18n.md`); JSON keys and error kinds
never are.

## Conventions (every command; a test walks the command tree and checks them)

- **`--json` on every command.** Only JSON on stdout. A command that records something
  and has no JSON output of its own prints `{"recorded": [...], "ids": [...], "output":
  [...], "recorded_count": N}`: each event it recorded (record id, version, event, log
  position), the ids of the records it touched, and the lines it would have printed (the
  first 1,000 of each, with `"truncated": true` when there were more).
- **Errors under `--json`** are one JSON object on stderr,
  `{"error": kind, "message": ..., "fields": [{"field": ..., "message": ...}]}`, with the
  same exit code as without `--json`; a usage error (exit 2) is
  `{"error": "usage", ...}` there too.
- **Ids by unique prefix.** Wherever a command takes a record's id (`DEPUTY_ID`,
  `--deputy`, `--into`, …), the first 8 or more characters of it will do, as lists
  show them. A prefix that names several records is exit 3 listing the candidates; one
  that names none is exit 4.
- **Lists** (`renda … list`) take `--search TEXT` (any field; simplified and traditional
  Chinese match alike, through OpenCC), `--limit N`, `--offset N`, `--jsonl` (one JSON
  object a line) and `--format table|json|csv|xlsx` with `--headers zh|en` and
  `--output FILE`.
- **Spreadsheets.** `--format csv` writes UTF-8 with a BOM (Excel and WPS open it without
  garbling Chinese) and Chinese headers (`--headers en` gives the field keys); `--format
  xlsx` writes a formatted workbook (bold frozen header, fitted widths, number formats;
  a report gets a summary sheet and a sheet per table, the annual report a sheet per
  section). Spreadsheets in (`renda deputy import`, `renda area import`): .xlsx or CSV
  in UTF-8 (BOM or not), GBK or GB18030, with Chinese or English headers — see
  [office.md](office.md).
- **Long work** (`import`, `deputy import`, `projections rebuild`, `demo`) draws a
  progress bar on stderr when it is a terminal, and stays quiet otherwise.

## Exit codes

| code | kind | meaning |
|---|---|---|
| 0 | — | done |
| 1 | bug | an unexpected error (a traceback): please report it |
| 2 | usage | a missing or unknown option or argument, an unreadable file (Click's own message) |
"""

INPUT_RULES = """
## What the commands accept

The same rules hold for the CLI, `renda import` and an embedding system (they live in
`renda_core.application.inputs`); a value that breaks one is refused with exit 3 and
nothing is recorded.

**Dates** are `YYYY-MM-DD`.
- A *business date* (`--date`: when something happened) lies between 1949-10-01 (the
  earliest sensible date; `RENDA_EARLIEST_DATE` changes it) and today plus 31 days
  (a clerk may enter next month's planned meeting). "Today" is Beijing time.
- A *planned date* (`--due`, `--until`, a course's `--starts`/`--ends`, the days of a
  calendar year, `calendar due START`) may lie up to 20 years after today.
- A later event of a record is not dated before the record's own start: no contact
  before the liaison began, no correction before registration, no enrolment before the
  course was planned, no removal before the item was included, no merge before the
  suggestion reached its state (exit 5, `rule_violated`).
- Leaving `--date` out means today; `--date ''` is an error, never today.

**Texts** are kept exactly as typed (nothing is trimmed; Chinese text is verbatim), but:
- a required text of only spaces (full-width `　` too) is empty, and refused; a given
  optional text (`--note`) must not be blank either;
- names and short texts refuse control characters (C0, DEL, C1: the terminal escape
  `ESC` among them); long texts (bodies, replies, notes) allow newline and tab only;
- what the CLI prints escapes control characters (`\\x1b`), and rich markup in recorded
  text is printed literally (`[bold]` stays `[bold]`).

**References** name records that exist: `bulletin include --kind opinion --ref ID` needs
an existing opinion (an id that is not a UUID: exit 3; no such opinion: exit 4), a text
item carries no `--ref`.

**Global options**: `--actor ''`, `--role ''` (exit 3) and `--store ''` (exit 8) are
errors, never the defaults; a given `--actor`/`--role` is checked on every command.

**Files** (`renda import`, `calendar add`, `--body-file`) are UTF-8 (a BOM is allowed);
other bytes, or JSON nested deeper than 64 levels, are exit 3 naming the line.

## Errors

Every error is one line on stderr, `Error: <message>`, with the exit code of its kind.
Input shown back is escaped, and a value longer than 80 characters is shown as its
first 60 characters and its length: `'xxxx…(10240 characters)'`. (`renda import` lists
each further bad line of the file on stderr before that line.)

A field is named as the clerk typed it: by its option (`--received`, `--deputy (value
1)` for the first value of a repeated option) or its argument (`STATION_ID`), not by
the library's name for it (`people_received`); a file's own fields (an import's lines, a
sheet's cells) keep theirs.

With `--json`, an error is instead one JSON object on one line of **stderr** (stdout
stays empty), so a script tells it from a result by the stream and the exit code:

```json
{"error": "invalid_input", "message": "invalid input — --date: …",
 "fields": [{"field": "date", "option": "--date", "message": "…", "type": "…"}]}
```

`error` is the kind from the table above (`usage` for exit 2); `fields` lists each
field with its problem (empty for most other kinds): `field` is the library's name
(what an embedding system and the HTTP API call it), `option` the option or argument
that gave it when the command has one, `type` pydantic's error type when there is one.
`renda import --json` prints its summary (which carries the error) on stdout and the
error line on stderr.
"""


def _exit_codes() -> str:
    rows = [
        f"| {kind.exit_code} | `{kind.kind}` | {(kind.__doc__ or '').strip().splitlines()[0]} |"
        for kind in ERROR_KINDS
    ]
    return "\n".join(rows) + "\n"


def _command_doc(
    command: click.Command, path: list[str], ctx: click.Context, zh: bool = False
) -> list[str]:
    from renda_core import i18n
    from renda_core.cli.i18n import help_msgid, metavar_text

    name = " ".join(path)
    out = [f"## `{name}`", ""]
    help_text = inspect.cleandoc(command.help or "")
    if zh and help_text:
        help_text = i18n.gettext(help_msgid(command.help))
    if help_text:
        out += [help_text, ""]
    usage = command.collect_usage_pieces(ctx)
    out += ["```", f"{name} {' '.join(usage)}".rstrip(), "```", ""]
    options = [p for p in command.params if isinstance(p, click.Option) and not p.hidden]
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    if arguments:
        names = ", ".join(f"`{metavar_text(a.human_readable_name)}`" for a in arguments)
        out += [("参数：" if zh else "Arguments: ") + names, ""]
    if options:
        out += ["| 选项 | 说明 |" if zh else "| option | help |", "|---|---|"]
        for opt in options:
            record = opt.get_help_record(ctx)
            if record is None:
                continue
            flags, help_ = record
            out.append(f"| `{flags}` | {help_.replace('|', '/')} |")
        out.append("")
    if isinstance(command, click.Group):
        for sub_name in command.list_commands(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                sub_ctx = click.Context(sub, info_name=sub_name, parent=ctx)
                out += _command_doc(sub, [*path, sub_name], sub_ctx, zh)
    return out


def render_cli_index() -> str:
    """``src/renda_core/cli/_index.json``: the top-level commands' help, so that
    ``renda --help`` lists them without importing them."""
    from renda_core.cli import cli
    from renda_core.cli.lazy import LazyGroup, render_index

    assert isinstance(cli, LazyGroup)
    return render_index(cli)


def render_cli_markdown(lang: str = "en") -> str:
    """``docs/cli.md`` (``lang="en"``, as the code writes it) or its Chinese edition
    ``docs/zh/cli.md`` (``lang="zh"``: the help as ``renda --lang zh`` shows it)."""
    from renda_core import i18n
    from renda_core.cli import load_everything
    from renda_core.cli.i18n import bind_click

    cli = load_everything()

    ctx = click.Context(cli, info_name="renda")
    if lang == "zh":
        bind_click()  # click's own words ("required", "default") from the catalogue
        with i18n.use("zh_CN"):
            body = _command_doc(cli, ["renda"], ctx, zh=True)
            codes = _exit_codes_zh()
        return HEADER_ZH + codes + "\n" + "\n".join(body).rstrip() + "\n"
    with i18n.use(None):  # in English, as the code writes it (docs/i18n.md)
        body = _command_doc(cli, ["renda"], ctx)
    return HEADER + _exit_codes() + INPUT_RULES + "\n" + "\n".join(body).rstrip() + "\n"


HEADER_ZH = """# `renda` 命令行参考（中文版）

由 `python -m renda_core.docgen cli --lang zh > docs/zh/cli.md` 从命令生成，测试检查它是
最新的；内容与 `renda --lang zh … --help` 显示的一致。英文版（含输入规则等约定的完整说明）
见 [../cli.md](../cli.md)；语言的选择与翻译见 [../i18n.md](../i18n.md)。全局选项写在命令之前：
`renda --store renda.sqlite --actor clerk-1 --role staff deputy list`。

## 约定（每个命令都适用）

- **每个命令都有 `--json`**：标准输出只有 JSON；错误在 `--json` 下是标准错误上的一个 JSON
  对象 `{"error": 类别, "message": …, "fields": [...]}`，退出码不变。`error` 与 JSON 的键
  不随语言变化。
- **id 可用唯一前缀**：记录 id 的前 8 个或更多字符即可；对应多条记录时退出码 3 并列出候选。
- **列表**（`renda … list`）支持 `--search`、`--limit`、`--offset`、`--jsonl` 和
  `--format table|json|csv|xlsx`（`--headers zh|en`、`--output 文件`）。

## 退出码

| 退出码 | 类别 | 含义 |
|---|---|---|
| 0 | — | 完成 |
| 1 | bug | 意外错误（有回溯信息）：请报告 |
| 2 | usage | 缺少或未知的选项、参数，文件无法读取（click 的提示） |
"""

#: the exit codes' meanings in Chinese (docs/zh/cli.md)
EXIT_CODES_ZH = {
    "invalid_input": "输入未通过校验；fields 列出每个字段及其问题",
    "not_found": "所指的记录不存在",
    "rule_violated": "当前状态下不允许此命令（非法的状态转换）",
    "forbidden": "操作人的角色不能执行此命令",
    "concurrent_modification": "他人同时修改了同一记录；请重试",
    "store_unavailable": "无法连接事件存储，或无法理解其地址",
    "projection_failed": "追赶时有适配器失败；其余照常",
    "views_ahead": "视图领先于日志或来自另一个日志：请重建",
    "log_altered": "事件日志与其哈希链或封存不符：已被改动",
    "report_differs": "按来源信息重新计算的报告与所给报告不一致",
}


def _exit_codes_zh() -> str:
    rows = [
        f"| {kind.exit_code} | `{kind.kind}` | {EXIT_CODES_ZH.get(kind.kind, '')} |"
        for kind in ERROR_KINDS
    ]
    return "\n".join(rows) + "\n"


API_HEADER = """# The public API

Generated from the docstrings by `python -m renda_core.docgen api > docs/api.md`; a test
checks it is current. What `renda_core.__all__` lists is the public API: it follows
semantic versioning from 0.2 (a test compares the names and signatures with a committed
snapshot, `tests/api/public_api.json`, so a breaking change is a conscious one with a
changelog entry). Everything else — `renda_core.application`, `renda_core.cli`,
`renda_core.projections`, the internal `Renda` application — may change in any release.
Hook specifications for plugins are documented in [hooks.md](hooks.md); a complete
example is in [embedding.md](embedding.md).

```python
import renda_core
from renda_core import Actor

with renda_core.open("renda.sqlite", actor=Actor("clerk-1", "staff")) as app:
    deputy_id = app.register_deputy({...})
    print(app.get_deputy(str(deputy_id)).name)
```
"""

# The order of docs/api.md: the entry point, the object, its views, helpers, errors.
API_ORDER = (
    "open",
    "RendaAPI",
    "Actor",
    "retry_on_conflict",
    "Page",
    "RecordView",
    "DeputyView",
    "StationView",
    "OpinionView",
    "SuggestionView",
    "GroupView",
    "BulletinView",
    "CourseView",
    "DeputySummary",
    "SuggestionSummary",
    "EventView",
)


def _signature(obj: object) -> str:
    try:
        return str(inspect.signature(obj)).replace("'", "")  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "(...)"


def _public_members(cls: type) -> list[tuple[str, object]]:
    """The class's own public methods and properties (not pydantic's or object's)."""
    members = []
    for name, member in inspect.getmembers(cls):
        if name.startswith("_"):
            continue
        raw = inspect.getattr_static(cls, name)
        if isinstance(raw, property):
            owner = getattr(raw.fget, "__module__", "") or ""
        else:
            owner = getattr(member, "__module__", "") or ""
        if owner.startswith("renda_core") and (callable(member) or isinstance(raw, property)):
            members.append((name, raw if isinstance(raw, property) else member))
    return members


def _fields(cls: type) -> dict[str, str]:
    from pydantic import BaseModel

    if isinstance(cls, type) and issubclass(cls, BaseModel):
        return {n: _type_name(f.annotation) for n, f in cls.model_fields.items()}
    import dataclasses

    if dataclasses.is_dataclass(cls):
        return {f.name: str(f.type) for f in dataclasses.fields(cls)}
    return {}


def _type_name(annotation: object) -> str:
    text = getattr(annotation, "__name__", None) if isinstance(annotation, type) else None
    return (text or repr(annotation)).replace("typing.", "").replace("datetime.", "")


def _command_methods() -> dict[str, Any]:
    from renda_core.application.commands import COMMANDS

    return {spec.method: spec for spec in COMMANDS.values()}


def public_api() -> dict[str, object]:
    """The public names and their signatures, as ``tests/api/public_api.json`` pins them."""
    import renda_core

    names: dict[str, object] = {}
    for name in sorted(renda_core.__all__):
        obj = getattr(renda_core, name)
        if name == "__version__":
            continue
        if inspect.isclass(obj):
            entry: dict[str, object] = {
                "bases": [b.__name__ for b in obj.__bases__],
            }
            fields = _fields(obj)
            if fields:
                entry["fields"] = fields
            members = {
                n: "property" if isinstance(m, property) else _signature(m)
                for n, m in _public_members(obj)
            }
            if members:
                entry["members"] = members
            names[name] = entry
        else:
            names[name] = _signature(obj)
    return {"version": renda_core.__version__, "names": names}


def _doc(obj: object) -> str:
    return inspect.cleandoc(inspect.getdoc(obj) or "")


def render_api_markdown() -> str:
    import renda_core
    from renda_core.domain.errors import RendaError

    order = [n for n in API_ORDER if n in renda_core.__all__]
    rest = sorted(
        n
        for n in renda_core.__all__
        if n not in order
        and n != "__version__"
        and not (
            inspect.isclass(getattr(renda_core, n))
            and issubclass(getattr(renda_core, n), RendaError)
        )
    )
    out = [API_HEADER]
    for name in [*order, *rest]:
        obj = getattr(renda_core, name)
        if not inspect.isclass(obj):
            out += [f"## `{name}{_signature(obj)}`", "", _doc(obj), ""]
            continue
        out += [f"## class `{name}`", "", _doc(obj), ""]
        fields = _fields(obj)
        if fields:
            out += ["| field | type |", "|---|---|"]
            out += [f"| `{n}` | `{t.replace('|', chr(92) + '|')}` |" for n, t in fields.items()]
            out.append("")
        members = _public_members(obj)
        commands = [(n, m) for n, m in members if n in _command_methods()]
        for member_name, member in members:
            if member_name in _command_methods():
                continue
            if isinstance(member, property):
                out += [f"### `{name}.{member_name}` (property)", "", _doc(member), ""]
            else:
                sig = _signature(member).replace("(self, ", "(").replace("(self)", "()")
                out += [f"### `{name}.{member_name}{sig}`", "", _doc(member), ""]
        if commands:
            out += [
                f"### `{name}` commands",
                "",
                "Each command method takes the command — its pydantic model, or a mapping that",
                "validates into it (fields: `renda commands --json`, `docs/cli.md`) — and the",
                "actor (default: the one given to `open`). It checks the actor's role,",
                "validates, records, and returns what the table says.",
                "",
                "| method | command | model | returns | what it does |",
                "|---|---|---|---|---|",
            ]
            for member_name, member in commands:
                spec = _command_methods()[member_name]
                returns = inspect.signature(member).return_annotation  # type: ignore[arg-type]
                summary = _doc(member).split("\n\n")[0].replace("\n", " ").replace("|", "/")
                out.append(
                    f"| `{member_name}` | `{spec.name}` | `{spec.model.__name__}` "
                    f"| `{str(returns).replace('|', chr(92) + '|')}` | {summary} |"
                )
            out.append("")
    public = [getattr(renda_core, n) for n in renda_core.__all__]
    errors = [e for e in public if inspect.isclass(e) and issubclass(e, RendaError)]
    errors.sort(key=lambda e: (e is not RendaError, e.exit_code, e.__name__))
    out += [
        "## Errors",
        "",
        "Every error renda raises on purpose is a `RendaError` of one kind; on every error",
        "nothing is recorded. The kind's exit code is what the CLI exits with.",
        "",
        "| class | kind | CLI exit code | meaning |",
        "|---|---|---|---|",
    ]
    for error in errors:
        line = _doc(error).splitlines()[0] if _doc(error) else ""
        out.append(f"| `{error.__name__}` | `{error.kind}` | {error.exit_code} | {line} |")
    out += ["", f"Version {renda_core.__version__}."]
    return "\n".join(out).rstrip() + "\n"


def render_api_commands() -> str:
    """The source of ``renda_core/api/commands.py``: a typed method per application
    command. After adding a command: ``python -m renda_core.docgen api-commands >
    /tmp/commands.py`` (not straight into the file it imports), move it to
    ``src/renda_core/api/commands.py``, then ``ruff check --fix`` and ``ruff format`` it."""
    import textwrap
    from collections import defaultdict

    from renda_core.application.app import Renda
    from renda_core.application.commands import COMMANDS

    imports: dict[str, set[str]] = defaultdict(set)
    methods = []
    for spec in COMMANDS.values():
        method = getattr(Renda, spec.method)
        returns = inspect.signature(method).return_annotation
        imports[spec.model.__module__].add(spec.model.__name__)
        first = (inspect.getdoc(method) or spec.summary).split("\n\n")[0]
        doc = "\n        ".join(textwrap.wrap(" ".join(first.split()), 88))
        model = spec.model.__name__
        methods.append(
            f"""
    def {spec.method}(
        self, command: {model} | Mapping[str, Any], actor: Actor | None = None
    ) -> {returns}:
        \"\"\"{doc}

        Command ``{spec.name}``.
        \"\"\"
        return self._application.{spec.method}(command, self._acting(actor))
"""
        )
    head = API_COMMANDS_HEAD
    for module in sorted(imports):
        head += f"from {module} import {', '.join(sorted(imports[module]))}\n"
    return head + API_COMMANDS_CLASS + "".join(methods)


API_COMMANDS_HEAD = '''"""The commands of the public API: one typed method per application command.

Each takes the command's pydantic model (or a mapping that validates into it) and the
actor (default: the one given to :func:`renda_core.open`), and returns what the
application returns. A test checks that every application command has its method here.
Generated by ``python -m renda_core.docgen api-commands`` (then ``ruff check --fix``
and ``ruff format``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

'''

API_COMMANDS_CLASS = '''from renda_core.application.app import Renda
from renda_core.domain.values import Actor


class CommandMethods:
    """Mixin: the application commands, each checked, validated and recorded by the
    internal application."""

    _application: Renda

    def _acting(self, actor: Actor | None) -> Actor:
        raise NotImplementedError
'''


PERMISSIONS_HEADER = """# Permissions: every role × every command

Generated from the command registry by `python -m renda_core.docgen permissions >
docs/permissions.md`; a test checks it is current, and another tries every pair
through the application (every forbidden pair is refused with exit 6, `forbidden`,
and nothing is recorded).

Role kinds: `staff` (the deputy-affairs office), `auditor` (reads, seals, never
writes business events), `editor` (the bulletin's editors), `deputy:<id>`,
`unit:<name>` (a handling unit), `leader:<name>` (a provincial leader). A *write*
records business events; a *read* records nothing; an *operation* changes the store's
machinery and is recorded too (an `Operation.Performed` event, written before it runs).
The role is checked before anything is loaded or validated. What a permitted read
shows of personal data is the read policy, below the matrix.

"""


def render_permissions_markdown() -> str:
    """``docs/permissions.md``: the matrix of :func:`permission_matrix`."""
    from renda_core.application.permissions import ROLE_KINDS, permission_matrix

    lines = [PERMISSIONS_HEADER.rstrip("\n"), ""]
    lines.append("| command | kind | " + " | ".join(ROLE_KINDS) + " | what |")
    lines.append("|---|---|" + "---|" * len(ROLE_KINDS) + "---|")
    for name, kind, summary, allowed in permission_matrix():
        marks = " | ".join("✓" if allowed[r] else "·" for r in ROLE_KINDS)
        lines.append(f"| `{name}` | {kind} | {marks} | {summary.replace('|', '/')} |")
    from renda_core.application.readpolicy import READ_POLICY_DOC

    return "\n".join(lines) + "\n\n" + READ_POLICY_DOC


def main(argv: list[str]) -> None:  # pragma: no cover
    import os
    import sys

    # Only the built-in plugins: the reference must not depend on what is installed.
    sys._called_from_test = True  # type: ignore[attr-defined]
    os.environ["RENDA_PLUGINS"] = ""
    which = argv[0] if argv else "cli"
    if which == "events":
        from renda_core.domain.catalogue import render

        sys.stdout.write(render())
    elif which == "api":
        sys.stdout.write(render_api_markdown())
    elif which == "permissions":
        sys.stdout.write(render_permissions_markdown())
    elif which == "api-commands":
        sys.stdout.write(render_api_commands())
    elif which == "cli-index":
        sys.stdout.write(render_cli_index())
    elif which == "plugin-index":
        from renda_core.ports.builtin_index import render_builtin_index

        sys.stdout.write(render_builtin_index())
    elif which == "api-snapshot":
        import json

        sys.stdout.write(json.dumps(public_api(), ensure_ascii=False, indent=2) + "\n")
    else:
        lang = argv[argv.index("--lang") + 1] if "--lang" in argv[:-1] else "en"
        sys.stdout.write(render_cli_markdown(lang))


if __name__ == "__main__":  # pragma: no cover
    import sys

    main(sys.argv[1:])
