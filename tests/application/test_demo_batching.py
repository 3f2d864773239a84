"""``renda demo`` builds the same log and the same reports whatever its batches: one
batch per phase (the default) or a batch every few hundred commands."""

from __future__ import annotations

import pytest

from renda_core import Renda
from renda_core.demo import generate
from tests.application.reporting import all_reports, assert_same_reports
from tests.application.sequences import log_of
from tests.application.stores import fresh_stores

SCALE = 0.05


def test_the_demo_log_and_reports_do_not_depend_on_its_batch_size(
    backend: str, request: pytest.FixtureRequest
) -> None:
    logs, reports = [], []
    with fresh_stores(backend, 2, request) as stores:
        for store, batch_size in zip(stores, (None, 333), strict=True):
            with Renda(store) as app:
                generate(app, SCALE, seed=7, batch_size=batch_size)
                logs.append(log_of(app))
                reports.append(all_reports(app, records=40))
    assert len(logs[0]) > 10_000
    assert logs[0] == logs[1]
    assert_same_reports(reports)


def test_a_batch_size_below_one_is_refused() -> None:
    with Renda(":memory:") as app, pytest.raises(ValueError, match="1 or more"):
        generate(app, SCALE, batch_size=0)
