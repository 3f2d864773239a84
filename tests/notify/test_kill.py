"""kill -9 of the deliverer mid-run loses nothing: a second run sends the rest, and
only the message that was in flight may be sent again, with the same key. A real
``renda deliver run`` subprocess, killed with SIGKILL while a webhook request hangs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from renda_core import Renda
from renda_core.notify import Notifier
from renda_core.ports.plugins import get_plugin_manager
from tests.application.test_suggestions import STAFF, deputy
from tests.notify.servers import Hits, http_server

RENDA = str(Path(sys.executable).with_name("renda"))


def many_assigned(app: Renda, count: int) -> None:
    _, lead = deputy(app)
    for i in range(count):
        sid = app.draft_suggestion(
            {
                "title": f"关于第{i}项工作的建议",
                "body": "建议……",
                "channel": "闭会期间",
                "source": "research",
                "date": "2024-09-01",
            },
            lead,
        )
        app.submit_suggestion({"suggestion_id": sid, "date": "2024-09-10"}, lead)
        app.accept_suggestion({"suggestion_id": sid, "date": "2024-09-20"}, STAFF)
        app.assign_suggestion(
            {"suggestion_id": sid, "date": "2024-09-27", "lead_unit": "省商务厅"}, STAFF
        )


def deliver(store: str, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "RENDA_PLUGINS": "", "RENDA_WEBHOOK_TIMEOUT": "10"}
    return subprocess.Popen(
        [RENDA, "--store", store, "deliver", "run", "--once", "--lease", "1", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_kill_9_mid_run_loses_nothing_and_resends_only_the_message_in_flight(
    store: str,
) -> None:
    hits = Hits(answers=[(200, {})])
    with http_server(hits, delay=0.3) as url:
        with Renda(store) as app:
            n = Notifier(app, get_plugin_manager())
            n.set_contact("unit:省商务厅", "webhook", url, on=date(2024, 9, 1), actor=STAFF)
            many_assigned(app, 6)
            n.derive()
            expected = {
                r.message.key for r in n.outbox.rows() if r.message.address.startswith("http")
            }
        assert len(expected) == 6
        first = deliver(store)
        deadline = time.monotonic() + 60
        while len(hits.arrived) < 3 and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.01)
        assert len(hits.arrived) >= 3, first.communicate()
        first.send_signal(signal.SIGKILL)  # the third request is in flight
        first.wait()
        assert first.returncode == -signal.SIGKILL
        in_flight = hits.arrived[-1]
        time.sleep(1.2)  # the killed run's lease on the message in flight runs out
        second = deliver(store)
        _, err = second.communicate(timeout=120)
        assert second.returncode == 0, err.decode()
        with Renda(store) as app:
            rows = Notifier(app, get_plugin_manager()).outbox.rows()
    seen = Counter(hits.arrived)
    assert set(seen) == expected  # nothing lost
    again = {key for key, times in seen.items() if times > 1}
    assert again <= {in_flight} and all(t <= 2 for t in seen.values())
    assert {r.status for r in rows} == {"sent"}
