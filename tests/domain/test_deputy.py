"""Pure tests of the Deputy aggregate: every transition and every rejection."""

from __future__ import annotations

from datetime import date

import pytest

from renda_core.domain.deputy import ACTIVE, TERMINATED, Deputy
from renda_core.domain.errors import InvalidInput, RuleViolated
from renda_core.domain.values import Actor, ContactForm, Level, TerminationReason

STAFF = Actor("clerk-1", "staff")
D0 = date(2023, 1, 16)


def new_deputy(**kw: object) -> Deputy:
    args: dict[str, object] = {
        "name": "李春华",
        "level": Level.PROVINCIAL,
        "term": 14,
        "electoral_unit": "长春市人民代表大会",
        "area": "220104",
        "on": D0,
        "actor": STAFF,
    }
    args.update(kw)
    return Deputy.register(**args)  # type: ignore[arg-type]


def topics(deputy: Deputy) -> list[str]:
    return [type(e).TOPIC for e in deputy.collect_events()]  # type: ignore[attr-defined]


def test_register_records_every_fact_and_the_actor() -> None:
    d = new_deputy(ethnicity="汉族", phone="0431-88888888")
    (registered,) = d.collect_events()
    assert type(registered).TOPIC == "renda:Deputy.Registered"  # type: ignore[attr-defined]
    assert registered.actor == STAFF  # type: ignore[attr-defined]
    assert registered.on == D0  # type: ignore[attr-defined]
    assert d.status == ACTIVE and d.level == "provincial" and d.name == "李春华"
    assert d.registered_on == D0 and d.liaison is None


@pytest.mark.parametrize("area", ["22010", "2201040", "990000", "abcdef", ""])
def test_register_rejects_a_malformed_area_code(area: str) -> None:
    with pytest.raises(InvalidInput):
        new_deputy(area=area)


@pytest.mark.parametrize("area", ["220104", "220104001", "220104001002"])
def test_register_accepts_six_nine_and_twelve_digit_codes(area: str) -> None:
    assert new_deputy(area=area).area == area


def test_register_rejects_term_zero() -> None:
    with pytest.raises(RuleViolated):
        new_deputy(term=0)


def test_liaison_contact_and_end() -> None:
    d = new_deputy()
    d.liaise(member="常委会委员 周敏", on=date(2023, 2, 1), actor=STAFF)
    d.record_contact(form=ContactForm.VISIT, on=date(2023, 3, 1), note="走访", actor=STAFF)
    d.unliaise(on=date(2023, 12, 31), actor=STAFF)
    assert d.liaison is None
    assert d.liaisons == [
        {"member": "常委会委员 周敏", "since": date(2023, 2, 1), "until": date(2023, 12, 31)}
    ]
    assert d.contacts[0]["member"] == "常委会委员 周敏"
    assert topics(d)[1:] == [
        "renda:Deputy.LiaisonAssigned",
        "renda:Deputy.ContactRecorded",
        "renda:Deputy.LiaisonEnded",
    ]


def test_several_liaisons_at_once_but_each_member_once() -> None:
    # Issue 14 dropped the one-liaison-at-a-time rule (双联系 is a ledger): a deputy may
    # have several liaison members; the same member twice at once is refused.
    d = new_deputy()
    d.liaise(member="甲", on=date(2023, 2, 1), actor=STAFF)
    d.liaise(member="乙", on=date(2023, 2, 2), actor=STAFF)
    assert d.open_liaisons == {"甲": date(2023, 2, 1), "乙": date(2023, 2, 2)}
    with pytest.raises(RuleViolated, match="already this deputy's liaison"):
        d.liaise(member="甲", on=date(2023, 2, 3), actor=STAFF)
    with pytest.raises(RuleViolated, match="name the member"):
        d.unliaise(on=date(2023, 3, 1), actor=STAFF)
    with pytest.raises(RuleViolated, match="name the member"):
        d.record_contact(form=ContactForm.PHONE, on=date(2023, 3, 1), note=None, actor=STAFF)
    with pytest.raises(RuleViolated, match="not a liaison"):
        d.unliaise(on=date(2023, 3, 1), actor=STAFF, member="丙")
    d.unliaise(on=date(2023, 3, 1), actor=STAFF, member="甲")
    assert d.liaison == "乙" and list(d.open_liaisons) == ["乙"]
    d.record_contact(form=ContactForm.VISIT, on=date(2023, 3, 2), note=None, actor=STAFF)
    # any member may be named for a contact, liaison or not
    d.record_contact(
        form=ContactForm.FORUM, on=date(2023, 3, 3), note=None, actor=STAFF, member="常委会主任"
    )
    assert [c["member"] for c in d.contacts] == ["乙", "常委会主任"]


