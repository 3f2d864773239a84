"""Rules → outbox → inbox, on SQLite and PostgreSQL: deterministic keys, nothing sent
twice, and rebuilding the projections sends nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from renda_core import Renda
from renda_core.notify import Notifier
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections.runner import ProjectionRunner
from tests.application.test_suggestions import UNIT, assigned, deputy

NOW = datetime(2024, 9, 27, 9, tzinfo=UTC)


def notifier(app: Renda, **kw: Any) -> Notifier:
    return Notifier(app, get_plugin_manager(), now=lambda: NOW, **kw)


def keys(n: Notifier) -> list[str]:
    return [r.message.key for r in n.outbox.rows()]


def test_assignment_tells_both_units_and_the_deputy(app: Renda) -> None:
    deputy_id, lead = deputy(app)
    sid = assigned(app, lead)
    n = notifier(app)
    n.derive()
    rows = {(r.message.rule, r.message.recipient): r.message for r in n.outbox.rows()}
    lead_msg = rows[("unit.assigned", "unit:省商务厅")]
    assert "2024-12-27" in lead_msg.body and "2024-10-12" in lead_msg.body  # due, objection
    assert "主办" in lead_msg.body and str(sid) in lead_msg.body
    assert "协办" in rows[("unit.assigned", "unit:省交通运输厅")].body
    assert ("deputy.update", f"deputy:{deputy_id}") in rows
    # accepted and assigned: two updates for the deputy
    rows_ = n.outbox.rows()
    to_deputy = [r.message.body for r in rows_ if r.message.recipient.startswith("deputy")]
    assert len(to_deputy) == 2 and "已立案" in to_deputy[0] and "已交办" in to_deputy[1]


def test_keys_are_deterministic_and_derived_once(app: Renda) -> None:
    _, lead = deputy(app)
    assigned(app, lead)
    first = notifier(app)
    first.derive()
    before = keys(first)
    assert before and first.derive() == 0
    # a fresh outbox position (as after a lost meta row) derives the same keys: none new
    other = notifier(app)
    with other.outbox.transaction() as c:
        other.outbox.run(c, f"DELETE FROM {other.outbox.t['meta']}")
    assert other.derive() == 0
    assert keys(other) == before


def test_inbox_delivery_and_rebuild_sends_nothing(app: Renda) -> None:
    _, lead = deputy(app)
    sid = assigned(app, lead)
    n = notifier(app)
    n.derive()
    run = n.deliver()
    assert run.sent == len(keys(n)) and run.dead == 0
    inbox = n.outbox.inbox("unit:省商务厅")
    assert len(inbox) == 1 and inbox[0]["record_id"] == str(sid)
    # rebuild every projection: the outbox is not a view; nothing is derived or sent again
    runner = ProjectionRunner(app, collect_projections(get_plugin_manager()))
    runner.rebuild(runner.names())
    again = notifier(app)
    assert again.derive() == 0
    assert again.deliver().sent == 0
    assert len(again.outbox.inbox("unit:省商务厅")) == 1
    assert n.outbox.mark_read("unit:省商务厅", None, NOW) == 1
    assert n.outbox.inbox("unit:省商务厅", unread=True) == []


def test_a_reply_tells_the_deputies_not_the_units(app: Renda) -> None:
    deputy_id, lead = deputy(app)
    sid = assigned(app, lead)
    n = notifier(app)
    n.derive()
    before = set(keys(n))
    app.reply_suggestion(
        {"suggestion_id": sid, "date": "2024-12-01", "result_class": "A", "text": "已解决"}, UNIT
    )
    n.derive()
    new = [r.message for r in n.outbox.rows() if r.message.key not in before]
    assert {m.recipient for m in new} == {f"deputy:{deputy_id}"}
    assert "省商务厅" in new[0].body
