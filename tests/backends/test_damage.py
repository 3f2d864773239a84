"""A damaged SQLite store: a clear one-line error with exit code 8, never a traceback."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from renda_core import Renda, StoreUnavailable
from renda_core.cli import cli
from tests.conftest import STAFF, register_payload

READS = [
    ["events", "list", "--json"],
    ["report", "deputies", "--json"],
    ["deputy", "list", "--json"],
]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of 300 deputies (a few dozen pages), closed cleanly."""
    store = tmp_path_factory.mktemp("clean") / "renda.sqlite"
    with Renda(str(store)) as app, app.batch():
        for i in range(300):
            app.register_deputy(register_payload(name=f"代表{i:03d}"), STAFF)
    assert not Path(str(store) + "-wal").exists()
    return store


def _copy(clean: Path, tmp_path: Path) -> Path:
    store = tmp_path / "renda.sqlite"
    shutil.copyfile(clean, store)
    return store


def _invoke(store: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", str(store), *args])


def _assert_clear(result: Result, *expected: str) -> str:
    assert result.exit_code == 8, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


def test_the_clean_store_checks_ok(clean: Path, tmp_path: Path) -> None:
    store = _copy(clean, tmp_path)
    result = _invoke(store, "store", "check", "--json")
    assert result.exit_code == 0, result.output
    (log,) = json.loads(result.output)
    assert log["ok"] and log["note"] == "300 events decoded"
    zh = _invoke(store, "--lang", "zh", "store", "check")
    assert zh.exit_code == 0, zh.output
    assert "事件日志" in zh.output and "完好：已解码 300 个事件" in zh.output
    assert "ok" not in zh.output and "decoded" not in zh.output
    en = _invoke(store, "--lang", "en", "store", "check")
    assert "event log" in en.output and "intact: 300 events decoded" in en.output


def test_random_bytes_over_a_middle_page(clean: Path, tmp_path: Path) -> None:
    store = _copy(clean, tmp_path)
    data = bytearray(store.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle : middle + page] = random.Random(17).randbytes(page)
    store.write_bytes(bytes(data))
    for args in READS:
        _assert_clear(_invoke(store, *args), f"the store file {store} is damaged")
    result = _invoke(store, "store", "check")
    assert result.exit_code == 8
    assert f"damaged: {store} (log)" in result.output.strip().splitlines()[-1]


@pytest.mark.parametrize("seed", range(12))
def test_random_damage_anywhere_after_the_header_is_never_a_traceback(
    clean: Path, tmp_path: Path, seed: int
) -> None:
    store = _copy(clean, tmp_path)
    data = bytearray(store.read_bytes())
    rng = random.Random(seed)
    size = rng.choice([16, 64, 512, 4096])
    at = rng.randrange(100, len(data) - size)
    data[at : at + size] = rng.randbytes(size)
    store.write_bytes(bytes(data))
    for args in READS:
        result = _invoke(store, *args)
        # Damage SQLite cannot see (free space, or bytes that still decode) may pass.
        if result.exit_code != 0:
            _assert_clear(result, "damaged")


def test_a_truncated_file_is_named_at_open(clean: Path, tmp_path: Path) -> None:
    store = _copy(clean, tmp_path)
    data = store.read_bytes()
    store.write_bytes(data[: len(data) // 2])
    for args in READS:
        _assert_clear(_invoke(store, *args), f"the store file {store} is truncated")
    with pytest.raises(StoreUnavailable, match="is truncated"):
        Renda(str(store))
    result = _invoke(store, "store", "check", "--json")
    assert result.exit_code == 8
    assert "is truncated" in result.output


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    store = tmp_path / "renda.sqlite"
    store.write_bytes(random.Random(3).randbytes(8192))
    for args in READS:
        _assert_clear(_invoke(store, *args), f"the store file {store} is not a SQLite database")


def test_an_event_whose_bytes_no_longer_decode(clean: Path, tmp_path: Path) -> None:
    store = _copy(clean, tmp_path)
    data = bytearray(store.read_bytes())
    at = data.index(b'"name"')
    data[at : at + 6] = b"\xff\xfe{{{{"  # same length: SQLite's structure stays intact
    store.write_bytes(bytes(data))
    for args in READS:
        _assert_clear(_invoke(store, *args), "a stored event cannot be decoded")
    result = _invoke(store, "store", "check")
    assert result.exit_code == 8 and f"damaged: {store} (log)" in result.output


def test_a_damaged_view_is_named_and_can_be_rebuilt(clean: Path, tmp_path: Path) -> None:
    store = _copy(clean, tmp_path)
    assert _invoke(store, "report", "deputies", "--json").exit_code == 0
    view = Path(str(store) + ".views") / "deputy_roster.sqlite"
    data = bytearray(view.read_bytes())
    data[100:4096] = random.Random(5).randbytes(4096 - 100)  # the schema page
    view.write_bytes(bytes(data))
    result = _invoke(store, "store", "check", "--json")
    assert result.exit_code == 8
    # Under --json: the rows, then the error object.
    decoder = json.JSONDecoder()
    rows, end = decoder.raw_decode(result.output)
    assert [r["role"] for r in rows if not r["ok"]] == ["view deputy_roster"]
    error, _ = decoder.raw_decode(result.output[end:].lstrip())
    assert error["error"] == "store_unavailable"
    report = _invoke(store, "report", "deputies", "--json")
    _assert_clear(report, "cannot open the view of deputy_roster", "is damaged")
    view.unlink()  # the remedy: the view is rebuilt from the log
    report = _invoke(store, "report", "deputies", "--json")
    assert report.exit_code == 0 and json.loads(report.output)["registered_total"] == 300


def test_truncation_is_found_after_a_read_only_look_left_its_side_files(
    clean: Path, tmp_path: Path
) -> None:
    store = _copy(clean, tmp_path)
    result = CliRunner().invoke(cli, ["--store", str(store), "--read-only", "events", "list"])
    assert result.exit_code == 0
    data = store.read_bytes()
    store.write_bytes(data[: len(data) // 2])
    _assert_clear(_invoke(store, "events", "list"), "is truncated")
