"""吉林省 (Jilin) plugin for renda.

Extension points used:

- ``renda_register_commands``: ``renda jilin divisions`` imports the province's prefecture
  and county divisions (GB/T 2260 codes, ``divisions.csv`` in this package);
  ``renda jilin policy`` prints the rules in force.
- ``renda_register_deadline_policies``: the province's suggestion-handling rules.
- ``renda_report_template``: the annual report's prose in the province's own wording
  (the seed's section headings), ``templates/annual.zh.text.j2``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from importlib import resources
from typing import Any

import click

from renda_core.cli.common import emit, env, json_option
from renda_core.domain.deadlines import NATIONAL, Period, Unit
from renda_core.ports import hookimpl

#: 吉林省's two-digit division code (GB/T 2260)
JILIN = "22"

#: 吉林省's rules as configured by this plugin. They differ from the national model
#: defaults where the province chooses: a dissatisfied deputy's suggestion is re-handled
#: within 3 months (DESIGN.md: "a province may choose 3"), and complex suggestions are
#: replied to within 6 months. The statutory clock is stated explicitly: at most
#: 6 months from 交办 in total, extensions included (Deputies Law Art. 51), periods
#: ending on a holiday roll to the next working day, and re-handling only on a 不满意
#: result. The article numbers of 《吉林省人民代表大会代表建议、批评和意见办理条例》
#: (revised 2025-07-30) are not encoded here: check each period against the
#: regulation's text before relying on them in production. ``session_assignment`` is
#: not set: its chapter 3 (交办) has not been read, so the national default (one month
#: after the close, Shanghai's rule Art. 15; docs/suggestions.md) applies.
JILIN_POLICY = replace(
    NATIONAL,
    name="jilin",
    title="吉林省人大代表建议、批评和意见办理规则（插件示例配置）",
    rehandling=Period(3, Unit.MONTHS),
    reply_complex=Period(6, Unit.MONTHS),
    max_total=Period(6, Unit.MONTHS),
    roll_to_working_day=True,
    rehandle_on_attitude=False,
    province=JILIN,  # 吉林省's: another province's store keeps the national rules
)


def division_rows() -> list[dict[str, Any]]:
    """The packaged divisions, as ``renda area import`` reads them."""
    text = resources.files(__name__).joinpath("divisions.csv").read_text(encoding="utf-8")
    from renda_core.application.areas import read_division_csv  # when used: fast start

    return read_division_csv(text)


@hookimpl
def renda_report_template(name: str, lang: str, province: str | None) -> str | None:
    """吉林省's wording of the annual report's Chinese prose, for 吉林省's data only (or
    data whose province is not known): another province's report keeps the built-in
    wording, never 「吉林省人大常委会…」."""
    if (name, lang) != ("annual.text", "zh") or province not in (None, JILIN):
        return None
    return (
        resources.files(__name__)
        .joinpath("templates", "annual.zh.text.j2")
        .read_text(encoding="utf-8")
    )


@hookimpl
def renda_register_deadline_policies(register: Any) -> None:
    register(JILIN_POLICY)


@hookimpl
def renda_register_commands(cli: click.Group) -> None:
    @cli.group(name="jilin")
    def jilin() -> None:
        """吉林省: the province's divisions and rules (plugin renda-jilin)."""

    @jilin.command(name="divisions")
    @click.option("--date", "on", default=None, help="Business date of the import (YYYY-MM-DD).")
    @json_option
    @click.pass_context
    def jilin_divisions(ctx: click.Context, /, on: str | None, as_json: bool) -> None:
        """Import 吉林省's 9 prefecture- and 60 county-level divisions (idempotent)."""
        e = env(ctx)
        counts = e.get_app().import_divisions(
            {"rows": division_rows(), "date": on or date.today().isoformat()}, e.actor()
        )
        if as_json:
            emit(counts, True)
        else:
            click.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))

    @jilin.command(name="policy")
    def jilin_policy() -> None:
        """Print the province's suggestion-handling rules as JSON."""
        emit(JILIN_POLICY.to_dict(), True)
