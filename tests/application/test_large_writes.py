"""One large write (a demo county, an import batch): its events get ascending positions
in the order the commands ran, every one chained, on both stores; a write that clashes
with a stored record writes nothing (on PostgreSQL the events are copied in one stream,
not inserted statement by statement)."""

from __future__ import annotations

import json
import uuid

import pytest

from renda_core import Renda
from renda_core.domain.errors import RuleViolated
from renda_core.domain.ids import assigned_ids
from renda_core.projections.log import last_position
from tests.application.sequences import log_of
from tests.audit.raw import raw, renda
from tests.conftest import STAFF, register_payload

# More than the old 2,000-row chunk of a PostgreSQL write, so one write spans several.
DEPUTIES = 1_300
CONTACTS = 2


def _write(app: Renda) -> list[uuid.UUID]:
    ids = []
    with app.batch():
        for i in range(DEPUTIES):
            deputy = app.register_deputy(register_payload(name=f"代表{i}"), STAFF)
            app.liaise_deputy(
                {"deputy_id": deputy, "member": "常委会委员", "date": "2023-02-01"}, STAFF
            )
            for k in range(CONTACTS):
                app.record_contact(
                    {"deputy_id": deputy, "form": "visit", "date": f"2023-0{k + 3}-01"}, STAFF
                )
            ids.append(deputy)
    return ids


def test_a_large_write_keeps_command_order_and_chains_every_event(store: str) -> None:
    with Renda(store) as app:
        first = register_payload(name="先来的")
        before_id = app.register_deputy(first, STAFF)
        before = last_position(app)
        ids = _write(app)
        after = last_position(app)
        log = log_of(app)
    per_deputy = 2 + CONTACTS
    assert after - before == DEPUTIES * per_deputy
    written = log[-DEPUTIES * per_deputy :]
    expected = [(str(d), v) for d in ids for v in range(1, per_deputy + 1)]
    assert [(o, v) for o, v, _ in written] == expected
    assert log[0][0] == str(before_id)
    with raw(store, bypass=False) as db:
        positions = db.q("SELECT {pos} FROM {events} ORDER BY {pos}")
        links = db.q("SELECT position, prev_position FROM {chain} ORDER BY position")
    assert [p for (p,) in positions] == [p for p, _ in links]
    assert all(prev == p for (_, prev), (p, _) in zip(links[1:], links, strict=False))
    verified = renda(store, "audit", "verify", "--json")
    assert verified.exit_code == 0, verified.output
    assert json.loads(verified.output)["checked"] == 1 + DEPUTIES * per_deputy


def test_a_large_write_that_clashes_writes_nothing(store: str) -> None:
    with Renda(store) as app:
        taken = app.register_deputy(register_payload(name="已登记"), STAFF)
        before = last_position(app)
        with pytest.raises(RuleViolated), app.batch():
            for i in range(DEPUTIES):
                app.register_deputy(register_payload(name=f"代表{i}"), STAFF)
            with assigned_ids(taken):
                app.register_deputy(register_payload(name="重复"), STAFF)
        assert last_position(app) == before
        # the store takes writes afterwards, chained on from where it was
        app.register_deputy(register_payload(name="后来的"), STAFF)
        assert last_position(app) > before
    verified = renda(store, "audit", "verify", "--json")
    assert verified.exit_code == 0, verified.output
    assert json.loads(verified.output)["checked"] == 2
