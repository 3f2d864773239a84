"""Performance assessment (代表履职考核) over the duty record: the built-in example
scheme and ``renda report assessment``."""

from __future__ import annotations

from typing import Any

from renda_adapters.assessment.cli import report_assessment
from renda_adapters.assessment.report import assess, run_assessment
from renda_adapters.assessment.scheme import ExampleScheme
from renda_core.ports import hookimpl


@hookimpl
def renda_register_assessment(register: Any) -> None:
    register(ExampleScheme())


@hookimpl
def renda_register_commands(cli: object) -> None:
    import click

    assert isinstance(cli, click.Group)
    report_group = cli.commands.get("report")
    if isinstance(report_group, click.Group):
        report_group.add_command(report_assessment)


__all__ = ["ExampleScheme", "assess", "report_assessment", "run_assessment"]
