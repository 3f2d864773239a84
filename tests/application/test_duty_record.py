"""The duty record (履职档案) shows each suggestion's current status (issue 10, item 11).

The record's view used to follow only Submitted, Withdrawn and Closed, so a suggestion
accepted, not accepted, assigned, replied or evaluated still showed "submitted". Here a
suggestion goes through every status, and after each step the record — read through a
runner that catches up step by step, as a long-running report process does — agrees with
the suggestion itself, for the lead deputy and for a co-signer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import pytest

from renda_core import Actor, Renda
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections.reports import fresh_context
from renda_core.projections.runner import ProjectionRunner
from tests.conftest import STAFF, register_payload

UNIT = Actor("wang", "unit:省商务厅")


@pytest.fixture
def runner(app: Renda) -> Iterator[ProjectionRunner]:
    r = ProjectionRunner(app, collect_projections(get_plugin_manager()))
    yield r
    r.close()


def record_status(runner: ProjectionRunner, deputy: UUID, kind: str) -> list[dict[str, Any]]:
    from renda_adapters.record import duty_record

    record = duty_record(fresh_context(runner, "duty_record"), str(deputy), None)
    return [
        {k: s[k] for k in ("suggestion_id", "title", "status", "status_since")}
        for s in record[kind]
    ]


def test_record_follows_every_status_change(app: Renda, runner: ProjectionRunner) -> None:
    lead = app.register_deputy(register_payload(name="金美玉"), STAFF)
    co = app.register_deputy(register_payload(name="朴成哲"), STAFF)
    lead_actor, co_actor = Actor("jin", f"deputy:{lead}"), Actor("piao", f"deputy:{co}")
    sid = app.draft_suggestion(
        {
            "title": "关于加快边境口岸建设的建议",
            "body": "建议……",
            "channel": "闭会期间",
            "source": "列席代表座谈会",
            "date": "2024-09-01",
        },
        lead_actor,
    )

    def ref(on: str, **extra: Any) -> dict[str, Any]:
        return {"suggestion_id": sid, "date": on, **extra}

    steps: list[tuple[str, Callable[[], object]]] = [
        ("invite", lambda: app.invite_cosigner(ref("2024-09-02", deputy_id=co), lead_actor)),
        ("cosign", lambda: app.cosign_suggestion(ref("2024-09-02"), co_actor)),
        ("presubmit", lambda: app.presubmit_suggestion(ref("2024-09-03"), lead_actor)),
        (
            "review",
            lambda: app.review_suggestion(
                ref("2024-09-04", outcome="returned", comment="请补充数据"), STAFF
            ),
        ),
        (
            "revise",
            lambda: app.revise_suggestion(
                ref("2024-09-05", title="关于加快珲春口岸建设的建议"), lead_actor
            ),
        ),
        ("submit", lambda: app.submit_suggestion(ref("2024-09-10"), lead_actor)),
        ("accept", lambda: app.accept_suggestion(ref("2024-09-20"), STAFF)),
        ("assign", lambda: app.assign_suggestion(ref("2024-09-27", lead_unit="省商务厅"), STAFF)),
        (
            "reply",
            lambda: app.reply_suggestion(ref("2024-11-01", result_class="B", text="答复"), UNIT),
        ),
        (
            "evaluate",
            lambda: app.evaluate_suggestion(
                ref(
                    "2024-11-10",
                    attitude="满意",
                    result="不满意",
                    reason="未说明时间表",
                ),
                lead_actor,
            ),
        ),
        ("rehandle", lambda: app.rehandle_suggestion(ref("2024-11-12"), STAFF)),
        (
            "reply again",
            lambda: app.reply_suggestion(ref("2024-12-02", result_class="A", text="再答复"), UNIT),
        ),
        (
            "evaluate again",
            lambda: app.evaluate_suggestion(
                ref("2024-12-05", attitude="满意", result="满意"), lead_actor
            ),
        ),
        ("close", lambda: app.close_suggestion(ref("2024-12-10"), STAFF)),
    ]
    seen = []
    for name, step in steps:
        step()
        current = app.suggestion(sid)
        expected = {
            "suggestion_id": str(sid),
            "title": current["title"],
            "status": current["status"],
            "status_since": current["status_since"],
        }
        assert record_status(runner, lead, "suggestions_led") == [expected], name
        cosigned = [expected] if name != "invite" else []  # co-signed from "cosign" on
        assert record_status(runner, co, "suggestions_cosigned") == cosigned, name
        seen.append(current["status"])
    assert seen == [
        "draft",
        "draft",
        "presubmitted",
        "draft",
        "draft",
        "submitted",
        "accepted",
        "assigned",
        "replied",
        "evaluated",
        "rehandling",
        "replied",
        "evaluated",
        "closed",
    ]
    (entry,) = record_status(runner, lead, "suggestions_led")
    assert entry["title"] == "关于加快珲春口岸建设的建议"


def test_record_shows_not_accepted(app: Renda, runner: ProjectionRunner) -> None:
    from renda_adapters.record import duty_record

    lead = app.register_deputy(register_payload(), STAFF)
    actor = Actor("jin", f"deputy:{lead}")
    sid = app.draft_suggestion(
        {
            "title": "关于某案件的意见",
            "body": "……",
            "channel": "闭会期间",
            "source": "其他",
            "date": "2024-09-01",
        },
        actor,
    )
    app.submit_suggestion({"suggestion_id": sid, "date": "2024-09-02"}, actor)
    assert record_status(runner, lead, "suggestions_led")[0]["status"] == "submitted"
    app.reject_suggestion(
        {
            "suggestion_id": sid,
            "date": "2024-09-05",
            "reason": "court_case",
            "explanation": "属于具体司法案件，转来信处理",
        },
        STAFF,
    )
    record = duty_record(fresh_context(runner, "duty_record"), str(lead), 2024)
    (entry,) = record["suggestions_led"]
    assert entry["status"] == app.suggestion(sid)["status"] == "converted"
    assert entry["status_label"] == "不予立案（转来信处理）"
    assert entry["status_since"] == "2024-09-05"
