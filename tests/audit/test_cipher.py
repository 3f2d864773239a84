"""Encryption at rest: with RENDA_CIPHER_KEY the events' state is AES-GCM encrypted
(through ``cryptography``), so a distinctive name, phone and note are nowhere in the
SQLite file or the PostgreSQL event tables; a wrong key or a flipped byte is one line
with exit 8, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from renda_core import Renda
from renda_core.application.audit.keys import new_cipher_key
from tests.audit.raw import is_pg, raw, renda
from tests.conftest import STAFF, register_payload

NAME = "欧阳秘密"
PHONE = "13912345678"
NOTE = "只在这里出现的备注"
SECRETS = [NAME.encode(), PHONE.encode(), NOTE.encode()]


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    value = new_cipher_key()
    monkeypatch.setenv("RENDA_CIPHER_KEY", value)
    return value


def _record(store: str) -> str:
    with Renda(store) as app:
        deputy = app.register_deputy(register_payload(name=NAME, phone=PHONE), STAFF)
        app.liaise_deputy({"deputy_id": deputy, "member": "常委甲", "date": "2023-02-01"}, STAFF)
        app.record_contact(
            {"deputy_id": deputy, "form": "visit", "note": NOTE, "date": "2023-03-01"}, STAFF
        )
    return str(deputy)


def _stored_bytes(store: str) -> bytes:
    if not is_pg(store):
        return b"".join(
            p.read_bytes() for p in Path(store).parent.glob(Path(store).name + "*") if p.is_file()
        )
    with raw(store, bypass=False) as db:
        schema = db.names["events"].split(".")[0]
        rows = db.q(f"SELECT state FROM {schema}.renda_events")
        rows += db.q(f"SELECT state FROM {schema}.renda_snapshots")
        rows += db.q("SELECT digest || hash FROM {chain}")
    return b"".join(
        bytes(r[0]) if isinstance(r[0], bytes | memoryview) else r[0].encode() for r in rows
    )


def test_personal_data_is_not_in_the_store(store: str, key: str) -> None:
    deputy = _record(store)
    stored = _stored_bytes(store)
    assert stored
    for secret in SECRETS:
        assert secret not in stored, secret.decode()
    shown = renda(store, "deputy", "show", deputy, "--json")
    assert shown.exit_code == 0, shown.output
    assert NAME in shown.output and PHONE in shown.output
    assert renda(store, "audit", "verify").exit_code == 0  # the chain needs no key


def test_without_the_cipher_the_data_is_in_the_store(store: str) -> None:
    """The control: the same grep finds them when the cipher is off."""
    _record(store)
    stored = _stored_bytes(store)
    assert NAME.encode() in stored and PHONE.encode() in stored


def test_a_wrong_key_is_one_line_exit_8(
    store: str, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    deputy = _record(store)
    monkeypatch.setenv("RENDA_CIPHER_KEY", new_cipher_key())
    for args in (["deputy", "show", deputy], ["events", "list"], ["audit", "history", deputy]):
        result = renda(store, *args)
        assert result.exit_code == 8, result.output
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
        assert "CIPHER_KEY" in result.output


def test_a_flipped_byte_is_one_line_exit_8(store: str, key: str) -> None:
    deputy = _record(store)
    with raw(store) as db:
        ((pos,),) = db.q("SELECT min({pos}) FROM {events}")
        state = bytearray(db.state(pos))
        state[-1] ^= 0x01
        db.set_state(pos, bytes(state))
    result = renda(store, "deputy", "show", deputy)
    assert result.exit_code == 8, result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert renda(store, "audit", "verify").exit_code == 11


@pytest.mark.parametrize("bad", ["not base64!", "c2hvcnQ="])
def test_a_key_that_is_not_a_key_is_one_line_exit_8(
    store: str, monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    monkeypatch.setenv("RENDA_CIPHER_KEY", bad)
    result = renda(store, "deputy", "list")
    assert result.exit_code == 8, result.output
    assert "RENDA_CIPHER_KEY is not a cipher key" in result.output


def test_keygen_prints_a_cipher_key(tmp_path: Path) -> None:
    result = renda(str(tmp_path / "x.sqlite"), "audit", "keygen", "--cipher")
    assert result.exit_code == 0, result.output
    import base64

    assert len(base64.b64decode(result.output.strip())) == 32


def _view_bytes(store: str) -> bytes:
    """Everything the views hold: the SQLite view files, or every PostgreSQL table of
    the store's schema other than the log's own (events, snapshots, chain, seals)."""
    if not is_pg(store):
        views = Path(store + ".views")
        files = [p for p in views.glob("*") if p.is_file()]
        assert files, "no view files"
        return b"".join(p.read_bytes() for p in files)
    with raw(store, bypass=False) as db:
        schema = db.names["events"].split(".")[0]
        log_tables = {
            "renda_events",
            "renda_snapshots",
            *(n.split(".")[-1] for n in db.names.values()),
        }
        tables = [
            t
            for (t,) in db.q(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
                (schema,),
            )
            if t not in log_tables
        ]
        assert any(t.endswith("entities") for t in tables), tables
        chunks = []
        for table in tables:
            for row in db.q(f"SELECT * FROM {schema}.{table}"):
                chunks.append(" ".join(str(v) for v in row).encode())
    return b"".join(chunks)


def _catch_up_views(store: str, deputy: str) -> None:
    import renda_core

    with renda_core.open(store) as api:
        errors = api.catch_up()  # every projection's view, the duty record's included
    assert errors and not any(errors.values()), errors
    record = renda(store, "deputy", "show", deputy, "--json")
    assert NAME in record.output  # the reads decrypt what the views hold


def test_personal_data_is_not_in_the_views(store: str, key: str) -> None:
    """The views (roster, duty record with its contacts' notes, …) encrypt their
    documents with the store's cipher: the same grep over the view files / tables."""
    deputy = _record(store)
    _catch_up_views(store, deputy)
    listed = renda(store, "deputy", "list", "--json")
    assert NAME in listed.output  # read back through the cipher
    held = _view_bytes(store)
    for secret in SECRETS:
        assert secret not in held, secret.decode()


def test_without_the_cipher_the_views_hold_the_data(store: str) -> None:
    """The control: without the key the same grep finds the name and the note."""
    deputy = _record(store)
    _catch_up_views(store, deputy)
    held = _view_bytes(store)
    assert NAME.encode() in held and NOTE.encode() in held


def test_an_encrypted_view_with_a_wrong_key_is_one_line_exit_8(
    store: str, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    deputy = _record(store)
    _catch_up_views(store, deputy)
    monkeypatch.setenv("RENDA_CIPHER_KEY", new_cipher_key())
    result = renda(store, "deputy", "list")
    assert result.exit_code == 8, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def _notify(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A citizen who opted in (phone in the delivery address) and the messages of the
    referral to a unit derived into the outbox, the inbox ones delivered."""
    from renda_core.notify import Notifier
    from renda_core.ports.plugins import get_plugin_manager
    from tests.application.test_escalation import accepted_opinion

    monkeypatch.setenv("RENDA_CITIZEN_SMS", "json://127.0.0.1:9/sms?to={phone}")
    with Renda(store) as app:
        quiet, deputy = accepted_opinion(app)
        told = app.collect_opinion(
            {
                "station_id": app.opinion(quiet)["station_id"],
                "channel": "app",
                "content": NOTE,
                "deputies": [deputy],
                "citizen_name": NAME,
                "citizen_phone": PHONE,
                "citizen_notify": True,
                "date": "2023-03-05",
            },
            STAFF,
        )
        app.screen_opinion({"opinion_id": told, "outcome": "accepted", "date": "2023-03-06"}, STAFF)
        app.refer_opinion(
            {
                "opinion_id": told,
                "body": "朝阳区城管局",
                "body_kind": "department",
                "due": "2023-04-06",
                "date": "2023-03-07",
            },
            STAFF,
        )
        notifier = Notifier(app, get_plugin_manager())
        assert notifier.derive() > 0
        notifier.deliver()  # inbox messages land in the inbox; the SMS fails (port 9)
        held = [r.message for r in notifier.outbox.rows()]
        assert any(PHONE in m.address for m in held)  # read back through the cipher


def _outbox_bytes(store: str) -> bytes:
    if not is_pg(store):
        return Path(store).read_bytes() + b"".join(
            p.read_bytes() for p in Path(store).parent.glob(Path(store).name + "-wal")
        )
    with raw(store, bypass=False) as db:
        schema = db.names["events"].split(".")[0]
        tables = [
            t
            for (t,) in db.q(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
                (schema,),
            )
            if "_notify_" in t
        ]
        assert any(t.endswith("_notify_outbox") for t in tables), tables
        chunks = [
            " ".join(str(v) for v in row).encode()
            for table in tables
            for row in db.q(f"SELECT * FROM {schema}.{table}")
        ]
    return b"".join(chunks)


def test_personal_data_is_not_in_the_outbox(
    store: str, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _notify(store, monkeypatch)
    held = _outbox_bytes(store)
    for secret in SECRETS:
        assert secret not in held, secret.decode()


def test_without_the_cipher_the_outbox_holds_the_phone(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _notify(store, monkeypatch)
    assert PHONE.encode() in _outbox_bytes(store)
