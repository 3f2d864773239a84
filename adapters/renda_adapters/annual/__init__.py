"""The annual work report (代表工作年度报告), regenerated from the event log.

``renda report annual --year Y [--area P] [--level L] [--as-of MOMENT]
[--format table|json|csv|xlsx|markdown|html|text] [--lang zh|en] [--output FILE] [--schema]``

Sections follow the seed: training, stations, liaison, suggestions, deputy groups, the
bulletin. Every figure comes from the section adapters' materialized views; the JSON has
stable snake_case names (``docs/reports.md``) and a published JSON Schema.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import click
import pluggy

from renda_core.application.commands import LevelField, parse_value
from renda_core.cli.common import choices, env
from renda_core.cli.report_options import check_year, report_options, write_result
from renda_core.domain.values import Level
from renda_core.ports import hookimpl
from renda_core.projections.asof import AsOf, business_today

from .build import build_annual, describe_store, now_label, report_position
from .model import AnnualReport
from .render import (
    FORMATS,
    render_csv,
    render_html,
    render_markdown,
    render_table,
    render_text,
    render_xlsx,
    rendering,
)

TEMPLATE_FILES = {
    ("annual.text", "zh"): "annual.zh.text.j2",
    ("annual.text", "en"): "annual.en.text.j2",
    ("annual.html", "zh"): "annual.html.j2",
    ("annual.html", "en"): "annual.html.j2",
}


def annual_schema() -> dict[str, Any]:
    """The JSON Schema of ``renda report annual --format json``."""
    return AnnualReport.model_json_schema()


def template_source(pm: pluggy.PluginManager, province: str | None = None) -> Any:
    """A loader function asking the plugins (then the built-ins) for a template for
    the data of ``province`` (two digits, or ``None``)."""

    def source(name: str, lang: str) -> str | None:
        found = pm.hook.renda_report_template(name=name, lang=lang, province=province)
        return found if isinstance(found, str) else None

    return source


def render(
    data: dict[str, Any],
    fmt: str,
    lang: str,
    pm: pluggy.PluginManager,
    provenance: dict[str, Any] | None = None,
) -> Any:
    """The report in ``fmt``: a string, or a rich renderable for ``table``.
    ``provenance`` (the page's footer): see :func:`render_html`."""
    with rendering(data):
        return _render(data, fmt, lang, pm, provenance)


def _render(
    data: dict[str, Any],
    fmt: str,
    lang: str,
    pm: pluggy.PluginManager,
    provenance: dict[str, Any] | None,
) -> Any:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2)
    if fmt == "csv":
        return render_csv(data)
    if fmt == "xlsx":
        return render_xlsx(data, lang)
    if fmt == "markdown":
        return render_markdown(data, lang)
    province = data["meta"].get("province")
    if fmt == "text":
        return render_text(data, lang, template_source(pm, province))
    if fmt == "html":
        return render_html(data, lang, template_source(pm, province), provenance)
    return render_table(data, lang)


@hookimpl
def renda_report_template(name: str, lang: str) -> str | None:
    file = TEMPLATE_FILES.get((name, lang))
    if file is None:
        return None
    return resources.files(__name__).joinpath("templates", file).read_text(encoding="utf-8")


@click.command(name="annual")
@report_options(
    formats=FORMATS,
    year_help="The year reported, by business dates (default: the year before the --as-of "
    "day, else last year).",
    area_help="Only this division code prefix, e.g. 2224 (延边州).",
    level_help=f"Only deputies of this level: {choices(Level)}.",
)
@click.option("--schema", is_flag=True, help="Print the JSON Schema of the report and exit.")
@click.pass_context
def report_annual(
    ctx: click.Context,
    /,
    year: int | None,
    area: str | None,
    level: str | None,
    as_of: AsOf | None,
    fmt: str,
    lang: str,
    output: Path | None,
    as_json: bool,
    schema: bool,
) -> None:
    """The annual work report on deputy work, every figure from the event log."""
    if schema:
        click.echo(json.dumps(annual_schema(), ensure_ascii=False, indent=2))
        return
    check_year(year)
    e = env(ctx)
    level_value = parse_value(LevelField, level, "level").value if level else None
    data = build_annual(
        e.read_runner(),
        e.reports(),
        year=year or (as_of.day if as_of else business_today()).year - 1,
        area=area,
        level=level_value,
        as_of=as_of,
    )
    fmt = "json" if as_json else fmt
    if fmt != "json" and as_of is None:
        # a year not over: its title says up to when (the JSON's figures are the same)
        from renda_core.application.inputs import today as business_day  # a test may fix it

        today = business_day()
        if data["meta"]["year"] >= today.year:
            data = {**data, "meta": {**data["meta"], "through": today.isoformat()}}
    provenance = None
    if fmt == "html":
        provenance = {
            "moment": as_of.label if as_of else now_label(),
            "position": report_position(e.read_runner(), e.reports(), as_of),
            "store": describe_store(e.store_config()),
        }
    result = render(data, fmt, lang, e.plugins(), provenance)
    write_result(result, output, width=100)


@hookimpl
def renda_register_commands(cli: click.Group) -> None:
    report_group = cli.commands.get("report")
    if isinstance(report_group, click.Group):
        report_group.add_command(report_annual)


__all__ = ["annual_schema", "build_annual", "render", "report_annual"]


@hookimpl
def renda_register_composite_reports(register: Any) -> None:
    """The annual report runs by name through the public API: ``report("annual", year=Y)``."""
    from renda_core.ports.contracts import CompositeReport

    register(CompositeReport("annual", "代表工作年度报告 Annual work report", build_annual))
