"""The deputy's lifecycle (issue 14 item 3): suspension and its end, statutory
termination grounds, the announcement (公告), terms and re-election — every accepted
and every rejected transition, on the aggregate alone."""

from __future__ import annotations

from datetime import date

import pytest

from renda_core.domain.deputy import ACTIVE, SUSPENDED, TERMINATED, Deputy
from renda_core.domain.errors import RuleViolated
from renda_core.domain.mandate import SuspensionGround, Term, TerminationGround
from renda_core.domain.values import Level, TerminationReason
from tests.domain.test_deputy import STAFF, new_deputy, topics


def test_suspension_and_resumption() -> None:
    d = new_deputy()
    d.suspend(ground=SuspensionGround.DETAINED, on=date(2024, 3, 1), actor=STAFF)
    assert d.status == SUSPENDED and d.is_active  # the mandate holds while suspended
    assert d.to_dict()["status_label"] == "暂停执行代表职务"
    d.resume(on=date(2024, 9, 1), actor=STAFF)
    assert d.status == ACTIVE
    assert d.suspensions == [
        {"ground": "detained", "since": date(2024, 3, 1), "until": date(2024, 9, 1)}
    ]
    assert topics(d)[1:] == ["renda:Deputy.DutiesSuspended", "renda:Deputy.DutiesResumed"]


@pytest.mark.parametrize(
    ("setup", "action", "message"),
    [
        (
            lambda d: d.suspend(ground="detained", on=date(2024, 3, 1), actor=STAFF),
            lambda d: d.suspend(ground="detained", on=date(2024, 4, 1), actor=STAFF),
            "already suspended",
        ),
        (
            lambda d: None,
            lambda d: d.suspend(ground="detained", on=date(2022, 1, 1), actor=STAFF),
            "before registration",
        ),
        (lambda d: None, lambda d: d.resume(on=date(2024, 1, 1), actor=STAFF), "not suspended"),
        (
            lambda d: d.suspend(ground="serving_sentence", on=date(2024, 3, 1), actor=STAFF),
            lambda d: d.resume(on=date(2024, 2, 1), actor=STAFF),
            "before the suspension",
        ),
        (
            lambda d: (
                d.suspend(ground="detained", on=date(2024, 3, 1), actor=STAFF),
                d.resume(on=date(2024, 5, 1), actor=STAFF),
            ),
            lambda d: d.suspend(ground="detained", on=date(2024, 4, 1), actor=STAFF),
            "before the last resumption",
        ),
        (
            lambda d: d.terminate(ground="incapacity", on=date(2024, 3, 1), actor=STAFF),
            lambda d: d.suspend(ground="detained", on=date(2024, 4, 1), actor=STAFF),
            "mandate ended",
        ),
        (
            lambda d: d.terminate(ground="incapacity", on=date(2024, 3, 1), actor=STAFF),
            lambda d: d.resume(on=date(2024, 4, 1), actor=STAFF),
            "not suspended",
        ),
        (
            lambda d: d.suspend(ground="detained", on=date(2024, 3, 1), actor=STAFF),
            lambda d: d.terminate(ground="recalled", on=date(2024, 2, 1), actor=STAFF),
            "before the suspension",
        ),
        (
            lambda d: None,
            lambda d: d.terminate(ground="unspecified", on=date(2024, 2, 1), actor=STAFF),
            "name the ground",
        ),
        (
            lambda d: None,
            lambda d: d.terminate(on=date(2024, 2, 1), actor=STAFF),
            "needs its ground",
        ),
        (
            lambda d: None,
            lambda d: d.announce_termination(notice="公告", on=date(2024, 2, 1), actor=STAFF),
            "only a terminated mandate",
        ),
        (
            lambda d: d.terminate(ground="recalled", on=date(2024, 3, 1), actor=STAFF),
            lambda d: d.announce_termination(notice="公告", on=date(2024, 2, 1), actor=STAFF),
            "before the termination",
        ),
        (
            lambda d: (
                d.terminate(ground="recalled", on=date(2024, 3, 1), actor=STAFF),
                d.announce_termination(notice="公告第1号", on=date(2024, 3, 5), actor=STAFF),
            ),
            lambda d: d.announce_termination(notice="公告第2号", on=date(2024, 3, 6), actor=STAFF),
            "already announced",
        ),
        (
            lambda d: None,
            lambda d: d.reelect(term=14, electoral_unit=None, on=date(2028, 1, 1), actor=STAFF),
            "not after the current term",
        ),
        (
            lambda d: None,
            lambda d: d.reelect(term=15, electoral_unit=None, on=date(2022, 1, 1), actor=STAFF),
            "before the start of the current term",
        ),
        (
            lambda d: d.suspend(ground="detained", on=date(2024, 3, 1), actor=STAFF),
            lambda d: d.reelect(term=15, electoral_unit=None, on=date(2028, 1, 1), actor=STAFF),
            "suspended",
        ),
        (
            lambda d: d.terminate(ground="death", on=date(2024, 3, 1), actor=STAFF),
            lambda d: d.reelect(term=15, electoral_unit=None, on=date(2028, 1, 1), actor=STAFF),
            "mandate ended",
        ),
    ],
)
def test_rejected_transitions_record_nothing(setup, action, message) -> None:  # type: ignore[no-untyped-def]
    d = new_deputy()
    setup(d)
    d.collect_events()
    before = d.to_dict()
    with pytest.raises(RuleViolated, match=message):
        action(d)
    assert d.collect_events() == []
    assert d.to_dict() == before


