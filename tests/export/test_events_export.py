"""``renda events export``: the log as CloudEvents / JSON lines, paged exactly by
``--since``, following the log until SIGINT/SIGTERM (a real subprocess)."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

from renda_core import Renda
from tests.audit.raw import register, renda

DOCS = Path(__file__).parents[2] / "docs"


def export(store: str, *args: str) -> list[str]:
    result = renda(store, "events", "export", *args)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def positions_of(store: str) -> list[int]:
    with Renda(store) as app:
        return [n.id for n in app.recorder.select_notifications(1, 10_000)]


def store_id_of(store: str) -> str:
    with Renda(store) as app:
        recorder: Any = app.recorder
        return str(recorder.store_id())


def test_each_line_is_a_cloudevent_the_sdk_parses_back(store: str) -> None:
    ids = register(store, 3)
    lines = export(store)
    assert len(lines) == len(positions_of(store)) >= 3
    events = [JSONFormat().read(CloudEvent, line) for line in lines]
    source = f"urn:renda:store:{store_id_of(store)}"
    registered = [e for e in events if e.get_type() == "renda:Deputy.Registered"]
    assert [e.get_subject() for e in registered] == ids
    for event in events:
        assert re.fullmatch(rf"{event.get_subject()}/[1-9][0-9]*", event.get_id())
        assert event.get_specversion() == "1.0"
        assert event.get_source() == source
        assert event.get_datacontenttype() == "application/json"
        assert isinstance(event.get_extension("rendaposition"), int)
        time = event.get_time()
        assert time is not None and time.tzinfo is not None
    first = registered[0]
    assert first.get_id() == f"{ids[0]}/1"
    assert (first.get_extension("rendaactor"), first.get_extension("rendarole")) == (
        "clerk-1",
        "staff",
    )
    assert first.get_extension("rendaon") == "2023-01-16"
    data = first.get_data()
    assert isinstance(data, dict) and data["name"] == "代表0"
    assert [e.get_extension("rendaposition") for e in events] == positions_of(store)


def test_ids_are_stable_across_exports(store: str) -> None:
    register(store, 2)
    first = [json.loads(line)["id"] for line in export(store)]
    again = [json.loads(line)["id"] for line in export(store)]
    assert first == again and len(set(first)) == len(first)


def test_since_pages_exactly_across_two_runs(store: str) -> None:
    register(store, 4)
    run1 = [json.loads(line) for line in export(store, "--since", "0")]
    last = run1[-1]["rendaposition"]
    register(store, 3, start=10)
    run2 = [json.loads(line) for line in export(store, "--since", str(last))]
    seen = [e["rendaposition"] for e in run1 + run2]
    assert seen == positions_of(store), "a gap or a duplicate across the two runs"
    assert run2 and all(e["rendaposition"] > last for e in run2)
    middle = run1[1]["rendaposition"]
    tail = [json.loads(line)["rendaposition"] for line in export(store, "--since", str(middle))]
    assert tail == [p for p in positions_of(store) if p > middle]


def test_jsonl_lines_feed_the_documented_consumer(store: str, tmp_path: Path) -> None:
    register(store, 3)
    out = tmp_path / "feed.jsonl"
    export(store, "--format", "cloudevents", "--output", str(out))
    (block,) = re.findall(
        r"```python\n(.*?)```", (DOCS / "integration.md").read_text(encoding="utf-8"), re.S
    )
    scope: dict[str, Any] = {"__name__": "__docs__"}
    exec(compile(block, "docs/integration.md", "exec"), scope)
    with out.open(encoding="utf-8") as lines:
        summary = scope["consume"](lines)
    assert summary["last_position"] == positions_of(store)[-1]
    assert summary["by_type"]["renda:Deputy.Registered"] == 3
    plain = export(store, "--format", "jsonl")
    assert [json.loads(line)["position"] for line in plain] == positions_of(store)


def test_output_appends(store: str, tmp_path: Path) -> None:
    register(store, 1)
    out = tmp_path / "feed.jsonl"
    export(store, "--output", str(out))
    first = out.read_text(encoding="utf-8").splitlines()
    last = json.loads(first[-1])["rendaposition"]
    register(store, 1, start=5)
    export(store, "--since", str(last), "--output", str(out))
    both = [json.loads(line)["rendaposition"] for line in out.read_text().splitlines()]
    assert both == positions_of(store)


def _reader(stream: Any, lines: queue.Queue[str]) -> None:
    for line in iter(stream.readline, ""):
        lines.put(line)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_follow_picks_up_a_new_event_then_stops_on_a_signal(
    store: str, sig: signal.Signals
) -> None:
    register(store, 2)
    existing = len(positions_of(store))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "renda_core.cli",
            "--store",
            store,
            "events",
            "export",
            "--follow",
            "--poll",
            "0.1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
    try:
        got = [lines.get(timeout=30) for _ in range(existing)]
        (new_id,) = register(store, 1, start=7)
        added = len(positions_of(store)) - existing
        got += [lines.get(timeout=30) for _ in range(added)]
        subjects = [json.loads(line)["subject"] for line in got]
        assert new_id in subjects
        assert [json.loads(line)["rendaposition"] for line in got] == positions_of(store)
        time.sleep(0.2)
        proc.send_signal(sig)
        assert proc.wait(timeout=15) == 0, proc.stderr.read() if proc.stderr else ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert lines.empty()
    assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")


def test_a_position_past_what_a_store_can_hold_has_nothing_after_it(store: str) -> None:
    """``--since 9223372036854775808`` (2⁶³) ended in a traceback on SQLite ("Python int
    too large to convert to SQLite INTEGER"): no event is after it, on either store."""
    register(store, 1)
    assert export(store, "--since", str(2**63 - 1)) == []
    assert export(store, "--since", str(2**63)) == []
    assert export(store, "--since", str(10**30), "--format", "jsonl") == []
    assert len(export(store, "--since", "0")) == len(positions_of(store))


def test_a_follow_reads_again_from_the_last_line_after_an_outage(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A poll the store cannot serve does not end ``--follow``: the callback is told,
    and after the pause the log is read again from the last line given — no line lost,
    none given twice. Without ``--follow`` the error is raised."""
    from renda_core.application import export as export_module
    from renda_core.domain.errors import StoreUnavailable

    register(store, 3)
    real = export_module.iter_notifications
    failed: list[int] = []

    def once_failing(app: Any, after: int) -> Any:
        for count, item in enumerate(real(app, after)):
            if not failed and count == 2:  # the store goes away mid-page, once
                failed.append(item[0])
                raise StoreUnavailable("cannot read the event log: the server is restarting")
            yield item

    monkeypatch.setattr(export_module, "iter_notifications", once_failing)
    stop = threading.Event()
    told: list[tuple[str, float]] = []
    pauses: list[float] = []
    monkeypatch.setattr(stop, "wait", lambda seconds: pauses.append(seconds) or None)
    with Renda(store) as app:
        feed = export_module.events_feed(
            app,
            0,
            "jsonl",
            follow=True,
            poll=0.1,
            stop=stop,
            unavailable=lambda error, pause: told.append((error.message, pause)),
        )
        got = []
        for line in feed:
            got.append(json.loads(line)["position"])
            if len(got) == len(positions_of(store)):
                stop.set()
        assert got == positions_of(store)  # each once, in order
        assert len(told) == 1 and "restarting" in told[0][0] and told[0][1] == 1.0
        assert pauses[0] == 1.0  # the outage's pause (at least a second), then polls
        failed.clear()
        with pytest.raises(StoreUnavailable):
            list(export_module.events_feed(app, 0, "jsonl"))  # not following: raised


@pytest.mark.postgres
def test_a_follower_outlives_its_schema_going_away_on_postgresql(pg_admin: Any) -> None:
    """The real process on PostgreSQL: the store's schema is renamed away under it (its
    queries fail) and back; it says so on stderr, goes on from the last line given, and
    exports what is recorded after — each line once — then stops cleanly on SIGTERM."""
    from tests.conftest import _new_schema, postgres_url

    schema = _new_schema(pg_admin)
    store = f"{postgres_url()}?schema={schema}"
    try:
        register(store, 2)
        existing = len(positions_of(store))
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "renda_core.cli", "--lang", "zh", "--store", store),
                *("events", "export", "--follow", "--poll", "0.1", "--format", "jsonl"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "RENDA_PG_RETRY_PAUSES": "none"},
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
        try:
            got = [lines.get(timeout=30) for _ in range(existing)]
            pg_admin.execute(f"ALTER SCHEMA {schema} RENAME TO {schema}_away")
            try:
                time.sleep(3)  # its polls fail meanwhile
                assert proc.poll() is None
            finally:
                pg_admin.execute(f"ALTER SCHEMA {schema}_away RENAME TO {schema}")
            register(store, 1, start=7)
            added = len(positions_of(store)) - existing
            got += [lines.get(timeout=60) for _ in range(added)]
            assert [json.loads(line)["position"] for line in got] == positions_of(store)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        err = proc.stderr.read() if proc.stderr else ""
        assert "存储不可用" in err and "秒后重试" in err, err
        assert "Traceback" not in err
        assert lines.empty()
    finally:
        pg_admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        pg_admin.execute(f"DROP SCHEMA IF EXISTS {schema}_away CASCADE")
