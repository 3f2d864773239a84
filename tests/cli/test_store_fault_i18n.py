"""A store fault as the clerk reads it: what could not be done and why, both in the
clerk's language (「无法打开存储 …：存储一直被另一个写入者锁定：请稍后重试」). It used to
come out in English under Chinese («错误：cannot open the store …: the store stayed
locked by another writer: retry in a moment»): neither part was catalogued."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from renda_core import i18n
from renda_core.application.base import store_errors
from renda_core.application.faults import describe, store_fault
from renda_core.cli import cli
from renda_core.cli.i18n import error_text
from renda_core.domain.errors import StoreUnavailable

NO_LOCALE = {"RENDA_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
LOCKED = sqlite3.OperationalError("database is locked")


def test_a_fault_names_what_failed_and_why_in_chinese() -> None:
    error = store_fault("cannot write the view of stations", LOCKED)
    assert error.message == (
        "cannot write the view of stations: "
        "the store stayed locked by another writer: retry in a moment"
    )
    with i18n.use("zh_CN"):
        assert (
            error_text(error) == "无法写入 stations 的视图：存储一直被另一个写入者锁定：请稍后重试"
        )
    with i18n.use("en"):
        assert error_text(error) == error.message


def test_a_fault_of_no_known_cause_keeps_its_detail() -> None:
    error = store_fault("cannot save", OSError("something odd"))
    with i18n.use("zh_CN"):
        assert error_text(error) == "无法保存：事件存储出错：something odd"


def test_store_errors_raises_the_catalogued_fault() -> None:
    with pytest.raises(StoreUnavailable) as raised, store_errors("cannot read the store"):
        raise sqlite3.OperationalError("database or disk is full")
    with i18n.use("zh_CN"):
        assert (
            error_text(raised.value) == "无法读取存储：磁盘已满：请释放空间后重试（未记录任何内容）"
        )


@pytest.mark.parametrize(
    "exc",
    [
        sqlite3.DatabaseError("database disk image is malformed"),
        sqlite3.OperationalError("unable to open database file"),
        sqlite3.OperationalError("disk I/O error"),
        sqlite3.OperationalError("database or disk is full"),
        sqlite3.OperationalError("database is locked"),
        sqlite3.OperationalError("attempt to write a readonly database"),
    ],
)
def test_every_described_cause_is_shown_in_chinese(exc: BaseException) -> None:
    cause = describe(exc)
    assert cause is not None
    error = store_fault("cannot read the store", exc)
    with i18n.use("zh_CN"):
        shown = error_text(error)
    assert shown.startswith("无法读取存储：") and cause not in shown
    rest = shown.replace(str(exc), "")  # the database's own words are kept as they are
    assert not any(word in rest for word in ("the store", "disk", "retry", "SQLite file")), shown


def test_a_locked_store_is_told_in_the_clerks_language(tmp_path: Path) -> None:
    store = str(tmp_path / "renda.sqlite")
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", store, "deliver", "status"], env=NO_LOCALE).exit_code == 0
    lock = sqlite3.connect(store, isolation_level=None)
    try:
        lock.execute("BEGIN EXCLUSIVE")
        zh = runner.invoke(
            cli, ["--store", store, "--lang", "zh", "deliver", "run", "--once"], env=NO_LOCALE
        )
        en = runner.invoke(
            cli, ["--store", store, "--lang", "en", "deliver", "run", "--once"], env=NO_LOCALE
        )
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert zh.exit_code == en.exit_code == 8
    assert "存储一直被另一个写入者锁定：请稍后重试" in zh.output, zh.output
    assert "the store stayed locked by another writer" in en.output, en.output