@pytest.mark.parametrize("ground", [g for g in TerminationGround if g.value != "unspecified"])
def test_every_statutory_ground_is_recorded(ground: TerminationGround) -> None:
    d = new_deputy()
    d.terminate(ground=ground, on=date(2024, 6, 1), actor=STAFF)
    (event,) = d.collect_events()[1:]
    assert event.ground == ground.value  # type: ignore[attr-defined]
    assert d.status == TERMINATED and d.termination_ground == ground.value
    assert d.to_dict()["termination_ground_label"] == ground.label


def test_a_coarse_reason_implies_its_ground_and_a_ground_its_reason() -> None:
    d = new_deputy()
    d.terminate(reason=TerminationReason.TRANSFER, on=date(2024, 6, 1), actor=STAFF)
    assert (d.termination_reason, d.termination_ground) == ("transfer", "moved_away")
    d2 = new_deputy()
    d2.terminate(ground=TerminationGround.ORDERED_TO_RESIGN, on=date(2024, 6, 1), actor=STAFF)
    assert (d2.termination_reason, d2.termination_ground) == ("resignation", "ordered_to_resign")
    d3 = new_deputy()
    d3.terminate(ground=TerminationGround.LOST_NATIONALITY, on=date(2024, 6, 1), actor=STAFF)
    assert d3.termination_reason == "other"


def test_termination_ends_the_suspension_and_every_liaison_and_the_term() -> None:
    d = new_deputy()
    d.liaise(member="甲", on=date(2023, 2, 1), actor=STAFF)
    d.liaise(member="乙", on=date(2023, 2, 2), actor=STAFF)
    d.suspend(ground="detained", on=date(2024, 1, 1), actor=STAFF)
    d.terminate(ground="deprived_of_political_rights", on=date(2024, 6, 1), actor=STAFF)
    assert d.open_liaisons == {} and d.liaison is None
    assert d.suspensions[-1]["until"] == date(2024, 6, 1)
    assert d.terms == [{"term": 14, "from": date(2023, 1, 16), "to": date(2024, 6, 1)}]
    d.announce_termination(notice="吉林省人大常委会公告第12号", on=date(2024, 6, 5), actor=STAFF)
    assert d.to_dict()["announcement"] == "吉林省人大常委会公告第12号"


def test_reelection_keeps_one_record_across_terms() -> None:
    d = new_deputy()
    d.reelect(term=15, electoral_unit="长春市人民代表大会", on=date(2028, 1, 10), actor=STAFF)
    assert d.term == 15
    assert d.terms == [
        {"term": 14, "from": date(2023, 1, 16), "to": date(2028, 1, 10)},
        {"term": 15, "from": date(2028, 1, 10), "to": None},
    ]
    assert topics(d)[-1] == "renda:Deputy.ReElected"


def test_term_lifecycle_and_its_rejections() -> None:
    t = Term.begin(level=Level.PROVINCIAL, number=14, title=None, on=date(2023, 1, 13), actor=STAFF)
    assert t.title == "省第十四届人民代表大会"
    assert t.covers(date(2025, 1, 1)) and not t.covers(date(2023, 1, 12))
    with pytest.raises(RuleViolated, match="not after the term began"):
        t.end(on=date(2023, 1, 13), actor=STAFF)
    t.end(on=date(2028, 1, 12), actor=STAFF)
    assert not t.covers(date(2028, 1, 13))
    with pytest.raises(RuleViolated, match="already ended"):
        t.end(on=date(2028, 1, 13), actor=STAFF)
    with pytest.raises(RuleViolated, match="starts at 1"):
        Term.begin(level="county", number=0, title=None, on=date(2023, 1, 1), actor=STAFF)


