"""Recorded time never goes backwards; ``audit history`` reads one record through the
index on its id; ``demo --fresh`` refuses a store the demo did not create."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import eventsourcing.domain
import pytest

from renda_core import Renda
from renda_core.application.store import DEMO_MARK, demo_marked
from tests.audit.raw import register, renda
from tests.conftest import STAFF, register_payload


def recorded_times(store: str) -> list[datetime]:
    result = renda(store, "events", "list", "--json")
    assert result.exit_code == 0, result.output
    return [datetime.fromisoformat(e["recorded_at"]) for e in json.loads(result.output)]


def test_a_writer_whose_clock_is_behind_cannot_stamp_earlier(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(store, 2)
    before = recorded_times(store)
    skewed = datetime(2000, 1, 1, tzinfo=UTC)
    monkeypatch.setattr(eventsourcing.domain, "datetime_now_with_tzinfo", lambda: skewed)
    with Renda(store) as app:
        app.register_deputy(register_payload(name="慢钟代表"), STAFF)
        with app.batch():
            for i in range(3):
                app.register_deputy(register_payload(name=f"批量{i}"), STAFF)
    times = recorded_times(store)
    assert times[:2] == before  # nothing recorded changed
    assert all(t >= before[-1] for t in times[2:]), times
    assert times == sorted(times)
    assert skewed not in times


def test_history_is_the_records_timeline(store: str) -> None:
    with Renda(store) as app:
        deputy = app.register_deputy(register_payload(), STAFF)
        app.register_deputy(register_payload(name="别人"), STAFF)
        app.liaise_deputy({"deputy_id": deputy, "member": "常委甲", "date": "2023-02-01"}, STAFF)
    zh = renda(store, "audit", "history", str(deputy), "--lang", "zh", "--json")
    assert zh.exit_code == 0, zh.output
    rows = json.loads(zh.output)
    assert [(r["position"], r["version"], r["what"]) for r in rows] == [
        (1, 1, "代表登记"),
        (3, 2, "确定双联系"),
    ]
    assert rows[1]["actor"] == "clerk-1" and rows[1]["role_label"] == "工作人员"
    assert rows[1]["business_date"] == "2023-02-01"
    en = json.loads(renda(store, "audit", "history", str(deputy), "--lang", "en", "--json").output)
    assert [r["what"] for r in en] == ["registered", "liaison assigned"]
    table = renda(store, "audit", "history", str(deputy), "--lang", "zh")
    assert table.exit_code == 0 and "确定双联系" in table.output
    listed = json.loads(renda(store, "events", "list", "--aggregate", str(deputy), "--json").output)
    assert [e["position"] for e in listed] == [1, 3]


def test_history_of_nothing(store: str) -> None:
    register(store, 1)
    missing = renda(store, "audit", "history", "00000000-0000-0000-0000-000000000001")
    assert missing.exit_code == 4, missing.output
    bad = renda(store, "audit", "history", "not-an-id")
    assert bad.exit_code == 3, bad.output


def test_history_reads_through_the_index(tmp_path: Path) -> None:
    store = str(tmp_path / "renda.sqlite")
    register(store, 3)
    conn = sqlite3.connect(store)
    plan = " ".join(
        str(row[-1])
        for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT rowid, originator_id, originator_version, topic, state "
            "FROM stored_events WHERE originator_id = ? ORDER BY originator_version",
            ("x",),
        )
    )
    conn.close()
    assert "USING INDEX" in plan and "SCAN" not in plan, plan


def test_demo_fresh_refuses_a_store_it_did_not_create(tmp_path: Path) -> None:
    store = tmp_path / "prod.sqlite"
    register(str(store), 3)
    (tmp_path / "prod.sqlite.views").mkdir()
    result = renda(str(tmp_path / "other.sqlite"), "demo", "--store", str(store), "--fresh")
    assert result.exit_code == 5, result.output
    assert "not created by `renda demo`" in result.output and "nothing was deleted" in result.output
    assert store.exists() and (tmp_path / "prod.sqlite.views").is_dir()
    assert len(json.loads(renda(str(store), "events", "list", "--json").output)) == 3
    # a file that is not a store at all is refused too
    other = tmp_path / "notes.txt"
    other.write_text("my notes")
    refused = renda(str(store), "demo", "--store", str(other), "--fresh")
    assert refused.exit_code == 5, refused.output
    assert other.read_text() == "my notes"


def test_the_demo_marks_its_store(tmp_path: Path) -> None:
    store = tmp_path / "demo.sqlite"
    assert not demo_marked(store)
    with Renda(str(store)) as app:
        with app.batch(command_ids=[DEMO_MARK]):
            pass
        assert app.applied_commands([DEMO_MARK]) == {DEMO_MARK}
    assert demo_marked(store)
