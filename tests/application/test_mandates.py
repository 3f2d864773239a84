"""Terms, suspension, statutory grounds, 公告 and re-election through the application,
on both stores; old events (before grounds and named liaison ends) still replay."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from renda_core import Renda
from renda_core.application.inputs import dates_as_of
from renda_core.domain.errors import InvalidInput, NotFound, RuleViolated
from renda_core.projections.log import list_events
from tests.conftest import STAFF, register_payload


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with dates_as_of(date(2029, 6, 1)):
        yield


def _state(**fields: object) -> dict[str, object]:
    return {
        "actor": {"_data_": {"id": "clerk-1", "role": "staff"}, "_type_": "actor"},
        "timestamp": {"_data_": "2024-01-01T00:00:00+00:00", "_type_": "datetime_iso"},
        **fields,
    }


def _on(day: str) -> dict[str, str]:
    return {"_data_": day, "_type_": "date_iso"}


def test_old_terminations_and_liaison_ends_replay(app: Renda) -> None:
    """Version-1 ``MandateTerminated`` (no ground) and ``LiaisonEnded`` (no member)."""
    deputy_id = app.register_deputy(register_payload(), STAFF)
    app.liaise_deputy({"deputy_id": deputy_id, "member": "王委员", "date": "2023-02-01"}, STAFF)
    rows = [
        ("renda:Deputy.LiaisonEnded", _state(on=_on("2023-06-01"))),
        ("renda:Deputy.MandateTerminated", _state(reason="recall", on=_on("2024-01-01"))),
    ]
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=deputy_id,
                originator_version=3 + i,
                topic=topic,
                state=json.dumps(state, ensure_ascii=False).encode(),
            )
            for i, (topic, state) in enumerate(rows)
        ]
    )
    with Renda(app.store) as reader:
        data = reader.deputy(deputy_id)
    assert data["liaisons"] == [{"member": "王委员", "since": "2023-02-01", "until": "2023-06-01"}]
    assert data["status"] == "terminated"
    assert (data["termination_reason"], data["termination_ground"]) == ("recall", "unspecified")
    assert data["termination_ground_label"] == "未说明"


def test_lifecycle_through_the_application(app: Renda) -> None:
    deputy_id = app.register_deputy(register_payload(), STAFF)
    app.begin_term({"level": "省", "number": 15, "date": "2028-01-10"}, STAFF)
    assert app.term("provincial", 15)["title"] == "省第十五届人民代表大会"
    with pytest.raises(RuleViolated, match="already recorded"):
        app.begin_term({"level": "provincial", "number": 15, "date": "2028-01-10"}, STAFF)
    app.suspend_deputy(
        {
            "deputy_id": deputy_id,
            "ground": "因刑事案件被羁押正在受侦查、起诉、审判",
            "date": "2024-01-05",
        },
        STAFF,
    )
    app.resume_deputy({"deputy_id": deputy_id, "date": "2024-04-05"}, STAFF)
    app.reelect_deputy({"deputy_id": deputy_id, "term": 15, "date": "2028-01-12"}, STAFF)
    app.terminate_deputy(
        {"deputy_id": deputy_id, "ground": "丧失中华人民共和国国籍", "date": "2029-01-05"}, STAFF
    )
    app.announce_termination(
        {"deputy_id": deputy_id, "notice": "公告第3号", "date": "2029-01-09"}, STAFF
    )
    data = app.deputy(deputy_id)
    assert data["term"] == 15 and [t["term"] for t in data["terms"]] == [14, 15]
    assert data["termination_ground"] == "lost_nationality"
    assert data["announced_on"] == "2029-01-09"
    assert [t["number"] for t in app.terms("provincial")] == [15]


def test_errors_record_nothing(app: Renda) -> None:
    deputy_id = app.register_deputy(register_payload(), STAFF)
    before = len(list_events(app, deputy_id))
    cases: list[tuple[object, dict[str, object], type[Exception]]] = [
        (app.reelect_deputy, {"term": 15, "date": "2028-01-12"}, NotFound),
        (app.suspend_deputy, {"ground": "bored", "date": "2024-01-05"}, InvalidInput),
        (app.terminate_deputy, {"date": "2024-01-05"}, InvalidInput),
        (app.terminate_deputy, {"ground": "未说明", "date": "2024-01-05"}, RuleViolated),
        (app.resume_deputy, {"date": "2024-01-05"}, RuleViolated),
        (app.announce_termination, {"notice": "公告", "date": "2024-01-05"}, RuleViolated),
    ]
    for method, data, error in cases:
        with pytest.raises(error):
            method({"deputy_id": deputy_id, **data}, STAFF)  # type: ignore[operator]
    with pytest.raises(NotFound):
        app.suspend_deputy(
            {"deputy_id": str(uuid4()), "ground": "detained", "date": "2024-01-05"}, STAFF
        )
    app.begin_term({"level": "provincial", "number": 15, "date": "2028-01-10"}, STAFF)
    with pytest.raises(RuleViolated, match="outside"):
        app.reelect_deputy({"deputy_id": deputy_id, "term": 15, "date": "2027-01-12"}, STAFF)
    assert len(list_events(app, deputy_id)) == before
    assert isinstance(deputy_id, UUID)
