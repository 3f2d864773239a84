"""The batch path: many commands in one transaction, command ids recorded with them."""

from __future__ import annotations

import uuid

import pytest

from renda_core import Renda, RuleViolated
from renda_core.domain.ids import assigned_ids
from renda_core.projections.log import count_events
from tests.conftest import STAFF, register_payload


def test_commands_in_a_batch_see_each_other_and_commit_together(app: Renda) -> None:
    with app.batch(["c1", "c2", "c3"]):
        a = app.register_deputy(register_payload(), STAFF)
        app.liaise_deputy({"deputy_id": a, "member": "甲", "date": "2023-02-01"}, STAFF)
        app.record_contact({"deputy_id": a, "form": "visit", "date": "2023-03-01"}, STAFF)
        assert count_events(app) == 0  # nothing written until the batch ends
    assert count_events(app) == 3
    assert app.deputy(a)["contacts"][0]["member"] == "甲"
    assert app.applied_commands(["c1", "c2", "c3", "c4"]) == {"c1", "c2", "c3"}


def test_a_failing_command_writes_nothing_of_its_batch(app: Renda) -> None:
    with pytest.raises(RuleViolated), app.batch(["x1", "x2"]):
        a = app.register_deputy(register_payload(), STAFF)
        app.record_contact({"deputy_id": a, "form": "visit", "date": "2023-03-01"}, STAFF)
    assert count_events(app) == 0
    assert app.applied_commands(["x1", "x2"]) == set()


def test_command_ids_of_a_batch_without_changes_are_recorded(app: Renda) -> None:
    with app.batch(["noop"]):
        pass
    assert app.applied_commands(["noop"]) == {"noop"}


def test_assigned_ids_name_new_aggregates(app: Renda) -> None:
    wanted = uuid.uuid5(uuid.NAMESPACE_URL, "renda-test/deputy-1")
    with assigned_ids(wanted):
        got = app.register_deputy(register_payload(), STAFF)
    assert got == wanted
    assert app.register_deputy(register_payload(), STAFF) != wanted
