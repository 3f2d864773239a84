"""``renda report <name>``: one subcommand per registered report."""

from __future__ import annotations

from typing import Any

import click

from renda_core.cli.asof import as_of_params, take_as_of
from renda_core.cli.common import RendaGroup, choices, emit, env
from renda_core.cli.context import Env
from renda_core.cli.shaping import export_params
from renda_core.domain.values import Level
from renda_core.ports.plugins import collect_reports, get_plugin_manager
from renda_core.projections import asof
from renda_core.projections.provenance import stamp_report
from renda_core.projections.reports import run_report


class ReportGroup(RendaGroup):
    """``renda report <name>``: one subcommand per report that plugins registered, plus
    commands added to the group directly (``renda report annual``)."""

    def _reports(self, ctx: click.Context) -> dict[str, Any]:
        obj = ctx.find_object(Env)
        pm = obj.plugins() if obj is not None else get_plugin_manager()

        return collect_reports(pm)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(self._reports(ctx)))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands:
            return self.commands[name]
        report = self._reports(ctx).get(name)
        if report is None:
            return None
        return _report_command(report)


def _report_command(report: Any) -> click.Command:
    @click.pass_context
    def run(
        ctx: click.Context,
        /,
        as_json: bool,
        as_of: str | None,
        as_of_date: str | None,
        area: str | None,
        level: str | None,
        lang: str,
        **options: Any,
    ) -> None:
        e = env(ctx)
        level_value = None
        if level:
            from renda_core.application.commands import LevelField, parse_value

            level_value = parse_value(LevelField, level, "level").value
        moment = take_as_of(as_of, as_of_date)
        built_at = asof.now()
        data = run_report(
            e.read_runner(), report, as_of=moment, area=area, level=level_value, **options
        )
        if as_json:  # the JSON says what it reflects (`renda audit reproduce` checks it)
            data = stamp_report(
                e.read_runner(),
                report,
                data,
                as_of=moment,
                built_at=built_at,
                area=area,
                level=level_value,
                options=options,
            )
        render = (lambda: report.render(data, lang)) if report.render else None
        emit(data, as_json, render, title=report.name)

    params = [
        *as_of_params(),
        click.Option(["--area"], help="Only this division code prefix, e.g. 2201."),
        click.Option(["--level"], help=f"Only deputies of this level: {choices(Level)}."),
        click.Option(
            ["--lang"],
            type=click.Choice(["zh", "en"]),
            default="zh",
            show_default=True,
            help="Labels of the table.",
        ),
        click.Option(["--json", "as_json"], is_flag=True, help="Print only JSON on stdout."),
        *export_params(),
        *report.options,
    ]
    return click.Command(report.name, callback=run, params=params, help=report.title)


@click.group(cls=ReportGroup)
def report() -> None:
    """Reports read from the adapters' views (brought up to date first)."""
