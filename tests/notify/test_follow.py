"""``renda deliver run --follow``, the deliverer systemd runs (docs/systemd): a real
subprocess sends what the log already asks for, picks up what is recorded while it
runs, and stops on SIGTERM (systemd's stop) or SIGINT (Ctrl-C) after the pass in hand,
with exit 0 and no traceback — not killed mid-send, not hanging in its pause."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from renda_core import Renda
from renda_core.domain.errors import StoreUnavailable
from tests.notify.test_kill import many_assigned

RENDA = str(Path(sys.executable).with_name("renda"))
UNIT = "unit:省商务厅"


def _cli(store: str, *args: str) -> Any:
    done = subprocess.run(
        [RENDA, "--store", store, *args],
        env={**os.environ, "RENDA_PLUGINS": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _until_assigned(store: str, count: int, proc: subprocess.Popen[str]) -> dict[str, int]:
    """The outbox's counts once the unit's inbox holds ``count`` 交办 messages and
    nothing is pending (the clock's daily tick adds reminders of its own)."""
    deadline = time.monotonic() + 60
    while True:
        counts: dict[str, int] = _cli(store, "deliver", "status", "--json")["counts"]
        inbox = _cli(store, "inbox", "--for", UNIT, "--json")
        assigned = [m for m in inbox if m["subject"].startswith("【交办】")]
        if len(assigned) == count and counts["pending"] == 0:
            return counts
        assert len(assigned) <= count, assigned  # each sent once
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, (counts, len(assigned))
        time.sleep(0.2)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_the_deliverer_follows_the_log_and_stops_cleanly_on_a_signal(
    store: str, sig: signal.Signals
) -> None:
    with Renda(store) as app:
        many_assigned(app, 2)  # two 交办 messages for the unit's inbox
    proc = subprocess.Popen(
        [RENDA, "--store", store, "deliver", "run", "--follow", "--poll", "0.2"],
        env={**os.environ, "RENDA_PLUGINS": ""},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = _until_assigned(store, 2, proc)
        with Renda(store) as app:  # recorded while it runs: the next pass sends it
            many_assigned(app, 1)
        second = _until_assigned(store, 3, proc)
        assert second["sent"] > first["sent"] and second["dead"] == 0
        started = time.monotonic()
        proc.send_signal(sig)
        code = proc.wait(timeout=30)
        _, err = proc.communicate()
        assert code == 0, err
        assert time.monotonic() - started < 20  # the pause ends at the signal
        assert "Traceback" not in err and "KeyboardInterrupt" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    after = _cli(store, "deliver", "status", "--json")["counts"]
    assert after == second  # stopping sent nothing twice and left nothing half-done


def test_follow_stops_after_the_pass_in_hand(app: Renda) -> None:
    """The library's loop: ``stop`` is checked after each pass, and the pause is the
    ``wait`` given (a stop event's wait ends it at once)."""
    from datetime import date

    from renda_core.notify import Notifier
    from renda_core.ports.plugins import get_plugin_manager
    from tests.application.test_suggestions import STAFF

    many_assigned(app, 1)
    notifier = Notifier(app, get_plugin_manager())
    passes: list[float] = []

    def stop() -> bool:
        return len(passes) >= 2

    notifier.follow(
        actor=STAFF, poll=7.5, today=lambda: date(2024, 9, 30), stop=stop, wait=passes.append
    )
    assert passes == [7.5, 7.5]  # two pauses of `poll`, then the third check stops it
    sent = notifier.outbox.rows(status=None)
    assert [r for r in sent if r.message.key.startswith("unit.assigned:") and r.status == "sent"]
    assert notifier.outbox.counts()["pending"] == 0


def test_follow_goes_on_after_the_store_was_unavailable(app: Renda) -> None:
    """A pass the store cannot serve does not end the loop: it is said (with the pause)
    and tried again after a pause that doubles from ``poll``; the next pass that the
    store serves sends what was due, and the pause is ``poll`` again."""
    from datetime import date

    from renda_core.domain.errors import StoreUnavailable
    from renda_core.notify import Notifier
    from renda_core.ports.plugins import get_plugin_manager
    from tests.application.test_suggestions import STAFF

    many_assigned(app, 1)
    notifier = Notifier(app, get_plugin_manager())
    derive = notifier.derive
    failures = [StoreUnavailable("cannot read the store: the server is restarting")] * 3

    def failing_derive(*args: Any, **kwargs: Any) -> int:
        if failures:
            raise failures.pop()
        return derive(*args, **kwargs)

    notifier.derive = failing_derive  # type: ignore[method-assign]
    pauses: list[float] = []
    told: list[tuple[str, float]] = []
    notifier.follow(
        actor=STAFF,
        poll=7.5,
        today=lambda: date(2024, 9, 30),
        stop=lambda: len(pauses) >= 4,
        wait=pauses.append,
        unavailable=lambda error, pause: told.append((error.message, pause)),
    )
    assert pauses == [7.5, 15.0, 30.0, 7.5]  # doubling while it fails, then `poll`
    assert [pause for _, pause in told] == [7.5, 15.0, 30.0]
    assert all("restarting" in text for text, _ in told)
    sent = notifier.outbox.rows(status=None)
    assert [r for r in sent if r.message.key.startswith("unit.assigned:") and r.status == "sent"]


def test_an_outage_pause_grows_to_five_minutes_and_no_further(app: Renda) -> None:
    from datetime import date

    from renda_core.domain.errors import StoreUnavailable
    from renda_core.notify import Notifier
    from renda_core.ports.plugins import get_plugin_manager
    from tests.application.test_suggestions import STAFF

    notifier = Notifier(app, get_plugin_manager())

    def down(*args: Any, **kwargs: Any) -> int:
        raise StoreUnavailable("cannot reach the store")

    notifier.derive = down  # type: ignore[method-assign]
    notifier.tick = down  # type: ignore[method-assign]
    pauses: list[float] = []
    notifier.follow(
        actor=STAFF,
        poll=0.1,  # a pause is at least a second while the store is out
        today=lambda: date(2024, 9, 30),
        stop=lambda: len(pauses) >= 40,
        wait=pauses.append,
    )
    assert pauses[:4] == [1.0, 2.0, 4.0, 8.0]
    assert max(pauses) == pauses[-1] == Notifier.MAX_OUTAGE_PAUSE == 300.0


def _record_while_stopped(store: str, proc: subprocess.Popen[str]) -> None:
    """One more 交办 recorded while the deliverer is stopped (SIGSTOP), so it cannot
    see it before the test locks the store; tried again if the deliverer happened to
    be stopped inside a write of its own (it is let run a moment in between)."""
    for _ in range(3):
        os.kill(proc.pid, signal.SIGSTOP)
        try:
            with Renda(store) as app:
                many_assigned(app, 1)
            return
        except StoreUnavailable:
            os.kill(proc.pid, signal.SIGCONT)
            time.sleep(0.5)
    raise AssertionError("could not record while the deliverer was stopped")


def test_the_deliverer_outlives_a_locked_store(tmp_path: Path) -> None:
    """The real process on SQLite: another process holds the store's write lock for
    longer than a write waits (SQLITE_LOCK_TIMEOUT, 10 s) while the deliverer has new
    events to put in the outbox, so its pass fails; it says so on stderr, in the
    clerk's language, goes on once the lock is released — sending what was recorded —
    then stops cleanly on SIGTERM."""
    import sqlite3

    store = str(tmp_path / "renda.sqlite")
    with Renda(store) as app:
        many_assigned(app, 1)
    proc = subprocess.Popen(
        [RENDA, "--lang", "zh", "--store", store, "deliver", "run", "--follow", "--poll", "0.2"],
        env={**os.environ, "RENDA_PLUGINS": ""},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _until_assigned(store, 1, proc)
        _record_while_stopped(store, proc)  # the deliverer is stopped now
        lock = sqlite3.connect(store, isolation_level=None, timeout=30)
        try:
            lock.execute("BEGIN IMMEDIATE")  # the write lock: its outbox writes wait
            os.kill(proc.pid, signal.SIGCONT)
            time.sleep(14)  # its first write waits 10 s, then fails
            assert proc.poll() is None  # still running
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        _until_assigned(store, 2, proc)  # the pass after the outage sends it
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
        _, err = proc.communicate()
        assert code == 0, err
        assert "存储一直被另一个写入者锁定" in err and "秒后重试" in err, err
        assert "Traceback" not in err
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)
            proc.kill()
            proc.wait()
