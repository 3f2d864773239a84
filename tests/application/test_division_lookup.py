"""An import of divisions asks the store which of its codes are recorded in one
statement and loads only those (``Areas._existing_divisions``): the demo's province,
370 codes on an empty store, was 370 lookups, each a round trip on PostgreSQL. The
counts of an import and a re-import are as they were (``test_areas_and_rules.py``)."""

from __future__ import annotations

import pytest

from renda_core import Renda
from renda_core.application.areas import read_division_csv
from tests.application.scenario import DIVISIONS_CSV
from tests.conftest import STAFF, counting_reads

SECOND = "220103102,其塔木镇,220103,township\n"


def load(app: Renda, text: str) -> dict[str, int]:
    return app.import_divisions({"rows": read_division_csv(text), "date": "2023-01-01"}, STAFF)


def test_only_recorded_divisions_are_loaded(app: Renda, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = counting_reads(app, monkeypatch)
    assert load(app, DIVISIONS_CSV)["recorded"] == 8
    assert asked == []  # an empty store: nothing to load
    result = load(app, DIVISIONS_CSV + SECOND)
    assert (result["recorded"], result["unchanged"]) == (1, 8)
    assert len(asked) == 8  # the recorded ones, not the new code
    assert app.division("220103102")["parent_code"] == "220103"


def test_a_division_made_earlier_in_the_same_batch_is_found(app: Renda) -> None:
    with app.batch():
        assert load(app, DIVISIONS_CSV)["recorded"] == 8
        result = load(app, DIVISIONS_CSV + SECOND)
    assert (result["recorded"], result["unchanged"]) == (1, 8)
    assert app.division("220103102")["name"] == "其塔木镇"
