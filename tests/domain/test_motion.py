"""Pure tests of the Motion aggregate (议案): thresholds per level, the presidium's
decision and the vote; every refused transition raises and records nothing."""

from __future__ import annotations

from datetime import date

import pytest

from renda_core.domain.errors import InvalidInput, RuleViolated
from renda_core.domain.motion import DEFAULT_RULES, Motion, MotionRule
from renda_core.domain.values import Actor
from tests.domain.test_attendance import refused

STAFF = Actor("clerk-1", "staff")
D = date(2024, 1, 20)
SMALL = MotionRule(3, False)  # a 3-signature rule keeps the tests short


def drafted(rule: MotionRule = SMALL, level: str = "provincial") -> Motion:
    m = Motion.draft(
        title="关于制定《吉林省黑土地保护条例》的议案",
        body="……",
        level=level,
        proposer="deputies",
        lead_deputy="lead",
        delegation=None,
        rule=rule,
        on=D,
        actor=STAFF,
    )
    m.collect_events()
    return m


def received() -> Motion:
    m = drafted()
    for n in (1, 2):
        m.cosign(deputy_id=f"d{n}", on=D, actor=STAFF)
    m.submit(session_id="s", rule=SMALL, on=D, actor=STAFF)
    m.receive(on=D, actor=STAFF)
    m.collect_events()
    return m


def test_default_thresholds_follow_the_law_per_level() -> None:
    assert {lv: r.min_deputies for lv, r in DEFAULT_RULES.items()} == {
        "national": 30,
        "provincial": 10,
        "municipal": 10,
        "county": 10,
        "township": 5,
    }
    assert [lv for lv, r in DEFAULT_RULES.items() if r.delegation] == ["national"]


def test_a_motion_reaches_the_agenda_and_is_passed() -> None:
    m = received()
    m.decide(decision="agenda", reason=None, suggestion_id=None, on=D, actor=STAFF)
    assert m.status == "on_agenda"
    m.vote(passed=True, on=date(2024, 1, 24), actor=STAFF)
    assert m.to_dict()["status"] == "passed" and m.to_dict()["passed"] is True


def test_not_on_the_agenda_it_names_its_suggestion() -> None:
    m = received()
    m.decide(decision="not_agenda", reason="属于建议", suggestion_id="s-1", on=D, actor=STAFF)
    assert m.status == "not_on_agenda" and m.suggestion_id == "s-1"


def test_drafting_refused() -> None:
    with pytest.raises(RuleViolated, match="lead deputy"):
        Motion.draft(
            title="t",
            body="b",
            level="provincial",
            proposer="deputies",
            lead_deputy=None,
            delegation=None,
            rule=SMALL,
            on=D,
            actor=STAFF,
        )
    with pytest.raises(RuleViolated, match=r"delegation .* cannot"):
        Motion.draft(
            title="t",
            body="b",
            level="provincial",
            proposer="delegation",
            lead_deputy=None,
            delegation="吉林代表团",
            rule=DEFAULT_RULES["provincial"],
            on=D,
            actor=STAFF,
        )
    with pytest.raises(RuleViolated, match="delegation's name"):
        Motion.draft(
            title="t",
            body="b",
            level="national",
            proposer="delegation",
            lead_deputy=None,
            delegation=None,
            rule=DEFAULT_RULES["national"],
            on=D,
            actor=STAFF,
        )
    m = Motion.draft(
        title="t",
        body="b",
        level="national",
        proposer="delegation",
        lead_deputy=None,
        delegation="吉林代表团",
        rule=DEFAULT_RULES["national"],
        on=D,
        actor=STAFF,
        area="220000",
    )
    assert m.area == "220000"
    m.collect_events()
    refused(m, lambda: m.cosign(deputy_id="d1", on=D, actor=STAFF), "not co-signed")
    m.submit(session_id="s", rule=DEFAULT_RULES["national"], on=D, actor=STAFF)  # no threshold
    assert m.status == "submitted"


