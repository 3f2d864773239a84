"""``renda report assessment --year Y [--scheme NAME] [--json] [--format csv|xlsx]``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from renda_adapters.assessment.report import run_assessment, sheets
from renda_core.application.commands import LevelField, parse_value
from renda_core.cli.common import choices, emit, env, json_option
from renda_core.cli.shaping import current_shape, export_options
from renda_core.domain.errors import InvalidInput
from renda_core.domain.values import Level
from renda_core.projections.reports import fresh_context

if TYPE_CHECKING:
    from rich.console import Group


@click.command(name="assessment")
@click.option("--year", type=int, required=True, help="The year assessed (business dates).")
@click.option(
    "--scheme",
    help="The assessment scheme (default: the one a province plugin registered, else the "
    "built-in example). Env: RENDA_ASSESSMENT_SCHEME.",
)
@click.option("--area", help="Only deputies of this division code prefix, e.g. 2224.")
@click.option("--level", help=f"Only deputies of this level: {choices(Level)}.")
@json_option
@export_options
@click.pass_context
def report_assessment(
    ctx: click.Context,
    /,
    year: int,
    scheme: str | None,
    area: str | None,
    level: str | None,
    as_json: bool,
) -> None:
    """Performance assessment (履职考核): each deputy's points for the year by a scheme,
    ranked, with the facts of the duty record behind every point. The built-in scheme
    is an example, not law; provinces register their own."""
    if not 1949 <= year <= 2200:
        raise InvalidInput(
            f"year {year} is out of range", [{"field": "year", "message": "1949–2200"}]
        )
    e = env(ctx)
    level_value = parse_value(LevelField, level, "level").value if level else None
    view = fresh_context(e.runner(), "duty_record")
    data = run_assessment(view, e.plugins(), year, scheme, area, level_value)
    shape = current_shape()
    sheet = shape is not None and shape.fmt in ("csv", "xlsx")
    emit(sheets(data) if sheet else data, as_json, lambda: render(data), title="assessment")


def render(data: dict[str, Any]) -> Group:
    from rich.console import Group  # imported when a table is printed (a fast start)
    from rich.table import Table
    from rich.text import Text

    scheme = data["scheme"]
    ranking = Table(title=f"{data['year']}年 代表履职考核（{scheme['title']}）")
    for col in ("名次", "姓名", "得分", "扣分", "合计"):
        ranking.add_column(col)
    detail = Table(title="计分依据")
    for col in ("姓名", "项目", "规则", "次数", "分值", "事实"):
        detail.add_column(col)
    for d in data["deputies"]:
        ranking.add_row(
            str(d["rank"]), d["name"], str(d["points"]), str(d["deductions"]), str(d["total"])
        )
        for i in d["items"]:
            facts = "；".join(
                " ".join(str(f.get(k)) for k in ("on", "title", "topic", "place") if f.get(k))
                for f in i["facts"][:3]
            )
            more = f" 等{i['count']}项" if i["count"] > 3 else ""
            detail.add_row(
                d["name"], i["label"], i["rule"], str(i["count"]), str(i["points"]), facts + more
            )
    return Group(Text(scheme["note"]), ranking, detail)
