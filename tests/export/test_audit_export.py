"""``renda audit export`` → ``renda audit verify --export``: the round trip in every
format on both stores, and every kind of tampering with the file is caught offline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from renda_core import Renda
from renda_core.application.export import file_sha256, manifest_path
from tests.audit.raw import raw, register, renda

FORMATS = ["jsonl", "csv", "xlsx"]


def sealed_store(store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three deputies, a seal, two more deputies; returns the public key file."""
    register(store, 3)
    key = tmp_path / "seal.pem"
    assert renda(store, "audit", "keygen", "--output", str(key)).exit_code == 0
    monkeypatch.setenv("RENDA_SEAL_KEY", str(key))
    sealed = renda(store, "--role", "auditor", "audit", "seal")
    assert sealed.exit_code == 0, sealed.output
    monkeypatch.delenv("RENDA_SEAL_KEY")
    register(store, 2, start=3)
    return Path(f"{key}.pub")


def export(store: str, out: Path, *args: str) -> dict[str, Any]:
    # An unredacted export (staff): every row's content is checked offline. An auditor's
    # export without --reason is redacted (tests/audit/test_read_policy.py).
    result = renda(store, "--role", "staff", "audit", "export", "--output", str(out), *args)
    assert result.exit_code == 0, result.output
    return json.loads(manifest_path(out).read_text(encoding="utf-8"))


def verify(export_file: Path, *args: str) -> Any:
    # No store at all: the offline check never opens one.
    missing = str(export_file.parent / "no-such-store.sqlite")
    result = renda(missing, "audit", "verify", "--export", str(export_file), *args)
    assert not Path(missing).exists()
    return result


