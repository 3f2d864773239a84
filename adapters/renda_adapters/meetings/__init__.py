"""Sessions and attendance, standing-committee meetings (列席), motions (议案) and
inspections (视察、专题调研): the ``meetings`` view and its reports."""

from __future__ import annotations

from typing import Any

import click

from renda_adapters.meetings.report import (
    absence_warnings,
    build_inspections,
    build_meetings,
    build_motions,
    inspection_entries,
    meeting_entries,
    motion_entries,
    render_inspections,
    render_meetings,
    render_motions,
)
from renda_adapters.meetings.view import MeetingsProjection
from renda_core.ports import hookimpl
from renda_core.ports.contracts import Report


def _year() -> click.Option:
    return click.Option(
        ["--year"], type=int, help="Report year (business dates). Default: this year."
    )


@hookimpl
def renda_register_projections(register: Any) -> None:
    register(MeetingsProjection())


@hookimpl
def renda_register_reports(register: Any) -> None:
    for name, title, build, render in (
        ("meetings", "会议与出席 Sessions, attendance and 列席", build_meetings, render_meetings),
        ("motions", "代表议案 Motions", build_motions, render_motions),
        ("inspections", "视察调研 Inspections and research", build_inspections, render_inspections),
    ):
        register(
            Report(
                name=name,
                title=title,
                projection=MeetingsProjection.name,
                build=build,
                render=render,
                options=(_year(),),
            )
        )


__all__ = [
    "MeetingsProjection",
    "absence_warnings",
    "build_inspections",
    "build_meetings",
    "build_motions",
    "inspection_entries",
    "meeting_entries",
    "motion_entries",
]
