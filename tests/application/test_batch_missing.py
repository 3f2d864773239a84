"""A record looked up and not found in a batch is not asked of the store again in that
batch (``Batch.missing``): ``renda demo`` asked for the same calendar year, not
recorded, in every command that counted working days — a round trip each on
PostgreSQL. One the batch then creates is found; the next batch asks again."""

from __future__ import annotations

from uuid import uuid4

import pytest
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event

from renda_core import Renda
from tests.conftest import counting_reads


class Tally(Aggregate):
    @event("Opened")
    def __init__(self, name: str) -> None:
        self.name = name


def test_a_record_not_found_in_a_batch_is_asked_for_once(
    app: Renda, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = counting_reads(app, monkeypatch)
    with app.batch():
        assert app.recorded_calendar_year(2023) is None
        assert app.recorded_calendar_year(2023) is None
        assert app.recorded_calendar_year(2024) is None
    assert len(asked) == 2  # 2023 once, 2024 once
    with app.batch():  # a new batch asks again
        assert app.recorded_calendar_year(2023) is None
    assert len(asked) == 3
    assert app.recorded_calendar_year(2023) is None  # outside a batch: every time
    assert app.recorded_calendar_year(2023) is None
    assert len(asked) == 5


def test_a_record_the_batch_creates_after_a_miss_is_found(
    app: Renda, monkeypatch: pytest.MonkeyPatch
) -> None:
    tally = Tally("记录")
    with app.batch():
        with pytest.raises(AggregateNotFoundError):
            app._get(tally.id)
        app._save(tally)
        assert app._get(tally.id) is tally
    assert app.repository.get(tally.id).name == "记录"


def test_a_record_created_elsewhere_between_batches_is_found_by_the_next(
    app: Renda, store: str
) -> None:
    tally = Tally("别处")
    with app.batch(), pytest.raises(AggregateNotFoundError):
        app._get(tally.id)
    with Renda(store) as other:
        other.save(tally)
    with app.batch():
        assert app._get(tally.id).name == "别处"
    with app.batch(), pytest.raises(AggregateNotFoundError):
        app._get(uuid4())
