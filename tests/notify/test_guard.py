"""The notification commands follow the permission policy (``docs/permissions.md``):
the clock, delivery and the recipient directory are the office's; a deputy or a unit
reads its own inbox only. A refused command records nothing — on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from renda_core import Renda
from tests.application.test_suggestions import assigned, deputy
from tests.notify.test_cli import UNIT, run


@pytest.mark.parametrize(
    ("args", "role"),
    [
        (("clock", "tick", "--as-of", "2024-06-30"), "unit:省商务厅"),
        (("clock", "tick", "--as-of", "2024-06-30"), "auditor"),
        (("deliver", "run", "--once"), "deputy:x"),
        (("deliver", "run", "--once"), "editor"),
        (("deliver", "status"), "unit:省商务厅"),
        (("deliver", "dead-letters"), "leader:张三"),
        (("deliver", "retry", "k"), "auditor"),
        (("contact", "set", UNIT, "email", "a@b.cn"), "unit:省商务厅"),
        (("contact", "remove", UNIT, "email"), "editor"),
        (("inbox", "--for", "staff"), "editor"),
    ],
)
def test_refused_roles_record_nothing(app: Renda, args: tuple[str, ...], role: str) -> None:
    _, lead = deputy(app)
    assigned(app, lead)
    head = app.recorder.max_notification_id()
    result = run(app, *args, "--json", role=role)
    assert result.exit_code == 6, result.output
    assert app.recorder.max_notification_id() == head


def test_inboxes_are_their_recipients(app: Renda) -> None:
    _, lead = deputy(app)
    assigned(app, lead)
    assert run(app, "clock", "tick", "--as-of", "2024-06-30", "--json").exit_code == 0
    assert run(app, "deliver", "run", "--once", "--json").exit_code == 0
    own = run(app, "inbox", "--for", UNIT, "--json", role=UNIT)
    assert own.exit_code == 0, own.output
    assert json.loads(own.output), "the unit's own inbox holds its messages"
    other = run(app, "inbox", "--for", "unit:省财政厅", "--json", role=UNIT)
    assert other.exit_code == 6
    assert run(app, "inbox", "--for", UNIT, "--json", role="auditor").exit_code == 0
    marking = run(app, "inbox", "--for", UNIT, "--mark-read", "all", "--json", role="auditor")
    assert marking.exit_code == 6
    unread = json.loads(run(app, "inbox", "--for", UNIT, "--unread", "--json").output)
    assert unread, "the auditor's refused marking left every message unread"
    marked = run(app, "inbox", "--for", UNIT, "--mark-read", "all", "--json", role=UNIT)
    assert marked.exit_code == 0
    assert json.loads(run(app, "inbox", "--for", UNIT, "--unread", "--json").output) == []
