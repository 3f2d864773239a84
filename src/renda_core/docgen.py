"""Generate the reference docs from the code: ``python -m renda_core.docgen cli`` writes
``docs/cli.md`` (from the Click commands, built-in plugins only) and ``python -m
renda_core.docgen events`` writes ``docs/events.md`` (from the aggregates). Tests check
that the committed files are current.
"""

from __future__ import annotations

import inspect

import click

from renda_core.domain.errors import ERROR_KINDS

HEADER = """# The `renda` command line

Generated from the commands by `python -m renda_core.docgen cli > docs/cli.md`; a test
checks it is current. Every command that prints data takes `--json` (only JSON on
stdout). Global options come before the command:
`renda --store renda.sqlite --actor clerk-1 --role staff deputy list`.

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

With `--json`, an error is instead one JSON object on one line of **stdout** (stderr
stays empty), so a script reads one stream:

```json
{"error": "invalid_input", "message": "invalid input — date: …",
 "fields": [{"field": "date", "message": "…"}]}
```

`error` is the kind from the table above; `fields` lists each field with its problem
(empty for kinds other than `invalid_input`). `renda import --json` prints its summary
(which carries the error) on stdout and the error line on stderr.
"""


def _exit_codes() -> str:
    rows = [
        f"| {kind.exit_code} | `{kind.kind}` | {(kind.__doc__ or '').strip().splitlines()[0]} |"
        for kind in ERROR_KINDS
    ]
    return "\n".join(rows) + "\n"


def _command_doc(command: click.Command, path: list[str], ctx: click.Context) -> list[str]:
    name = " ".join(path)
    out = [f"## `{name}`", ""]
    help_text = inspect.cleandoc(command.help or "")
    if help_text:
        out += [help_text, ""]
    usage = command.collect_usage_pieces(ctx)
    out += ["```", f"{name} {' '.join(usage)}".rstrip(), "```", ""]
    options = [p for p in command.params if isinstance(p, click.Option) and not p.hidden]
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    if arguments:
        out += ["Arguments: " + ", ".join(f"`{a.human_readable_name}`" for a in arguments), ""]
    if options:
        out += ["| option | help |", "|---|---|"]
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
                out += _command_doc(sub, [*path, sub_name], sub_ctx)
    return out


def render_cli_markdown() -> str:
    from renda_core.cli import cli

    ctx = click.Context(cli, info_name="renda")
    body = _command_doc(cli, ["renda"], ctx)
    return HEADER + _exit_codes() + INPUT_RULES + "\n" + "\n".join(body).rstrip() + "\n"


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
    else:
        sys.stdout.write(render_cli_markdown())


if __name__ == "__main__":  # pragma: no cover
    import sys

    main(sys.argv[1:])
