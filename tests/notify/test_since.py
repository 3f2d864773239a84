"""``deliver run --since now|POSITION``: switching notifications on for an existing
store without sending its whole past — on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from renda_core import Renda
from tests.application.test_suggestions import assigned, deputy
from tests.notify.test_cli import UNIT, run


def test_since_now_sends_nothing_of_the_past_but_the_clock_still_watches(app: Renda) -> None:
    _, lead = deputy(app)
    sid = assigned(app, lead)
    head = app.recorder.max_notification_id()
    bad = run(app, "deliver", "run", "--since", "yesterday", "--json")
    assert bad.exit_code == 3 and "'now' or a log position" in bad.output
    assert run(app, "deliver", "run", "--since", str(head + 1)).exit_code == 3
    status = json.loads(run(app, "deliver", "status", "--json").output)
    assert status["started"] is None  # the refused runs started nothing
    first = json.loads(run(app, "deliver", "run", "--since", "now", "--json").output)
    assert first["derived"] == 0 and first["sent"] == 0
    assert first["started"]["position"] == head and first["started"]["skipped"] is True
    status = json.loads(run(app, "deliver", "status", "--json").output)
    assert status["counts"] == {"pending": 0, "sent": 0, "dead": 0}
    assert status["position"] == head and status["started"]["position"] == head
    # the skipped suggestion's deadlines are still watched: the clock urges, and only
    # that is sent (the assignment of the past is not)
    tick = json.loads(run(app, "clock", "tick", "--as-of", "2024-12-30", "--json").output)
    assert ("reply_due", "overdue:1") in [(r["deadline"], r["threshold"]) for r in tick["issued"]]
    sent = json.loads(run(app, "deliver", "run", "--once", "--json").output)
    assert sent["sent"] > 0
    inbox = json.loads(run(app, "inbox", "--for", UNIT, "--json").output)
    assert [m["subject"][:4] for m in inbox] == ["【催办】"]
    assert inbox[0]["record_id"] == str(sid)
    # a second --since is refused (it would skip what happened since the first run)
    again = run(app, "deliver", "run", "--since", "now", "--json")
    assert again.exit_code == 5 and "already" in json.loads(again.output)["message"]


def test_since_zero_derives_the_whole_history(app: Renda) -> None:
    _, lead = deputy(app)
    assigned(app, lead)
    first = json.loads(run(app, "deliver", "run", "--since", "0", "--json").output)
    assert first["derived"] > 0 and first["started"] == {
        "position": 0,
        "at": first["started"]["at"],
        "skipped": False,
    }
    inbox = json.loads(run(app, "inbox", "--for", UNIT, "--json").output)
    assert [m["subject"][:4] for m in inbox] == ["【交办】"]
