"""The Deputy commands through the application, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from renda_core import (
    Actor,
    ConcurrentModification,
    Forbidden,
    InvalidInput,
    NotFound,
    Renda,
    RuleViolated,
)
from renda_core.projections.log import count_events, list_events
from tests.conftest import STAFF, register_payload


def test_story_register_liaise_contact_terminate(app: Renda) -> None:
    deputy_id = app.register_deputy(register_payload(phone="0433-2512345"), STAFF)
    app.liaise_deputy(
        {"deputy_id": deputy_id, "member": "常委会副主任 陈立", "date": "2023-02-01"}, STAFF
    )
    app.record_contact(
        {"deputy_id": str(deputy_id), "form": "座谈", "date": "2023-03-15", "note": "边境口岸"},
        STAFF,
    )
    app.terminate_deputy({"deputy_id": deputy_id, "reason": "调离", "date": "2023-11-30"}, STAFF)
    data = app.deputy(deputy_id)
    assert data["status"] == "terminated" and data["termination_reason"] == "transfer"
    assert data["contacts"] == [
        {"form": "forum", "member": "常委会副主任 陈立", "note": "边境口岸", "on": "2023-03-15"}
    ]
    events = list_events(app, deputy_id)
    assert [e["topic"] for e in events] == [
        "renda:Deputy.Registered",
        "renda:Deputy.LiaisonAssigned",
        "renda:Deputy.ContactRecorded",
        "renda:Deputy.MandateTerminated",
    ]
    assert all(e["actor"] == {"id": "clerk-1", "role": "staff"} for e in events)
    assert events[2]["data"]["on"] == "2023-03-15"


def test_chinese_text_round_trips_verbatim(app: Renda, store: str) -> None:
    name = "  阿依古丽·买买提  "
    deputy_id = app.register_deputy(register_payload(name=name, category="基层干部（村）"), STAFF)
    with Renda(store) as other:  # a second process would see the same
        data = other.deputy(deputy_id)
    assert data["name"] == name and data["category"] == "基层干部（村）"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"level": "村"}, "level"),
        ({"area": "22010"}, "area"),
        ({"area": "990000"}, "area"),
        ({"date": "2023-02-30"}, "date"),
        ({"term": 0}, "term"),
        ({"name": ""}, "name"),
        ({"phone": "call me"}, "phone"),
        ({"nickname": "x"}, "nickname"),
    ],
)
def test_bad_input_is_rejected_field_by_field_and_records_nothing(
    app: Renda, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as info:
        app.register_deputy(register_payload(**overrides), STAFF)
    assert field in [e["field"] for e in info.value.errors]
    assert count_events(app) == 0


def test_illegal_transition_records_nothing(app: Renda) -> None:
    deputy_id = app.register_deputy(register_payload(), STAFF)
    with pytest.raises(RuleViolated):
        app.record_contact({"deputy_id": deputy_id, "form": "phone", "date": "2023-03-01"}, STAFF)
    assert count_events(app) == 1


def test_unknown_and_malformed_ids(app: Renda) -> None:
    with pytest.raises(NotFound):
        app.deputy("7d7c4f6a-3b47-4a57-9a43-0a0b1f5b4c11")
    with pytest.raises(InvalidInput):
        app.deputy("not-an-id")
    with pytest.raises(NotFound):
        app.terminate_deputy(
            {
                "deputy_id": "7d7c4f6a-3b47-4a57-9a43-0a0b1f5b4c11",
                "reason": "death",
                "date": "2023-01-01",
            },
            STAFF,
        )


@pytest.mark.parametrize("role", ["auditor", "editor", "unit:省交通运输厅", "leader:省长"])
def test_roles_other_than_staff_may_not_register(app: Renda, role: str) -> None:
    with pytest.raises(Forbidden, match="needs the role staff"):
        app.register_deputy(register_payload(), Actor("someone", role))
    assert count_events(app) == 0


def test_concurrent_modification_is_its_own_error(app: Renda, store: str) -> None:
    deputy_id = app.register_deputy(register_payload(), STAFF)
    with Renda(store) as other:
        first = app.get_deputy(deputy_id)
        second = other.get_deputy(deputy_id)
        first.liaise(member="甲", on=first.registered_on, actor=STAFF)
        second.liaise(member="乙", on=second.registered_on, actor=STAFF)
        app._save(first)
        with pytest.raises(ConcurrentModification):
            other._save(second)
    assert app.deputy(deputy_id)["liaison"] == "甲"
    assert count_events(app) == 2


def test_corrections_record_only_what_changed(app: Renda) -> None:
    deputy_id = app.register_deputy(register_payload(), STAFF)
    app.correct_deputy(
        {"deputy_id": deputy_id, "date": "2023-05-01", "name": "金美玉", "level": "全国"}, STAFF
    )
    (corrected,) = list_events(app, deputy_id)[1:]
    assert corrected["data"]["changes"] == {"level": "national"}
    with pytest.raises(InvalidInput, match="nothing to correct"):
        app.correct_deputy({"deputy_id": deputy_id, "date": "2023-05-01"}, STAFF)


def test_replay_rebuilds_the_same_state(app: Renda, store: str) -> None:
    deputy_id = app.register_deputy(register_payload(), STAFF)
    app.liaise_deputy({"deputy_id": deputy_id, "member": "甲", "date": "2023-02-01"}, STAFF)
    before = app.deputy(deputy_id)
    with Renda(store) as fresh:
        assert fresh.deputy(deputy_id) == before
        historic = fresh.repository.get(app.get_deputy(deputy_id).id, version=1)
        assert historic.liaison is None
