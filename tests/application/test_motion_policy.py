"""Who may put a motion is a field of the province policy (``motion_rules``), the law's
numbers by default; a delegation's motion not put on the agenda becomes a suggestion
of the delegation's area; old drafts (before the area) still replay. Both stores."""

from __future__ import annotations

import json
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from renda_core import Renda
from renda_core.domain.deadlines import NATIONAL, DeadlinePolicy
from renda_core.domain.errors import InvalidInput, RuleViolated
from renda_core.domain.motion import DEFAULT_RULES, MotionRule
from renda_core.projections.log import count_events
from tests.conftest import STAFF, register_payload


def test_the_default_policy_holds_the_laws_numbers() -> None:
    assert dict(NATIONAL.motion_rules) == DEFAULT_RULES
    assert NATIONAL.to_dict()["motion_rules"]["provincial"] == {
        "min_deputies": 10,
        "delegation": False,
    }
    with pytest.raises(ValueError, match="1 or more"):
        NATIONAL.with_changes(motion_rules={"county": MotionRule(0, False)})
    changed = NATIONAL.with_changes(motion_rules={"省": MotionRule(3, True)})
    assert changed.motion_rules["provincial"] == MotionRule(3, True)
    assert changed.motion_rules["national"] == DEFAULT_RULES["national"]  # others kept


ON = {"date": "2025-01-15"}


def _session_and_deputies(app: Renda, n: int) -> list[UUID]:
    app.open_session({"level": "provincial", "term": 14, "number": 4, "date": "2025-01-15"}, STAFF)
    return [app.register_deputy(register_payload(name=f"代表{i}"), STAFF) for i in range(n)]


def test_a_province_policy_sets_its_own_threshold_and_delegations(app: Renda) -> None:
    lead, *others = _session_and_deputies(app, 3)
    draft = {"title": "关于黑土地保护的议案", "body": "……", "level": "provincial"}
    mid = app.draft_motion({**draft, "lead_deputy": lead, "date": "2025-01-15"}, STAFF)
    for d in others:
        app.cosign_motion({"motion_id": mid, "deputy_id": d, "date": "2025-01-15"}, STAFF)
    ref = {"motion_id": mid, "date": "2025-01-16"}
    before = count_events(app)
    with pytest.raises(RuleViolated, match="needs 10 or more deputies jointly; it has 3"):
        app.submit_motion(ref, STAFF)
    delegation = {**draft, "proposer": "delegation", "delegation": "延边代表团"}
    with pytest.raises(RuleViolated, match="delegation"):
        app.draft_motion({**delegation, "area": "222400", "date": "2025-01-15"}, STAFF)
    assert count_events(app) == before

    app.use_deadline_policy(
        DeadlinePolicy(name="example", motion_rules={"provincial": MotionRule(3, True)})
    )
    app.submit_motion(ref, STAFF)
    assert app.motion(mid)["status"] == "submitted"
    with pytest.raises(InvalidInput, match="area"):
        app.draft_motion({**delegation, "area": "2224", "date": "2025-01-15"}, STAFF)
    own = app.draft_motion({**delegation, "area": "222400", "date": "2025-01-15"}, STAFF)
    own_ref = {"motion_id": own, "date": "2025-01-16"}
    app.submit_motion(own_ref, STAFF)
    app.receive_motion(own_ref, STAFF)
    suggestion_id = app.decide_motion({**own_ref, "decision": "不列入会议议程"}, STAFF)
    assert suggestion_id is not None
    suggestion = app.suggestion(suggestion_id)
    assert suggestion["area"] == "222400" and suggestion["motion_id"] == str(own)
    assert suggestion["lead_name"] == "延边代表团"


def test_a_joint_motion_becomes_a_suggestion_of_the_lead_deputys_area(app: Renda) -> None:
    app.use_deadline_policy(
        DeadlinePolicy(name="example", motion_rules={"provincial": MotionRule(1, False)})
    )
    (lead,) = _session_and_deputies(app, 1)
    mid = app.draft_motion(
        {
            "title": "议案",
            "body": "……",
            "level": "provincial",
            "lead_deputy": lead,
            "date": "2025-01-15",
        },
        STAFF,
    )
    ref = {"motion_id": mid, "date": "2025-01-16"}
    app.submit_motion(ref, STAFF)
    app.receive_motion(ref, STAFF)
    suggestion_id = app.decide_motion({**ref, "decision": "not_agenda"}, STAFF)
    assert app.suggestion(str(suggestion_id))["area"] == register_payload()["area"]


def test_a_draft_recorded_before_areas_replays_without_one(app: Renda) -> None:
    """``renda:Motion.Drafted`` of class version 1 had no ``area``."""
    mid = app.draft_motion(
        {
            "title": "关于黑土地保护的议案",
            "body": "……",
            "level": "national",
            "proposer": "delegation",
            "delegation": "吉林代表团",
            "area": "220000",
            "date": "2025-01-15",
        },
        STAFF,
    )
    (stored,) = app.recorder.select_events(mid)
    state = json.loads(stored.state)
    assert state["area"] == "220000"
    del state["area"]
    state["class_version"] = 1
    old = StoredEvent(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=json.dumps(state, ensure_ascii=False).encode(),
    )
    with Renda(app.store) as reader:
        event = reader.mapper.to_domain_event(old)
    assert event.area is None  # type: ignore[attr-defined]
    motion = event.mutate(None)  # type: ignore[attr-defined]
    assert motion.area is None and motion.delegation == "吉林代表团"
