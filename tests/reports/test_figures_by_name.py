"""A report reads only the figures it names (issue 15): every built-in report gives
the same data as when its context read every counter of the view at the first
question, now and as of a past moment, for the province, an area and a level."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import renda_core
from renda_core import RendaAPI
from renda_core.cli import cli
from renda_core.projections.reports import ReportContext
from renda_core.projections.views import Figure
from tests.conftest import STAFF

READ_BY_NAME = ReportContext.figures

#: the province, a prefecture, a county; a level; a moment inside the year
CASES: tuple[dict[str, Any], ...] = (
    {},
    {"area": "2201"},
    {"area": "220102"},
    {"level": "county"},
    {"as_of": date(2023, 7, 1)},
    {"as_of": date(2023, 7, 1), "area": "2202"},
)


def whole_view_first(self: ReportContext, names: Sequence[str] | None = None) -> list[Figure]:
    """The read before issue 15's change: every counter of the view at the first
    question, the named ones taken from it."""
    READ_BY_NAME(self, None)
    return READ_BY_NAME(self, names)


@pytest.fixture
def demo(store: str, tmp_path: Path) -> Iterator[RendaAPI]:
    built = CliRunner().invoke(cli, ["demo", "--store", store, "--quiet", "--scale", "0.01"])
    assert built.exit_code == 0, built.output
    with renda_core.open(store, actor=STAFF) as api:
        yield api


def every_report(api: RendaAPI, **case: Any) -> dict[str, Any]:
    """Each report built on a ``ReportContext`` (``annual`` reads through its own
    sections' context), for 2023 where it takes a year."""
    found = {}
    for name, report in sorted(api._shared.reports().items()):
        options = dict(case)
        if "year" in inspect.signature(report.build).parameters:
            options["year"] = 2023
        found[name] = api.report(name, **options)
    return found


def test_every_report_reads_the_same_by_name_as_from_the_whole_view(
    demo: RendaAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_name = [every_report(demo, **case) for case in CASES]
    monkeypatch.setattr(ReportContext, "figures", whole_view_first)
    whole = [every_report(demo, **case) for case in CASES]
    assert len(by_name[0]) >= 12
    for case, new, old in zip(CASES, by_name, whole, strict=True):
        for name in old:
            # the order of keys too: a report lists rows in the order it meets them
            assert json.dumps(new[name], default=str) == json.dumps(old[name], default=str), (
                case,
                name,
            )


def test_the_stations_report_reads_only_the_figures_it_names(
    demo: RendaAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, ...] | None] = []
    read = ReportContext._read

    def spy(self: ReportContext, names: list[str] | None) -> None:
        asked.append(None if names is None else tuple(names))
        read(self, names)

    monkeypatch.setattr(ReportContext, "_read", spy)
    demo.report("stations", year=2023)
    assert asked and None not in asked
    names = [name for found in asked if found for name in found]
    assert len(names) == len(set(names))  # each name read once
    assert "deputy_attendances" not in names  # counted by the view, not reported
