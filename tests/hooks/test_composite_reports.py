"""The composite-report hook: a report built from several views, run by name."""

from __future__ import annotations

from typing import Any

import pytest

import renda_core
from renda_core.ports import hookimpl
from renda_core.ports.contracts import CompositeReport
from renda_core.projections.reports import run_report
from tests.conftest import STAFF, register_payload


def build_overview(runner: Any, reports: Any, *, year: int) -> dict[str, Any]:
    deputies = run_report(runner, reports["deputies"])
    return {"year": year, "deputies": deputies["active_total"]}


class Overview:
    @hookimpl
    def renda_register_composite_reports(self, register: Any) -> None:
        register(CompositeReport("overview", "Overview", build_overview))


def test_renda_register_composite_reports(store: str) -> None:
    with renda_core.open(store, plugins=[Overview()], actor=STAFF) as app:
        app.register_deputy(register_payload())
        assert {"overview", "annual", "deputies"} <= set(app.report_names())
        assert app.report("overview", year=2023) == {"year": 2023, "deputies": 1}
        with pytest.raises(renda_core.InvalidInput, match="year"):
            app.report("overview")  # a required option missing is invalid input


def test_a_composite_report_may_not_take_a_taken_name(tmp_path: Any) -> None:
    class Clash:
        @hookimpl
        def renda_register_composite_reports(self, register: Any) -> None:
            register(CompositeReport("deputies", "Clash", build_overview))

    with (
        renda_core.open(str(tmp_path / "r.sqlite"), plugins=[Clash()]) as app,
        pytest.raises(ValueError, match="two reports are named 'deputies'"),
    ):
        app.report_names()
