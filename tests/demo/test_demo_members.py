"""The demo's 双联系 goes through the ledger: every liaison and contact is against a
standing-committee member recorded as such, so the members' views and the duty records
show them (the seed's figures are checked, unchanged, in test_demo.py)."""

from __future__ import annotations

import renda_core
from renda_core.demo import targets_for
from tests.conftest import STAFF
from tests.demo.test_demo import SCALE, run_demo


def test_liaisons_and_contacts_are_the_members_records(store: str) -> None:
    result = run_demo(store, "--scale", str(SCALE), "--seed", "7")
    assert result.exit_code == 0, result.output
    t = targets_for(SCALE, 7)
    with renda_core.open(store, actor=STAFF) as api:
        members = {m.id: m for m in api.list_members()}
        assert len(members) == 24
        liaised = [d for d in api.list_deputies(limit=1000).items if d.liaison is not None]
        assert len(liaised) == t.liaison_deputies > 0
        roster = api.report("deputies")
        contacts = sum(roster["contacts"].values())
        assert sum(m.contacts for m in members.values()) == contacts > 0  # all by members
        for deputy in liaised:
            record = api.record(deputy.id, 2023)
            liaisons = record.model_dump()["liaisons"]
            assert liaisons and {x["member"] for x in liaisons} <= set(members)
            assert {c["member"] for c in record.model_dump()["contacts"]} <= set(members)
            first = api.get_member(liaisons[0]["member"])  # the member's own view shows him
            assert deputy.id in {d["deputy_id"] for d in first.deputies}
            assert len(first.contacts) == record.summary["contacts"]
