"""The duty-record facts of items 3 and 4 (``mandate``, ``terms``, ``legislation``, body
contacts), computed by hand for a small scenario, on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from renda_adapters.record import DutyRecordProjection
from renda_adapters.record.members import mandate_of, terms_of
from renda_core import Renda
from renda_core.application.inputs import dates_as_of
from renda_core.projections.reports import fresh_context
from renda_core.projections.runner import ProjectionRunner
from tests.conftest import STAFF, register_payload


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with dates_as_of(date(2029, 6, 1)):
        yield


def test_lifecycle_and_committee_facts_in_the_duty_record(app: Renda) -> None:
    d = app.register_deputy(register_payload(), STAFF)
    quiet = app.register_deputy(register_payload(name="赵德明"), STAFF)
    app.begin_term({"level": "provincial", "number": 15, "date": "2028-01-10"}, STAFF)
    app.suspend_deputy({"deputy_id": d, "ground": "detained", "date": "2024-01-05"}, STAFF)
    app.resume_deputy({"deputy_id": d, "date": "2024-04-05"}, STAFF)
    body = app.add_body(
        {
            "name": "法制委员会",
            "kind": "special_committee",
            "level": "provincial",
            "date": "2023-01-20",
        },
        STAFF,
    )
    app.body_invite(
        {
            "body_id": body,
            "kind": "legislation",
            "title": "《吉林省黑土地保护条例》立法调研",
            "deputy_ids": [str(d)],
            "date": "2024-05-10",
        },
        STAFF,
    )
    app.body_contact(
        {"body_id": body, "deputy_id": d, "form": "forum", "date": "2024-06-01"}, STAFF
    )
    app.reelect_deputy({"deputy_id": d, "term": 15, "date": "2028-01-12"}, STAFF)
    app.terminate_deputy({"deputy_id": d, "ground": "丧失行为能力", "date": "2029-01-05"}, STAFF)
    app.announce_termination({"deputy_id": d, "notice": "公告第3号", "date": "2029-01-09"}, STAFF)

    runner = ProjectionRunner(app, {"duty_record": DutyRecordProjection()})
    view = fresh_context(runner, DutyRecordProjection.name).view
    doc = view.get_entity("deputy", str(d))
    assert doc["mandate"] == {
        "status": "terminated",
        "events": [
            {"kind": "suspended", "on": "2024-01-05", "ground": "detained"},
            {"kind": "resumed", "on": "2024-04-05", "ground": None},
            {"kind": "reelected", "on": "2028-01-12", "ground": None},
            {"kind": "terminated", "on": "2029-01-05", "ground": "incapacity"},
            {"kind": "announced", "on": "2029-01-09", "ground": None},
        ],
    }
    assert doc["terms"] == [
        {"term": 14, "level": "provincial", "from": "2023-01-16", "to": "2028-01-12"},
        {"term": 15, "level": "provincial", "from": "2028-01-12", "to": "2029-01-05"},
    ]
    assert doc["legislation"] == [
        {
            "kind": "legislation",
            "title": "《吉林省黑土地保护条例》立法调研",
            "on": "2024-05-10",
            "body_id": str(body),
            "body": "法制委员会",
        }
    ]
    (contact,) = doc["contacts"]
    assert contact["body"] == "法制委员会" and contact["member"] is None
    # a deputy without lifecycle events: the defaults the reader gets
    other = view.get_entity("deputy", str(quiet))
    assert mandate_of(other) == {"status": "active", "events": []}
    assert terms_of(other) == [
        {"term": 14, "level": "provincial", "from": "2023-01-16", "to": None}
    ]
    assert other["legislation"] == []
