"""``renda audit`` at the edge: key files, seal files and roles give documented exit
codes and one line, never a traceback."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.audit.raw import register, renda


def test_keygen_writes_a_pair_and_never_overwrites(tmp_path: Path) -> None:
    store = str(tmp_path / "s.sqlite")
    key = tmp_path / "k.pem"
    made = renda(store, "audit", "keygen", "--output", str(key))
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert "PRIVATE KEY" in key.read_text() and "PUBLIC KEY" in Path(f"{key}.pub").read_text()
    before = key.read_bytes()
    again = renda(store, "audit", "keygen", "--output", str(key))
    assert again.exit_code == 5, again.output
    assert key.read_bytes() == before
    missing = renda(store, "audit", "keygen", "--output", str(tmp_path / "no" / "k.pem"))
    assert missing.exit_code == 2, missing.output


@pytest.mark.parametrize("key", ["", "a\x00b", "/", "x" * 5000])
def test_seal_with_a_key_that_is_not_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    store = str(tmp_path / "s.sqlite")
    register(store, 1)
    if key:
        monkeypatch.setenv("RENDA_SEAL_KEY", "unused")
        result = renda(store, "audit", "seal", "--key", key)
    else:
        monkeypatch.delenv("RENDA_SEAL_KEY", raising=False)
        result = renda(store, "audit", "seal")
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_seal_refuses_a_public_key_and_a_role_that_may_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = str(tmp_path / "s.sqlite")
    register(store, 1)
    key = tmp_path / "k.pem"
    assert renda(store, "audit", "keygen", "--output", str(key)).exit_code == 0
    wrong = renda(store, "audit", "seal", "--key", f"{key}.pub")
    assert wrong.exit_code == 3 and "not an unencrypted Ed25519 private key" in wrong.output
    monkeypatch.setenv("RENDA_SEAL_KEY", str(key))
    unit = renda(store, "--role", "unit:交通厅", "audit", "seal")
    assert unit.exit_code == 6, unit.output
    assert renda(store, "--role", "auditor", "audit", "seal").exit_code == 0


def test_sealing_an_empty_log_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = str(tmp_path / "s.sqlite")
    key = tmp_path / "k.pem"
    assert renda(store, "audit", "keygen", "--output", str(key)).exit_code == 0
    monkeypatch.setenv("RENDA_SEAL_KEY", str(key))
    result = renda(store, "audit", "seal")
    assert result.exit_code == 5, result.output
    empty = renda(store, "audit", "verify", "--json")
    assert empty.exit_code == 0 and json.loads(empty.output)["checked"] == 0


@pytest.mark.parametrize("content", ["", "{}", "[1]", "not json", '{"format": "renda-seal-1"}'])
def test_a_seal_file_that_is_not_one(tmp_path: Path, content: str) -> None:
    store = str(tmp_path / "s.sqlite")
    register(store, 1)
    seal = tmp_path / "seal.json"
    seal.write_text(content)
    for path in (str(seal), str(tmp_path / "missing.json"), "a\x00b"):
        result = renda(store, "audit", "verify", "--seal", path)
        assert result.exit_code == 3, result.output
        assert "Traceback" not in result.output


def test_a_seal_of_another_store_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = str(tmp_path / "one.sqlite"), str(tmp_path / "two.sqlite")
    register(one, 1)
    register(two, 1)
    key = tmp_path / "k.pem"
    assert renda(one, "audit", "keygen", "--output", str(key)).exit_code == 0
    monkeypatch.setenv("RENDA_SEAL_KEY", str(key))
    seal = tmp_path / "seal.json"
    assert renda(one, "audit", "seal", "--output", str(seal)).exit_code == 0
    result = renda(two, "audit", "verify", "--seal", str(seal))
    assert result.exit_code == 3, result.output
    assert "is for store" in result.output


def test_verify_on_a_read_only_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "s.sqlite"
    register(str(store), 2)
    key = tmp_path / "k.pem"
    assert renda(str(store), "audit", "keygen", "--output", str(key)).exit_code == 0
    monkeypatch.setenv("RENDA_SEAL_KEY", str(key))
    assert renda(str(store), "audit", "seal").exit_code == 0
    store.chmod(0o444)
    result = renda(str(store), "audit", "verify", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["checked"] == 2