def test_a_suspension_covers_its_days_and_refuses_the_duties_only_then() -> None:
    d = new_deputy()
    d.suspend(ground=SuspensionGround.SERVING_SENTENCE, on=date(2024, 3, 1), actor=STAFF)
    d.resume(on=date(2024, 9, 1), actor=STAFF)
    d.suspend(ground=SuspensionGround.DETAINED, on=date(2025, 1, 1), actor=STAFF)
    assert d.suspension_on(date(2024, 2, 29)) is None
    assert d.suspension_on(date(2024, 3, 1)) == d.suspensions[0]
    assert d.suspension_on(date(2024, 8, 31)) == d.suspensions[0]
    assert d.suspension_on(date(2024, 9, 1)) is None  # resumed that day
    assert d.suspension_on(date(2030, 1, 1)) == d.suspensions[1]  # still running
    d.check_may_exercise_duties("enter a station", date(2024, 9, 1))
    with pytest.raises(RuleViolated, match=r"暂停执行代表职务.*since 2024-03-01.*serving_sentence"):
        d.check_may_exercise_duties("enter a station", date(2024, 5, 1))


def test_a_contact_with_a_suspended_deputy_is_refused_and_records_nothing() -> None:
    d = new_deputy()
    d.suspend(ground=SuspensionGround.DETAINED, on=date(2024, 3, 1), actor=STAFF)
    version = d.version
    with pytest.raises(RuleViolated, match="暂停执行代表职务"):
        d.record_contact(form="visit", on=date(2024, 4, 1), note=None, actor=STAFF, member="王")
    assert d.version == version and d.contacts == []
    d.record_contact(form="visit", on=date(2024, 2, 1), note=None, actor=STAFF, member="王")
    assert len(d.contacts) == 1


# -- by-elections (补选) ---------------------------------------------------------------


def _announced_vacancy() -> Deputy:
    d = new_deputy()
    d.terminate(ground=TerminationGround.MOVED_AWAY, on=date(2024, 5, 1), actor=STAFF)
    d.announce_termination(notice="公告第3号", on=date(2024, 5, 10), actor=STAFF)
    d.collect_events()
    return d


def test_a_by_election_fills_the_announced_vacancy_with_a_linked_mandate() -> None:
    vacancy = _announced_vacancy()
    assert vacancy.vacancy == "vacant" and vacancy.to_dict()["vacancy_label"] == "缺额"
    new = Deputy.by_elect(
        vacancy=vacancy, name="朴成哲", on=date(2024, 8, 1), actor=STAFF, area="220102"
    )
    assert (new.level, new.term, new.electoral_unit) == (
        vacancy.level,
        vacancy.term,
        vacancy.electoral_unit,
    )
    assert new.area == "220102" and new.fills == str(vacancy.id) and new.vacancy is None
    assert new.registered_on == date(2024, 8, 1) and new.status == ACTIVE
    assert topics(new) == ["renda:Deputy.Registered", "renda:Deputy.ByElected"]
    assert topics(vacancy) == ["renda:Deputy.VacancyFilled"]
    assert (vacancy.vacancy, vacancy.filled_by, vacancy.filled_on) == (
        "filled",
        str(new.id),
        date(2024, 8, 1),
    )


@pytest.mark.parametrize(
    ("prepare", "on", "message"),
    [
        (lambda d: None, date(2024, 8, 1), "the seat is not vacant"),
        (
            lambda d: d.suspend(ground="detained", on=date(2024, 1, 1), actor=STAFF),
            date(2024, 8, 1),
            "the seat is not vacant",
        ),
        (
            lambda d: d.terminate(ground="death", on=date(2024, 5, 1), actor=STAFF),
            date(2024, 8, 1),
            "not announced",
        ),
        (
            lambda d: (
                d.terminate(ground="death", on=date(2024, 5, 1), actor=STAFF),
                d.announce_termination(notice="公告", on=date(2024, 5, 10), actor=STAFF),
            ),
            date(2024, 5, 9),
            "before the announcement of the vacancy",
        ),
    ],
)
def test_a_by_election_is_refused_unless_the_seat_is_vacant(
    prepare: object, on: date, message: str
) -> None:
    d = new_deputy()
    prepare(d)  # type: ignore[operator]
    version = d.version
    with pytest.raises(RuleViolated, match=message):
        Deputy.by_elect(vacancy=d, name="朴成哲", on=on, actor=STAFF)
    assert d.version == version and d.filled_by is None


def test_a_vacancy_is_filled_once() -> None:
    vacancy = _announced_vacancy()
    Deputy.by_elect(vacancy=vacancy, name="朴成哲", on=date(2024, 8, 1), actor=STAFF)
    with pytest.raises(RuleViolated, match="already filled on 2024-08-01"):
        Deputy.by_elect(vacancy=vacancy, name="李明", on=date(2024, 9, 1), actor=STAFF)
