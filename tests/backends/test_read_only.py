"""A read-only copy of a store can be read (reports, events, status) and is never written.

The tests run as root in CI, where chmod does not stop writing: read-only is decided by
the permission bits (or ``--read-only``), not by trying to write, so these pass as root.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from renda_core import Renda, StoreUnavailable
from renda_core.application.store import parse_store
from renda_core.cli import cli
from tests.conftest import STAFF, register_payload

WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def _invoke(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", store, *args])


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _chmod_tree(folder: Path, writable: bool) -> None:
    for p in [folder, *folder.rglob("*")]:
        mode = p.stat().st_mode
        p.chmod(mode | stat.S_IWUSR if writable else mode & ~WRITE_BITS)


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Path]:
    """A store with two deputies whose views were built after the first one only,
    in a folder made read-only afterwards (restored for clean-up)."""
    folder = tmp_path / "archive"
    folder.mkdir()
    store = folder / "renda.sqlite"
    with Renda(str(store)) as app:
        app.register_deputy(register_payload(name="金美玉"), STAFF)
    assert _invoke(str(store), "report", "deputies", "--json").exit_code == 0
    with Renda(str(store)) as app:
        app.register_deputy(register_payload(name="李明"), STAFF)
    _chmod_tree(folder, writable=False)
    yield store
    _chmod_tree(folder, writable=True)


def test_a_store_in_a_read_only_folder_opens_read_only(archive: Path) -> None:
    config = parse_store(str(archive))
    assert config.read_only == "its file is not writable"
    assert config.env["SQLITE_DBNAME"].startswith("file:")
    assert "immutable=1" in config.env["SQLITE_DBNAME"]
    assert config.env["CREATE_TABLE"] == "false"


def test_reports_events_and_status_read_a_read_only_copy(archive: Path) -> None:
    before = _snapshot(archive.parent)
    store = str(archive)

    events = _invoke(store, "events", "list", "--json")
    assert events.exit_code == 0, events.output
    assert [e["data"]["name"] for e in json.loads(events.output)] == ["金美玉", "李明"]

    status = _invoke(store, "projections", "status", "--json")
    assert status.exit_code == 0, status.output
    roster = next(r for r in json.loads(status.output) if r["name"] == "deputy_roster")
    assert (roster["position"], roster["head"]) == (1, 2)  # the view as it was stored

    report = _invoke(store, "report", "deputies", "--json")
    assert report.exit_code == 0, report.output
    # The report is current with the log: its view was caught up in a temporary copy.
    assert json.loads(report.output)["registered_total"] == 2

    listing = _invoke(store, "deputy", "list", "--json")
    assert listing.exit_code == 0, listing.output

    check = _invoke(store, "store", "check", "--json")
    assert check.exit_code == 0, check.output
    assert [r["note"] for r in json.loads(check.output) if r["role"] == "log"] == [
        "2 events decoded"
    ]

    assert _snapshot(archive.parent) == before  # nothing written, nothing created


def test_writing_commands_on_a_read_only_copy_fail_and_write_nothing(archive: Path) -> None:
    before = _snapshot(archive.parent)
    store = str(archive)
    args = ["deputy", "register", "--name", "王芳", "--level", "provincial", "--term", "14"]
    args += ["--electoral-unit", "长春市", "--area", "220100", "--date", "2024-01-05"]
    for command in (args, ["projections", "catch-up"], ["projections", "rebuild"]):
        result = _invoke(store, *command)
        assert result.exit_code == 8, result.output
        assert "Traceback" not in result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1
        assert f"the store {archive} is read-only (its file is not writable)" in lines[0]
    assert _snapshot(archive.parent) == before
    events = _invoke(store, "events", "list", "--json")
    assert len(json.loads(events.output)) == 2


def test_the_application_refuses_writes_to_a_read_only_store(archive: Path) -> None:
    with Renda(str(archive)) as app, pytest.raises(StoreUnavailable, match="is read-only"):
        app.register_deputy(register_payload(name="王芳"), STAFF)


def test_read_only_flag_on_a_writable_store(tmp_path: Path) -> None:
    store = tmp_path / "live.sqlite"
    with Renda(str(store)) as app:
        app.register_deputy(register_payload(name="金美玉"), STAFF)
    log_bytes = store.read_bytes()
    args = ["--store", str(store), "--read-only"]
    result = CliRunner().invoke(cli, [*args, "deputy", "list", "--json"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, [*args, "report", "deputies", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["registered_total"] == 1
    assert not (tmp_path / "live.sqlite.views").exists()  # views built elsewhere
    register = [*args, "deputy", "register", "--name", "李明", "--level", "provincial"]
    register += ["--term", "14", "--electoral-unit", "长春市", "--area", "220100"]
    result = CliRunner().invoke(cli, register)
    assert result.exit_code == 8
    assert "is read-only (opened with --read-only): nothing was recorded" in result.output
    assert store.read_bytes() == log_bytes
    with Renda(str(store)) as app:
        assert app.recorder.max_notification_id() == 1


def test_read_only_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "live.sqlite"
    with Renda(str(store)) as app:
        app.register_deputy(register_payload(name="金美玉"), STAFF)
    monkeypatch.setenv("RENDA_READ_ONLY", "1")
    result = _invoke(
        str(store),
        *["deputy", "register", "--name", "李明", "--level", "provincial", "--term", "14"],
        *["--electoral-unit", "长春市", "--area", "220100"],
    )
    assert result.exit_code == 8 and "read-only" in result.output


def test_a_missing_read_only_store_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.sqlite"
    result = CliRunner().invoke(cli, ["--store", str(missing), "--read-only", "events", "list"])
    assert result.exit_code == 8
    assert f"the store {missing} does not exist" in result.output
    assert not missing.exists()


def test_read_only_is_for_sqlite(backend: str, store: str) -> None:
    if backend == "sqlite":
        with Renda(store) as app:
            app.register_deputy(register_payload(), STAFF)
        assert parse_store(store, read_only=True).read_only == "opened with --read-only"
        return
    result = CliRunner().invoke(cli, ["--store", store, "--read-only", "events", "list"])
    assert result.exit_code == 8
    assert "--read-only is for SQLite stores" in result.output


def test_write_bits_not_access_decide(archive: Path) -> None:
    """As root, os.access says every file is writable; the bits still say read-only."""
    if os.geteuid() == 0:
        assert os.access(archive, os.W_OK)
    assert parse_store(str(archive)).read_only


def test_demo_fresh_never_deletes_a_read_only_store(archive: Path) -> None:
    before = _snapshot(archive.parent)
    result = CliRunner().invoke(cli, ["demo", "--store", str(archive), "--fresh", "--quiet"])
    assert result.exit_code == 8
    assert "is read-only (its file is not writable): nothing was deleted" in result.output
    assert _snapshot(archive.parent) == before


def test_an_archive_without_views_gets_no_views_folder(tmp_path: Path) -> None:
    folder = tmp_path / "bare"
    folder.mkdir()
    store = folder / "renda.sqlite"
    with Renda(str(store)) as app:
        app.register_deputy(register_payload(), STAFF)
    _chmod_tree(folder, writable=False)
    try:
        result = _invoke(str(store), "report", "deputies", "--json")
        assert result.exit_code == 0 and json.loads(result.output)["registered_total"] == 1
        assert sorted(p.name for p in folder.iterdir()) == ["renda.sqlite"]
    finally:
        _chmod_tree(folder, writable=True)


def test_a_writable_file_in_a_read_only_folder_opens_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    store = folder / "renda.sqlite"
    with Renda(str(store)) as app:
        app.register_deputy(register_payload(), STAFF)
    folder.chmod(folder.stat().st_mode & ~WRITE_BITS)
    try:
        config = parse_store(str(store))
        assert config.read_only == "its folder is not writable"
        assert "immutable=1" in config.env["SQLITE_DBNAME"]
        result = _invoke(str(store), "events", "list", "--json")
        assert result.exit_code == 0 and len(json.loads(result.output)) == 1
        assert sorted(p.name for p in folder.iterdir()) == ["renda.sqlite"]
    finally:
        folder.chmod(folder.stat().st_mode | stat.S_IWUSR)
