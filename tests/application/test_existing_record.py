"""Creating a record whose id is already recorded is a rule violation (exit 5), never
"changed by someone else, please retry" (a retry could never succeed)."""

from __future__ import annotations

import uuid

import pytest

from renda_core import Actor, Renda
from renda_core.domain.errors import RuleViolated
from renda_core.domain.ids import assigned_ids
from tests.conftest import register_payload


def test_a_second_record_with_the_same_id_is_refused(app: Renda, staff: Actor) -> None:
    uid = uuid.uuid4()
    with assigned_ids(uid):
        app.register_deputy(register_payload(), staff)
    head = app.recorder.max_notification_id()
    with pytest.raises(RuleViolated, match=f"{uid} already exists"), assigned_ids(uid):
        app.register_deputy(register_payload(name="李明"), staff)
    assert app.recorder.max_notification_id() == head  # nothing recorded
    assert app.deputy(uid)["name"] == "金美玉"


def test_in_a_batch_too(app: Renda, staff: Actor) -> None:
    uid = uuid.uuid4()
    with assigned_ids(uid):
        app.register_deputy(register_payload(), staff)
    head = app.recorder.max_notification_id()
    with pytest.raises(RuleViolated, match="already exists"), app.batch(["c-1", "c-2"]):
        app.register_deputy(register_payload(name="张华"), staff)
        with assigned_ids(uid):
            app.register_deputy(register_payload(name="李明"), staff)
    assert app.recorder.max_notification_id() == head
