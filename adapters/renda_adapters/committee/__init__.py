"""Standing committee and deputy-work plan adapter: the ``committee`` view, the
``plan`` and ``committee`` reports, and a member's own view."""

from __future__ import annotations

from typing import Any

import click

from renda_adapters.committee.report import (
    build_committee,
    build_plan,
    member_view,
    render_committee,
    render_plan,
)
from renda_adapters.committee.view import CommitteeProjection
from renda_core.ports import hookimpl
from renda_core.ports.contracts import Report


def _year() -> click.Option:
    return click.Option(
        ["--year"], type=int, help="Report year (business dates). Default: this year."
    )


@hookimpl
def renda_register_projections(register: Any) -> None:
    register(CommitteeProjection())


@hookimpl
def renda_register_reports(register: Any) -> None:
    register(
        Report(
            name="plan",
            title="年度代表工作计划 Deputy-work plan",
            projection=CommitteeProjection.name,
            build=build_plan,
            render=render_plan,
            options=(_year(),),
        )
    )
    register(
        Report(
            name="committee",
            title="常委会联系代表 Standing committee and deputies",
            projection=CommitteeProjection.name,
            build=build_committee,
            render=render_committee,
            options=(_year(),),
        )
    )


__all__ = ["CommitteeProjection", "build_committee", "build_plan", "member_view"]
