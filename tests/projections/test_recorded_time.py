"""A report's provenance reads when events were recorded from their stored state,
without resolving their classes (issue 15, target 4): the same moment the mapper's
whole decoding gives, encrypted or not, on SQLite and PostgreSQL, and the mapper's own
error for bytes that do not decode."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import MapperDeserialisationError, StoredEvent

from renda_core import Renda
from renda_core.application.audit.keys import new_cipher_key
from renda_core.projections.provenance import recorded_time
from tests.conftest import STAFF, register_payload


def _a_log(app: Renda) -> None:
    deputy = app.register_deputy(register_payload(name="金美玉"), STAFF)
    app.liaise_deputy({"deputy_id": deputy, "member": "常委甲", "date": "2023-02-01"}, STAFF)
    app.record_contact({"deputy_id": deputy, "form": "visit", "date": "2023-03-01"}, STAFF)


@pytest.mark.parametrize("encrypted", [False, True])
def test_the_recorded_time_is_the_decoded_event_s(
    store: str, encrypted: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if encrypted:
        monkeypatch.setenv("RENDA_CIPHER_KEY", new_cipher_key())
    with Renda(store) as app:
        _a_log(app)
        assert (app.mapper.cipher is not None) is encrypted
        notifications = app.recorder.select_notifications(start=1, limit=100)
        assert len(notifications) >= 3
        for n in notifications:
            assert recorded_time(app.mapper, n) == app.mapper.to_domain_event(n).timestamp


def test_undecodable_state_is_the_mapper_s_error(store: str) -> None:
    with Renda(store) as app:
        _a_log(app)
        n = app.recorder.select_notifications(start=1, limit=1)[0]
        damaged = StoredEvent(n.originator_id, n.originator_version, n.topic, b"\xff" + n.state)
        with pytest.raises(MapperDeserialisationError, match=r"renda:Deputy\.Registered"):
            recorded_time(app.mapper, damaged)
        with pytest.raises(MapperDeserialisationError):  # the mapper agrees
            app.mapper.to_domain_event(damaged)
