"""A command whose ``--date`` is required refuses to run without it (click's usage
error, exit 2), rather than reaching validation with no date."""

from __future__ import annotations

import click
from click.testing import CliRunner

from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.cli.conventions import walk


def test_every_required_date_option_is_missing_when_left_out() -> None:
    ctx = click.Context(cli)
    required = [
        (command.name, param)
        for command in walk(cli, ctx)
        for param in command.params
        if isinstance(param, click.Option) and "--date" in param.opts and param.required
    ]
    assert len(required) > 10  # resume, announce, term add, …
    for name, param in required:
        assert param.value_is_missing(param.get_default(ctx)), name


def test_resume_without_a_date_names_the_missing_option(tmp_path: object) -> None:
    store = f"{tmp_path}/s.sqlite"
    result = CliRunner().invoke(
        cli,
        ["--store", store, "deputy", "resume", "00000000-0000-0000-0000-000000000001"],
        obj=Env(store=store),
    )
    assert result.exit_code == 2, result.output
    assert "--date" in result.output
    assert "valid date" not in result.output
