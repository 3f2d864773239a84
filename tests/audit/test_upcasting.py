"""Schema evolution: a log written by older shapes of ``Deputy.ContactRecorded``
(version 1: no ``note``; version 2: ``form`` was called ``kind``) replays through the
upcasters to today's state, on both stores, and the adapters see today's shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from renda_core import Renda
from renda_core.application.audit.verify import verify_log
from renda_core.domain.deputy import Deputy
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections.runner import ProjectionRunner
from tests.conftest import STAFF

FIXTURE = Path(__file__).parent / "fixtures" / "deputy_log_v1_v2.jsonl"


def old_log() -> list[dict[str, Any]]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def write_old_log(app: Renda) -> UUID:
    rows = old_log()
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=UUID(r["originator_id"]),
                originator_version=r["originator_version"],
                topic=r["topic"],
                state=json.dumps(r["state"], ensure_ascii=False).encode(),
            )
            for r in rows
        ]
    )
    return UUID(rows[0]["originator_id"])


def test_the_fixture_holds_the_older_shapes() -> None:
    contacts = [r["state"] for r in old_log() if r["topic"] == "renda:Deputy.ContactRecorded"]
    assert [c.get("class_version", 1) for c in contacts] == [1, 2, 3]
    assert "note" not in contacts[0] and "kind" in contacts[0]  # v1: no note
    assert "kind" in contacts[1] and "form" not in contacts[1]  # v2: renamed since
    assert Deputy.ContactRecorded.class_version == 3


def test_an_old_log_replays_to_todays_state(app: Renda) -> None:
    deputy_id = write_old_log(app)
    deputy = app.repository.get(deputy_id)
    assert deputy.to_dict()["contacts"] == [
        {"form": "visit", "member": "王委员", "note": None, "on": "2023-03-01"},
        {"form": "forum", "member": "王委员", "note": "座谈交流", "on": "2023-04-01"},
        {"form": "phone", "member": "王委员", "note": "电话回访", "on": "2023-05-01"},
    ]
    # every stored event is built in today's shape, as the adapters receive it
    contacts = [
        app.mapper.to_domain_event(n)
        for n in app.recorder.select_notifications(0, 100)
        if n.topic == "renda:Deputy.ContactRecorded"
    ]
    assert [(e.form, e.note) for e in contacts] == [
        ("visit", None),
        ("forum", "座谈交流"),
        ("phone", "电话回访"),
    ]
    assert all(not hasattr(e, "kind") for e in contacts)
    # the adapters replay the old log without a failure
    runner = ProjectionRunner(app, collect_projections(get_plugin_manager()))
    assert [r.error for r in runner.catch_up()] == [None] * len(runner.projections)
    # the stored bytes are untouched: the chain over them is intact
    assert verify_log(app.recorder, writable=True).ok  # type: ignore[arg-type]


def test_a_new_contact_is_stored_in_todays_shape(app: Renda) -> None:
    deputy_id = write_old_log(app)
    app.record_contact(
        {"deputy_id": str(deputy_id), "form": "research", "date": "2023-06-01"},
        STAFF,
    )
    last = app.recorder.select_notifications(0, 100)[-1]
    state = json.loads(last.state)
    assert state["class_version"] == 3 and state["form"] == "research" and "kind" not in state
    assert len(app.repository.get(deputy_id).to_dict()["contacts"]) == 4
