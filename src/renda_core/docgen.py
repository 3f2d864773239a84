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
| 2 | usage | a missing or unknown option or argument (Click's own message) |
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
    return HEADER + _exit_codes() + "\n" + "\n".join(body).rstrip() + "\n"


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
