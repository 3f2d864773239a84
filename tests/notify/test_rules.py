"""The built-in rules, one event kind at a time: who is told what (zh and en) — on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from renda_core import Actor, Renda
from renda_core.notify import Message, Notifier
from renda_core.ports.plugins import get_plugin_manager
from tests.application.test_suggestions import CO_UNIT, UNIT, assigned, deputy, drafted
from tests.conftest import STAFF

NOW = datetime(2024, 11, 1, tzinfo=UTC)
LEAD_UNIT, CO = "unit:省商务厅", "unit:省交通运输厅"


class Watch:
    """The messages each step adds to the outbox."""

    def __init__(self, app: Renda, lang: str = "zh") -> None:
        self.n = Notifier(app, get_plugin_manager(), now=lambda: NOW, lang=lang)
        self.seen: set[str] = set()

    def new(self) -> list[Message]:
        self.n.derive()
        out = [r.message for r in self.n.outbox.rows() if r.message.key not in self.seen]
        self.seen |= {m.key for m in out}
        return out

    def told(self) -> dict[tuple[str, str], Message]:
        return {(m.rule, m.recipient): m for m in self.new()}


def story(app: Renda) -> tuple[UUID, str, str, Actor]:
    lead_id, lead = deputy(app)
    co_id, co = deputy(app, name="朴成浩")
    sid = drafted(app, lead)
    app.invite_cosigner({"suggestion_id": sid, "deputy_id": co_id, "date": "2024-09-02"}, lead)
    app.cosign_suggestion({"suggestion_id": sid, "date": "2024-09-03"}, co)
    return sid, f"deputy:{lead_id}", f"deputy:{co_id}", lead


def test_each_event_kind_tells_its_recipients(app: Renda) -> None:
    sid, lead, co_signer, lead_actor = story(app)
    w = Watch(app)
    assert w.new() == []  # drafting and co-signing tell nobody
    app.submit_suggestion({"suggestion_id": sid, "date": "2024-09-10"}, lead_actor)
    assert w.new() == []
    app.accept_suggestion({"suggestion_id": sid, "date": "2024-09-20"}, STAFF)
    told = w.told()
    assert set(told) == {("deputy.update", lead), ("deputy.update", co_signer)}
    assert "已立案" in told[("deputy.update", co_signer)].body

    ref = {"suggestion_id": sid}
    app.assign_suggestion(
        {**ref, "date": "2024-09-27", "lead_unit": "省商务厅", "co_units": ["省交通运输厅"]},
        STAFF,
    )
    told = w.told()
    assert set(told) == {
        ("unit.assigned", LEAD_UNIT),
        ("unit.assigned", CO),
        ("deputy.update", lead),
        ("deputy.update", co_signer),
    }
    assert "已交办 省商务厅 办理，答复期限 2024-12-27" in told[("deputy.update", lead)].body

    # objection denied: the objecting unit only
    app.object_assignment({**ref, "date": "2024-09-30", "reason": "不属本单位职责"}, CO_UNIT)
    assert w.new() == []
    app.deny_objection(
        {**ref, "date": "2024-10-08", "unit": "省交通运输厅", "note": "属职责范围"}, STAFF
    )
    told = w.told()
    assert set(told) == {("unit.objection", CO)}
    assert "不予同意" in told[("unit.objection", CO)].body

    # objection granted (reassigned): the objecting unit, and the new assignment
    app.object_assignment({**ref, "date": "2024-10-09", "reason": "职责调整"}, UNIT)
    app.reassign_suggestion(
        {**ref, "date": "2024-10-10", "lead_unit": "省发展改革委", "co_units": ["省商务厅"]},
        STAFF,
    )
    told = w.told()
    assert "同意，已改交办" in told[("unit.objection", LEAD_UNIT)].body
    assert "主办" in told[("unit.assigned", "unit:省发展改革委")].body
    assert "协办" in told[("unit.assigned", LEAD_UNIT)].body

    new_unit = Actor("liu", "unit:省发展改革委")
    # extension requested, then refused: the unit only (deputies hear of granted ones)
    app.request_extension(
        {**ref, "date": "2024-11-01", "until": "2025-01-20", "reason": "需调研"}, new_unit
    )
    assert w.new() == []
    app.decide_extension({**ref, "date": "2024-11-04", "grant": False, "note": "不延"}, STAFF)
    told = w.told()
    assert set(told) == {("unit.extension", "unit:省发展改革委")}
    assert "未获批准" in told[("unit.extension", "unit:省发展改革委")].body

    # extended by the office: the unit and both deputies (the law requires telling them)
    extended = {**ref, "date": "2024-11-05", "until": "2025-01-20", "reason": "需调研"}
    app.extend_suggestion(extended, STAFF)
    told = w.told()
    assert "2025-01-20" in told[("unit.extension", "unit:省发展改革委")].body
    assert "答复期限已延至 2025-01-20" in told[("deputy.update", co_signer)].body

    # replied, re-handling ordered, disclosed: the deputies, not the units
    app.reply_suggestion(
        {**ref, "date": "2024-12-02", "result_class": "C", "text": "暂不具备条件"}, new_unit
    )
    told = w.told()
    assert set(told) == {("deputy.update", lead), ("deputy.update", co_signer)}
    assert "已收到 省发展改革委 的答复" in told[("deputy.update", lead)].body
    app.evaluate_suggestion(
        {**ref, "date": "2024-12-10", "attitude": "dissatisfied", "result": "dissatisfied"}
        | {"reason": "未解决"},
        lead_actor,
    )
    app.rehandle_suggestion({**ref, "date": "2024-12-12"}, STAFF)
    told = w.told()
    assert "已交重新办理" in told[("deputy.update", lead)].body
    app.reply_suggestion(
        {**ref, "date": "2025-01-10", "result_class": "B", "text": "列入计划"}, new_unit
    )
    w.new()
    app.disclose_suggestion({**ref, "date": "2025-01-15"}, STAFF)
    told = w.told()
    assert set(told) == {("deputy.update", lead), ("deputy.update", co_signer)}
    assert "的答复已公开" in told[("deputy.update", co_signer)].body
    # every message links back to the record
    assert all(str(sid) in r.message.body for r in w.n.outbox.rows())


def test_not_accepted_and_english_templates(app: Renda) -> None:
    sid, lead, co_signer, lead_actor = story(app)
    w = Watch(app, lang="en")
    app.submit_suggestion({"suggestion_id": sid, "date": "2024-09-10"}, lead_actor)
    app.reject_suggestion(
        {
            "suggestion_id": sid,
            "date": "2024-09-12",
            "reason": "court_case",
            "explanation": "属于具体司法案件，转来信处理",
        },
        STAFF,
    )
    told = w.told()
    assert set(told) == {("deputy.update", lead), ("deputy.update", co_signer)}
    msg: Any = told[("deputy.update", lead)]
    assert msg.subject.startswith("[Suggestion] ")
    assert "you lead or co-signed was not accepted." in msg.body
    assert f"Record: {sid}" in msg.body
    assert "您" not in msg.body and "已" not in msg.body  # the English template


def test_a_granted_extension_request_tells_the_unit_and_the_deputies(app: Renda) -> None:
    sid, lead, _, lead_actor = story(app)
    other = assigned(app, lead_actor)  # led alone: only the lead deputy is told
    w = Watch(app)
    w.new()
    ref = {"suggestion_id": other}
    app.request_extension(
        {**ref, "date": "2024-11-01", "until": "2025-01-20", "reason": "需调研"}, UNIT
    )
    assert w.new() == []
    app.decide_extension({**ref, "date": "2024-11-04", "grant": True}, STAFF)
    told = w.told()
    assert set(told) == {("unit.extension", LEAD_UNIT), ("deputy.update", lead)}
    assert "已批准，答复期限延至 2025-01-20" in told[("unit.extension", LEAD_UNIT)].body
    assert "答复期限已延至 2025-01-20" in told[("deputy.update", lead)].body
    assert str(sid) not in told[("deputy.update", lead)].body
