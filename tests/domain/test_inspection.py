"""Pure tests of the Inspection aggregate (视察、专题调研): every refused transition
raises and records nothing."""

from __future__ import annotations

from datetime import date

import pytest

from renda_core.domain.errors import RuleViolated
from renda_core.domain.inspection import Inspection
from renda_core.domain.values import Actor
from tests.domain.test_attendance import refused

STAFF = Actor("clerk-1", "staff")


def planned(**changes: object) -> Inspection:
    data: dict[str, object] = {
        "kind": "research",
        "topic": "黑土地保护",
        "level": "provincial",
        "organiser": "office",
        "group_id": None,
        "annual_topic": True,
        "starts": date(2024, 5, 6),
        "ends": date(2024, 5, 8),
        "on": date(2024, 4, 1),
        "actor": STAFF,
    }
    data.update(changes)
    i = Inspection.plan(**data)  # type: ignore[arg-type]
    i.collect_events()
    return i


def held() -> Inspection:
    i = planned()
    i.join(deputy_id="d1", on=date(2024, 4, 2), actor=STAFF)
    i.hold(findings="耕地保护……", on=date(2024, 5, 8), actor=STAFF)
    i.collect_events()
    return i


def test_the_whole_lifecycle() -> None:
    i = held()
    i.report(title="调研报告", text="……", on=date(2024, 5, 20), actor=STAFF)
    i.request_feedback(body="省农业农村厅", due=date(2024, 7, 1), on=date(2024, 5, 21), actor=STAFF)
    i.receive_feedback(body="省农业农村厅", text="已研究", on=date(2024, 7, 2), actor=STAFF)
    data = i.to_dict()
    assert data["status"] == "reported" and data["report"]["title"] == "调研报告"
    assert data["feedback"][0]["on_time"] is False
    assert data["participants"] == ["d1"]


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"organiser": "group"}, "names the group"),
        ({"group_id": "g"}, "names no group"),
        ({"ends": date(2024, 5, 1)}, "before the start"),
        ({"on": date(2024, 6, 1)}, "before the day it is planned"),
    ],
)
def test_planning_refused(changes: dict[str, object], match: str) -> None:
    with pytest.raises(RuleViolated, match=match):
        planned(**changes)


def test_join_and_hold_refused() -> None:
    i = planned()
    refused(i, lambda: i.hold(findings="f", on=date(2024, 5, 8), actor=STAFF), "no deputy")
    refused(i, lambda: i.join(deputy_id="d1", on=date(2024, 3, 1), actor=STAFF), "before")
    i.join(deputy_id="d1", on=date(2024, 4, 2), actor=STAFF)
    i.collect_events()
    refused(i, lambda: i.join(deputy_id="d1", on=date(2024, 4, 3), actor=STAFF), "already")
    refused(i, lambda: i.hold(findings="f", on=date(2024, 5, 1), actor=STAFF), "before its start")
    refused(i, lambda: i.report(title="t", text="x", on=date(2024, 5, 9), actor=STAFF), "planned")
    refused(
        i,
        lambda: i.request_feedback(
            body="b", due=date(2024, 7, 1), on=date(2024, 5, 9), actor=STAFF
        ),
        "cannot ask feedback",
    )
    h = held()
    refused(h, lambda: h.join(deputy_id="d2", on=date(2024, 5, 9), actor=STAFF), "cannot join")
    refused(h, lambda: h.hold(findings="f", on=date(2024, 5, 9), actor=STAFF), "cannot hold")


def test_report_and_feedback_refused() -> None:
    h = held()
    refused(h, lambda: h.report(title="t", text="x", on=date(2024, 5, 7), actor=STAFF), "before")
    req = h.request_feedback
    refused(
        h,
        lambda: req(body="b", due=date(2024, 5, 9), on=date(2024, 5, 9), actor=STAFF),
        "after the request",
    )
    refused(
        h,
        lambda: req(body="b", due=date(2024, 7, 1), on=date(2024, 5, 1), actor=STAFF),
        "before it was held",
    )
    refused(
        h,
        lambda: h.receive_feedback(body="b", text="t", on=date(2024, 6, 1), actor=STAFF),
        "no feedback was requested",
    )
    req(body="b", due=date(2024, 7, 1), on=date(2024, 5, 10), actor=STAFF)
    h.collect_events()
    refused(
        h,
        lambda: req(body="b", due=date(2024, 8, 1), on=date(2024, 5, 11), actor=STAFF),
        "already requested",
    )
    refused(
        h,
        lambda: h.receive_feedback(body="b", text="t", on=date(2024, 5, 9), actor=STAFF),
        "before the request",
    )
    h.receive_feedback(body="b", text="t", on=date(2024, 6, 1), actor=STAFF)
    h.collect_events()
    refused(
        h,
        lambda: h.receive_feedback(body="b", text="t", on=date(2024, 6, 2), actor=STAFF),
        "already gave",
    )
    h.report(title="t", text="x", on=date(2024, 6, 3), actor=STAFF)
    h.collect_events()
    refused(h, lambda: h.report(title="t", text="x", on=date(2024, 6, 4), actor=STAFF), "reported")
