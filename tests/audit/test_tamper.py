"""Every kind of tampering with the stored log is found by ``renda audit verify``,
which names the first bad position and exits 11 — on SQLite and on PostgreSQL. The
tampering bypasses the append-only triggers, as an owner of the database can."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from renda_core.application.audit.chain import GENESIS, event_digest, link_hash
from tests.audit.raw import Raw, raw, register, renda

N = 6


@pytest.fixture
def log(store: str) -> str:
    """A store of six events (positions 1–6), verified intact."""
    register(store, N)
    ok = renda(store, "audit", "verify", "--json")
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["last"] == N
    return store


def altered(store: str, position: int, *words: str) -> str:
    result = renda(store, "audit", "verify")
    assert result.exit_code == 11, result.output
    assert "Traceback" not in result.output
    line = result.output.strip()
    assert len(line.splitlines()) == 1, result.output
    assert f"position {position}" in line, line
    for word in words:
        assert word in line, line
    return line


def test_a_changed_byte_of_state_is_found(log: str) -> None:
    with raw(log) as db:
        state = bytearray(db.state(3))
        state[len(state) // 2] ^= 0x01
        db.set_state(3, bytes(state))
    altered(log, 3, "altered")


def test_a_changed_actor_is_found(log: str) -> None:
    with raw(log) as db:
        state = db.state(4)
        assert b'"clerk-1"' in state
        db.set_state(4, state.replace(b'"clerk-1"', b'"clerk-9"'))
    altered(log, 4, "altered")


def test_a_deleted_event_is_found(log: str) -> None:
    with raw(log) as db:
        db.q("DELETE FROM {events} WHERE {pos} = 3")
    altered(log, 3, "deleted")


def test_an_event_deleted_with_its_link_is_found(log: str) -> None:
    with raw(log) as db:
        db.q("DELETE FROM {events} WHERE {pos} = 3")
        db.q("DELETE FROM {chain} WHERE position = 3")
    altered(log, 3, "deleted")


def test_an_inserted_event_is_found(log: str) -> None:
    with raw(log) as db:
        (row,) = db.q("SELECT originator_id, topic, state FROM {events} WHERE {pos} = 2")
        other = uuid.uuid4()
        oid = other.hex if "://" not in log else other
        db.q(
            "INSERT INTO {events} (originator_id, originator_version, topic, state, {pos}) "
            "VALUES (?, 1, ?, ?, ?)",
            (oid, row[1], row[2], N + 1),
        )
    altered(log, N + 1, "inserted")


def test_an_event_inserted_with_a_forged_link_between_others_is_found(log: str) -> None:
    """An event squeezed in at a free position, with a link of its own: the next link
    still follows the position before it."""
    with raw(log) as db:
        db.move(5, 50)  # make room: 1 2 3 4 _ 6 … 50 (the chain still says 5)
        db.q("DELETE FROM {chain} WHERE position = 5")
        prev = db.q("SELECT hash FROM {chain} WHERE position = 4")[0][0]
        digest = event_digest("x", 1, "t", b"s")
        db.q(
            "INSERT INTO {chain} (position, prev_position, digest, hash) VALUES (?, ?, ?, ?)",
            (50, 4, digest, link_hash(50, 4, digest, prev)),
        )
    # position 5 is gone (its event moved to 50, its link deleted): 6 still follows 5
    altered(log, 5, "deleted")


def test_two_swapped_events_are_found(log: str) -> None:
    with raw(log) as db:
        db.move(2, 1000)
        db.move(5, 2)
        db.move(1000, 5)
    altered(log, 2, "reordered", "recorded at 5")


def test_a_truncated_tail_is_found_by_its_links(log: str) -> None:
    with raw(log) as db:
        db.q("DELETE FROM {events} WHERE {pos} > 4")
    altered(log, 5, "deleted")


def test_a_tail_truncated_with_its_links_is_found_by_a_seal(
    log: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "seal.pem"
    assert renda(log, "audit", "keygen", "--output", str(key)).exit_code == 0
    monkeypatch.setenv("RENDA_SEAL_KEY", str(key))
    sealed = renda(log, "audit", "seal")
    assert sealed.exit_code == 0, sealed.output
    assert json.loads(sealed.output)["position"] == N
    with raw(log) as db:
        db.q("DELETE FROM {events} WHERE {pos} > 4")
        db.q("DELETE FROM {chain} WHERE position > 4")
    line = altered(log, 5, "truncated")
    assert f"pins position {N}" in line


def rewrite_chain(db: Raw) -> None:
    """What an attacker who knows the algorithm does after altering events: recompute
    every link, so the chain is consistent again."""
    rows = db.q(
        "SELECT {pos}, originator_id, originator_version, topic, state FROM {events} ORDER BY {pos}"
    )
    db.q("DELETE FROM {chain}")
    prev = (0, GENESIS)
    for pos, oid, version, topic, state in rows:
        digest = event_digest(oid, version, topic, bytes(state))
        value = link_hash(pos, prev[0], digest, prev[1])
        db.q(
            "INSERT INTO {chain} (position, prev_position, digest, hash) VALUES (?, ?, ?, ?)",
            (pos, prev[0], digest, value),
        )
        prev = (pos, value)


def test_the_seal_catches_a_rewrite_of_the_whole_chain(
    log: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "seal.pem"
    assert renda(log, "audit", "keygen", "--output", str(key)).exit_code == 0
    monkeypatch.setenv("RENDA_SEAL_KEY", str(key))
    archived = tmp_path / "seal.json"
    assert renda(log, "audit", "seal", "--output", str(archived)).exit_code == 0
    with raw(log) as db:
        db.set_state(3, db.state(3).replace(b'"clerk-1"', b'"clerk-9"'))
        rewrite_chain(db)
    line = altered(log, N, "rewritten", "seal #1")
    # the attacker also deletes the stored seal: the archived copy still catches it
    with raw(log) as db:
        db.q("DELETE FROM {seals}")
    assert renda(log, "audit", "verify").exit_code == 0  # the chain alone is consistent
    result = renda(log, "audit", "verify", "--seal", str(archived))
    assert result.exit_code == 11, result.output
    assert "rewritten" in result.output and line


def test_a_forged_seal_is_refused(
    log: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "seal.pem"
    assert renda(log, "audit", "keygen", "--output", str(key)).exit_code == 0
    monkeypatch.setenv("RENDA_SEAL_KEY", str(key))
    assert renda(log, "audit", "seal").exit_code == 0
    with raw(log) as db:
        db.q("UPDATE {seals} SET actor = 'someone else'")
    result = renda(log, "audit", "verify")
    assert result.exit_code == 11, result.output
    assert "signature is not valid" in result.output


def test_a_seal_by_an_untrusted_key_is_refused(
    log: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine, theirs = tmp_path / "mine.pem", tmp_path / "theirs.pem"
    for key in (mine, theirs):
        assert renda(log, "audit", "keygen", "--output", str(key)).exit_code == 0
    monkeypatch.setenv("RENDA_SEAL_KEY", str(theirs))
    assert renda(log, "audit", "seal").exit_code == 0
    monkeypatch.delenv("RENDA_SEAL_KEY")
    trusted = renda(log, "audit", "verify", "--public-key", f"{theirs}.pub")
    assert trusted.exit_code == 0, trusted.output
    result = renda(log, "audit", "verify", "--public-key", f"{mine}.pub")
    assert result.exit_code == 11, result.output
    assert "not trusted" in result.output


def test_verify_from_a_position_trusts_the_link_before_it(log: str) -> None:
    with raw(log) as db:
        db.set_state(2, db.state(2).replace(b'"clerk-1"', b'"clerk-9"'))
    altered(log, 2, "altered")
    later = renda(log, "audit", "verify", "--from", "3", "--json")
    assert later.exit_code == 0, later.output
    assert json.loads(later.output)["first"] == 3