def log_positions(store: str) -> list[int]:
    with Renda(store) as app:
        return [n.id for n in app.recorder.select_notifications(1, 10_000)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_then_offline_verify_round_trip(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    public = sealed_store(store, tmp_path, monkeypatch)
    out = tmp_path / f"audit.{fmt}"
    manifest = export(store, out, "--format", fmt)
    positions = log_positions(store)
    assert manifest["rows"] == manifest["events"] == len(positions)
    assert (manifest["first_position"], manifest["last_position"]) == (positions[0], positions[-1])
    assert manifest["start"] == {"position": 0, "hash": "0" * 64}
    assert manifest["end"]["position"] == positions[-1]
    assert len(manifest["seals"]) == 1 and manifest["seals"][0]["position"] < positions[-1]
    assert manifest["sha256"] == file_sha256(out)
    checked = verify(out, "--public-key", str(public), "--json")
    assert checked.exit_code == 0, checked.output
    data = json.loads(checked.output)
    assert data["ok"] and data["sha256_ok"] and data["rows"] == len(positions)
    assert data["head_hash"] == manifest["end"]["hash"]
    assert len(data["seals"]) == 1
    # The store's own verification agrees on the head.
    live = renda(store, "audit", "verify", "--json")
    assert json.loads(live.output)["head_hash"] == manifest["end"]["hash"]


def test_a_range_and_one_record(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sealed_store(store, tmp_path, monkeypatch)
    positions = log_positions(store)
    part = tmp_path / "part.jsonl"
    manifest = export(store, part, "--from", str(positions[1]), "--to", str(positions[-2]))
    assert manifest["rows"] == len(positions) - 2
    assert manifest["start"]["position"] == positions[0]
    assert verify(part).exit_code == 0
    with Renda(store) as app:
        first = next(iter(app.recorder.select_notifications(1, 1)))
        record = str(first.originator_id)
        versions = len(app.recorder.select_events(first.originator_id))
    one = tmp_path / "one.csv"
    manifest = export(store, one, "--aggregate", record, "--format", "csv")
    assert manifest["events"] == versions
    assert manifest["links_only"] == len(positions) - versions
    assert verify(one).exit_code == 0


def _tamper_jsonl(path: Path, how: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if how == "byte":
        row = json.loads(lines[2])
        row["data"]["name"] = row["data"]["name"] + "X"
        row["actor"] = "forger"
        lines[2] = json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
    elif how == "state":
        row = json.loads(lines[2])
        state = bytearray(__import__("base64").b64decode(row["state"]))
        state[len(state) // 2] ^= 1
        row["state"] = __import__("base64").b64encode(bytes(state)).decode()
        lines[2] = json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
    elif how == "removed":
        del lines[2]
    elif how == "last removed":
        del lines[-1]
    elif how == "swapped":
        lines[1], lines[2] = lines[2], lines[1]
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize("how", ["byte", "state", "removed", "last removed", "swapped"])
def test_a_tampered_jsonl_export_is_caught(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    sealed_store(store, tmp_path, monkeypatch)
    out = tmp_path / "audit.jsonl"
    export(store, out)
    _tamper_jsonl(out, how)
    caught = verify(out)
    assert caught.exit_code == 11, caught.output
    assert "the export was altered" in caught.output
    assert "Traceback" not in caught.output
    # Even with the manifest's SHA-256 made to match, the chain still shows it.
    manifest = json.loads(manifest_path(out).read_text())
    manifest["sha256"] = file_sha256(out)
    manifest_path(out).write_text(json.dumps(manifest))
    again = verify(out)
    assert again.exit_code == 11, again.output
    if how == "state":
        assert f"position {log_positions(store)[2]}" in again.output
        assert "altered" in again.output
    if how == "byte":
        assert f"position {log_positions(store)[2]}" in again.output
        assert "readable columns" in again.output
    if how == "removed":
        assert f"position {log_positions(store)[3]}" in again.output


@pytest.mark.parametrize("fmt", FORMATS)
def test_readable_columns_must_say_what_the_hashed_state_says(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """The decoded columns are not hashed by the chain: verify decodes each state with
    renda's mapper and compares (and the file's SHA-256 covers them too)."""
    sealed_store(store, tmp_path, monkeypatch)
    out = tmp_path / f"audit.{fmt}"
    export(store, out, "--format", fmt)
    if fmt == "jsonl":
        _tamper_jsonl(out, "byte")
    elif fmt == "csv":
        text = out.read_text(encoding="utf-8")
        assert text.count("代表1") == 1
        out.write_text(text.replace("代表1", "代表9"), encoding="utf-8")
    else:
        import openpyxl

        book = openpyxl.load_workbook(out)
        sheet = book["events"]
        cell = sheet.cell(row=3, column=10)  # the actor of the second row
        cell.value = "forger"
        book.save(out)
    caught = verify(out, "--json")
    assert caught.exit_code == 11, caught.output
    assert "SHA-256 is not the manifest's" in caught.output
    manifest = json.loads(manifest_path(out).read_text())
    manifest["sha256"] = file_sha256(out)
    manifest_path(out).write_text(json.dumps(manifest))
    again = verify(out)
    assert again.exit_code == 11, again.output
    assert "readable columns do not say what its hashed state says" in again.output


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_changed_byte_in_csv_or_xlsx_is_caught(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    sealed_store(store, tmp_path, monkeypatch)
    out = tmp_path / f"audit.{fmt}"
    export(store, out, "--format", fmt)
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x20
    out.write_bytes(bytes(data))
    caught = verify(out)
    assert caught.exit_code == 11, caught.output
    assert "Traceback" not in caught.output


def test_a_rewritten_export_is_caught_by_the_seal(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forger who recomputes every link and the manifest cannot match the seal."""
    from renda_core.application.audit.chain import event_digest, link_hash

    public = sealed_store(store, tmp_path, monkeypatch)
    out = tmp_path / "audit.jsonl"
    export(store, out)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    rows[0]["topic"] = rows[0]["topic"] + "X"
    prev = (0, "0" * 64)
    for row in rows:
        row["prev_position"] = prev[0]
        row["digest"] = event_digest(
            row["originator_id"],
            row["version"],
            row["topic"],
            __import__("base64").b64decode(row["state"]),
        )
        row["hash"] = link_hash(row["position"], prev[0], row["digest"], prev[1])
        prev = (row["position"], row["hash"])
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    manifest = json.loads(manifest_path(out).read_text())
    manifest["sha256"] = file_sha256(out)
    manifest["end"]["hash"] = prev[1]
    manifest_path(out).write_text(json.dumps(manifest))
    caught = verify(out, "--public-key", str(public))
    assert caught.exit_code == 11, caught.output
    assert "not what was sealed" in caught.output
    # And a seal from another key is not trusted.
    other = tmp_path / "other.pem"
    assert renda(store, "audit", "keygen", "--output", str(other)).exit_code == 0
    fresh = tmp_path / "fresh.jsonl"
    export(store, fresh)
    untrusted = verify(fresh, "--public-key", f"{other}.pub")
    assert untrusted.exit_code == 11 and "not trusted" in untrusted.output


def test_an_export_never_certifies_an_altered_log(store: str, tmp_path: Path) -> None:
    register(store, 3)
    positions = log_positions(store)
    with raw(store) as db:
        state = bytearray(db.state(positions[1]))
        state[-2] ^= 1
        db.set_state(positions[1], bytes(state))
    out = tmp_path / "audit.jsonl"
    result = renda(store, "--role", "auditor", "audit", "export", "--output", str(out))
    assert result.exit_code == 11, result.output
    assert f"position {positions[1]}" in result.output
    assert not out.exists() and not manifest_path(out).exists()


def test_export_errors_are_one_line(store: str, tmp_path: Path) -> None:
    register(store, 1)
    out = tmp_path / "a.jsonl"
    unit = renda(store, "--role", "unit:交通厅", "audit", "export", "--output", str(out))
    assert unit.exit_code == 6 and not out.exists()
    empty = renda(
        store, "--role", "auditor", "audit", "export", "--from", "999", "--output", str(out)
    )
    assert empty.exit_code == 3 and not out.exists()
    bad = renda(
        store, "--role", "auditor", "audit", "export", "--aggregate", "nope", "--output", str(out)
    )
    assert bad.exit_code == 3, bad.output
    unknown = renda(
        store,
        "--role",
        "auditor",
        "audit",
        "export",
        "--aggregate",
        str(uuid4()),
        "--output",
        str(out),
    )
    assert unknown.exit_code == 4 and not out.exists(), unknown.output
    no_manifest = tmp_path / "b.jsonl"
    no_manifest.write_text("{}\n")
    missing = verify(no_manifest)
    assert missing.exit_code == 3 and "manifest" in missing.output
    copy = tmp_path / "c.jsonl"
    export(store, out)
    shutil.copy(out, copy)
    assert verify(copy).exit_code == 3  # its manifest is not beside it


def test_an_encrypted_store_exports_and_verifies_offline(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chain covers the state as stored (encrypted): the offline check needs no key;
    with the key it also checks the readable columns."""
    from renda_core.application.audit.keys import new_cipher_key

    monkeypatch.setenv("RENDA_CIPHER_KEY", new_cipher_key())
    register(store, 2)
    out = tmp_path / "audit.jsonl"
    export(store, out)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert "代表0" in json.dumps(rows, ensure_ascii=False)  # decoded for reading
    with_key = verify(out, "--json")
    assert with_key.exit_code == 0, with_key.output
    assert not json.loads(with_key.output)["notes"]
    monkeypatch.delenv("RENDA_CIPHER_KEY")
    without = verify(out, "--json")
    assert without.exit_code == 0, without.output
    assert "were not checked" in json.loads(without.output)["notes"][0]


def test_a_seal_file_catches_a_rewrite_whose_manifest_dropped_the_seals(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The auditor's own copy of a seal (``--seal FILE``) is checked against the export
    even when the manifest no longer lists it."""
    from renda_core.application.audit.chain import event_digest, link_hash

    register(store, 3)
    key = tmp_path / "seal.pem"
    assert renda(store, "audit", "keygen", "--output", str(key)).exit_code == 0
    monkeypatch.setenv("RENDA_SEAL_KEY", str(key))
    seal_file = tmp_path / "seal.json"
    made = renda(store, "--role", "auditor", "audit", "seal", "--output", str(seal_file))
    assert made.exit_code == 0, made.output
    monkeypatch.delenv("RENDA_SEAL_KEY")
    out = tmp_path / "audit.jsonl"
    export(store, out)
    public = f"{key}.pub"
    honest = verify(out, "--seal", str(seal_file), "--public-key", public, "--json")
    assert honest.exit_code == 0, honest.output
    assert len(json.loads(honest.output)["seals"]) == 1  # the file's copy counted once
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    rows[1]["version"] = rows[1]["version"] + 1
    prev = (0, "0" * 64)
    for row in rows:
        row["prev_position"] = prev[0]
        row["digest"] = event_digest(
            row["originator_id"],
            row["version"],
            row["topic"],
            __import__("base64").b64decode(row["state"]),
        )
        row["hash"] = link_hash(row["position"], prev[0], row["digest"], prev[1])
        prev = (row["position"], row["hash"])
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    manifest = json.loads(manifest_path(out).read_text())
    manifest.update(sha256=file_sha256(out), seals=[])
    manifest["end"]["hash"] = prev[1]
    manifest_path(out).write_text(json.dumps(manifest))
    caught = verify(out, "--seal", str(seal_file), "--public-key", public)
    assert caught.exit_code == 11, caught.output
    assert "not what was sealed" in caught.output


def test_verify_names_an_export_path_that_is_no_file(tmp_path: Path) -> None:
    """``--export ''`` ended in a traceback (a path of no name has no manifest beside it);
    an empty path, a folder, a missing file and a control character are usage errors
    (exit 2) naming the value, and the library refuses a path that is no file."""
    from renda_core.application.export import verify_export
    from renda_core.domain.errors import InvalidInput

    for value, said in [
        ("", "is not a file path"),
        (str(tmp_path), "is not a file"),
        (str(tmp_path / "gone.jsonl"), "does not exist"),
        ("a\x00b", "is not a file path"),
    ]:
        result = renda(
            str(tmp_path / "none.sqlite"), "--lang", "en", "audit", "verify", "--export", value
        )
        assert result.exit_code == 2, (value, result.output)
        assert said in result.output and "Traceback" not in result.output, result.output
    for path in (Path(""), tmp_path, tmp_path / "gone.jsonl"):
        with pytest.raises(InvalidInput, match="is not an export file"):
            verify_export(path, [])