def test_contact_needs_an_active_liaison() -> None:
    d = new_deputy()
    with pytest.raises(RuleViolated, match="needs an active"):
        d.record_contact(form=ContactForm.PHONE, on=date(2023, 3, 1), note=None, actor=STAFF)


def test_unliaise_without_liaison_is_rejected() -> None:
    with pytest.raises(RuleViolated, match="no liaison"):
        new_deputy().unliaise(on=date(2023, 3, 1), actor=STAFF)


@pytest.mark.parametrize(
    "action",
    [
        lambda d: d.liaise(member="甲", on=date(2022, 12, 31), actor=STAFF),
        lambda d: d.terminate(reason=TerminationReason.DEATH, on=date(2022, 1, 1), actor=STAFF),
    ],
)
def test_dates_before_registration_are_rejected(action: object) -> None:
    d = new_deputy()
    with pytest.raises(RuleViolated, match="before registration"):
        action(d)  # type: ignore[operator]
    assert topics(d) == ["renda:Deputy.Registered"]


def test_contact_before_liaison_started_is_rejected() -> None:
    d = new_deputy()
    d.liaise(member="甲", on=date(2023, 5, 1), actor=STAFF)
    with pytest.raises(RuleViolated, match="before the start of the liaison"):
        d.record_contact(form=ContactForm.FORUM, on=date(2023, 4, 30), note=None, actor=STAFF)


def test_termination_ends_the_liaison_and_blocks_new_duties() -> None:
    d = new_deputy()
    d.liaise(member="甲", on=date(2023, 2, 1), actor=STAFF)
    d.terminate(reason=TerminationReason.TRANSFER, on=date(2023, 11, 30), actor=STAFF)
    assert d.status == TERMINATED and d.liaison is None
    assert d.liaisons[-1]["until"] == date(2023, 11, 30)
    for action in (
        lambda: d.liaise(member="乙", on=date(2023, 12, 1), actor=STAFF),
        lambda: d.unliaise(on=date(2023, 12, 1), actor=STAFF),
        lambda: d.record_contact(
            form=ContactForm.FORUM, on=date(2023, 12, 1), note=None, actor=STAFF
        ),
        lambda: d.terminate(reason=TerminationReason.OTHER, on=date(2023, 12, 1), actor=STAFF),
    ):
        with pytest.raises(RuleViolated, match="mandate ended"):
            action()


def test_corrections_are_allowed_after_termination() -> None:
    d = new_deputy()
    d.terminate(reason=TerminationReason.RESIGNATION, on=date(2023, 6, 1), actor=STAFF)
    d.correct({"name": "李春花"}, on=date(2023, 7, 1), actor=STAFF)
    assert d.name == "李春花"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "李春华"}, "nothing to correct"),
        ({"status": "active"}, "cannot correct status"),
        ({"term": 0}, "term"),
        ({"name": ""}, "cannot be cleared"),
    ],
)
def test_corrections_that_change_nothing_or_break_rules(
    changes: dict[str, object], message: str
) -> None:
    d = new_deputy()
    with pytest.raises(RuleViolated, match=message):
        d.correct(changes, on=date(2023, 7, 1), actor=STAFF)
    assert topics(d) == ["renda:Deputy.Registered"]


def test_correcting_the_area_validates_the_code() -> None:
    with pytest.raises(InvalidInput):
        new_deputy().correct({"area": "12"}, on=date(2023, 7, 1), actor=STAFF)


def test_level_enum_takes_labels() -> None:
    assert Level.parse("省") is Level.PROVINCIAL
    assert Level.of("township").label == "乡"
    with pytest.raises(ValueError, match="not one of"):
        Level.parse("村")