def test_cosigning_refused() -> None:
    m = drafted()
    refused(m, lambda: m.cosign(deputy_id="lead", on=D, actor=STAFF), "already signs")
    refused(m, lambda: m.cosign(deputy_id="d1", on=date(2024, 1, 1), actor=STAFF), "before")
    m.cosign(deputy_id="d1", on=D, actor=STAFF)
    m.collect_events()
    refused(m, lambda: m.cosign(deputy_id="d1", on=D, actor=STAFF), "already co-signed")


def test_submission_below_the_threshold_is_refused() -> None:
    m = drafted()
    m.cosign(deputy_id="d1", on=D, actor=STAFF)
    m.collect_events()
    refused(m, lambda: m.submit(session_id="s", rule=SMALL, on=D, actor=STAFF), "3 or more")
    refused(
        m,
        lambda: m.submit(session_id="s", rule=DEFAULT_RULES["provincial"], on=D, actor=STAFF),
        "10 or more deputies jointly; it has 2",
    )
    m.cosign(deputy_id="d2", on=date(2024, 1, 21), actor=STAFF)
    m.collect_events()
    refused(m, lambda: m.submit(session_id="s", rule=SMALL, on=D, actor=STAFF), "last signature")


def test_transitions_out_of_order_are_refused() -> None:
    m = drafted()
    refused(m, lambda: m.receive(on=D, actor=STAFF), "cannot receive")
    refused(m, lambda: m.check_decision(on=D), "cannot decide")
    refused(m, lambda: m.vote(passed=True, on=D, actor=STAFF), "cannot record the vote")
    r = received()
    refused(r, lambda: r.cosign(deputy_id="d9", on=D, actor=STAFF), "cannot co-sign")
    refused(r, lambda: r.submit(session_id="s", rule=SMALL, on=D, actor=STAFF), "cannot submit")
    refused(r, lambda: r.receive(on=D, actor=STAFF), "cannot receive")
    refused(r, lambda: r.vote(passed=True, on=D, actor=STAFF), "cannot record the vote")
    dec = r.decide
    refused(
        r,
        lambda: dec(decision="not_agenda", reason=None, suggestion_id=None, on=D, actor=STAFF),
        "handled as a suggestion",
    )
    refused(
        r,
        lambda: dec(decision="agenda", reason=None, suggestion_id="s-1", on=D, actor=STAFF),
        "not handled as a suggestion",
    )
    refused(
        r,
        lambda: dec(
            decision="agenda", reason=None, suggestion_id=None, on=date(2024, 1, 1), actor=STAFF
        ),
        "before its receipt",
    )
    dec(decision="agenda", reason=None, suggestion_id=None, on=D, actor=STAFF)
    r.collect_events()
    refused(
        r,
        lambda: dec(decision="agenda", reason=None, suggestion_id=None, on=D, actor=STAFF),
        "cannot decide",
    )
    refused(r, lambda: r.vote(passed=False, on=date(2024, 1, 1), actor=STAFF), "before")
    r.vote(passed=False, on=D, actor=STAFF)
    r.collect_events()
    assert r.status == "not_passed"
    refused(r, lambda: r.vote(passed=True, on=D, actor=STAFF), "cannot record the vote")


#: a national delegation's motion, as drafted by staff
DELEGATION: dict[str, object] = {
    "title": "t",
    "body": "b",
    "level": "national",
    "proposer": "delegation",
    "lead_deputy": None,
    "delegation": "吉林代表团",
    "rule": DEFAULT_RULES["national"],
    "on": D,
    "actor": STAFF,
}


@pytest.mark.parametrize(("area", "error"), [(None, RuleViolated), ("22", InvalidInput)])
def test_a_delegations_motion_needs_the_delegations_area(
    area: str | None, error: type[Exception]
) -> None:
    with pytest.raises(error, match="area"):
        Motion.draft(**{**DELEGATION, "area": area})  # type: ignore[arg-type]


def test_a_joint_motion_keeps_no_area_of_its_own() -> None:
    """Its suggestion takes the lead deputy's area (application/motions.py)."""
    joint = {**DELEGATION, "proposer": "deputies", "lead_deputy": "d0", "delegation": None}
    m = Motion.draft(**{**joint, "area": "220000"})  # type: ignore[arg-type]
    assert m.area is None and m.to_dict()["area"] is None
