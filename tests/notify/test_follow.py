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
