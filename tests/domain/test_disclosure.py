"""Disclosure of replies (答复公开): 不宜公开 decisions and the redaction of contact details.

Rules (docs/suggestions.md, "不宜公开" and "Redaction"):
- DESIGN.md / provincial handling rules: a reply is published within 20 working days,
  contact details and secrets redacted; staff may decide a reply is not to be disclosed
  (不宜公开) with a reason, and then no disclosure is owed for it.
- Resident ID numbers are 18 characters whose last is the check digit of GB 11643-1999
  (ISO 7064 MOD 11-2); phone numbers are what libphonenumber finds for region CN.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renda_core.domain.errors import RuleViolated
from renda_core.domain.suggestion import (
    Status,
    id_check_digit,
    is_resident_id,
    open_deadlines,
    redact,
)
from tests.domain.test_suggestion import CLOCK, STAFF, UNIT, at, d, topics

# -- 不宜公开 -----------------------------------------------------------------------------


def test_withheld_reply_never_shows_as_disclosure_overdue() -> None:
    s = at(Status.REPLIED)
    assert [e["deadline"] for e in open_deadlines(s.to_dict())] == ["disclosure_due"]
    s.collect_events()
    s.withhold_disclosure(reason="涉及国家秘密，不宜公开", on=d("2024-12-22"), actor=STAFF)
    assert topics(s) == ["renda:Suggestion.DisclosureWithheld"]
    doc = s.to_dict()
    assert doc["withheld"] is True and doc["disclosed"] is False
    assert doc["withholdings"] == [
        {"round": 1, "reason": "涉及国家秘密，不宜公开", "on": "2024-12-22"}
    ]
    # long after the disclosure due date, nothing is owed
    assert open_deadlines(doc, d("2026-01-01")) == []


def test_a_withheld_reply_cannot_be_disclosed_and_a_disclosed_one_cannot_be_withheld() -> None:
    s = at(Status.REPLIED)
    s.withhold_disclosure(reason="涉密", on=d("2024-12-22"), actor=STAFF)
    with pytest.raises(RuleViolated, match="decided not to be disclosed on 2024-12-22"):
        s.disclose(text=None, on=d("2024-12-23"), actor=UNIT)
    with pytest.raises(RuleViolated, match="decided not to be disclosed"):
        s.withhold_disclosure(reason="again", on=d("2024-12-23"), actor=STAFF)
    t = at(Status.REPLIED)
    t.disclose(text=None, on=d("2024-12-21"), actor=UNIT)
    with pytest.raises(RuleViolated, match="already disclosed"):
        t.withhold_disclosure(reason="涉密", on=d("2024-12-22"), actor=STAFF)


def test_withholding_needs_a_reply_a_reason_and_a_date_after_the_reply() -> None:
    with pytest.raises(RuleViolated, match="cannot decide not to disclose"):
        at(Status.ASSIGNED).withhold_disclosure(reason="涉密", on=d("2024-12-22"), actor=STAFF)
    s = at(Status.REPLIED)
    s.collect_events()
    with pytest.raises(RuleViolated, match="needs the reason"):
        s.withhold_disclosure(reason="  ", on=d("2024-12-22"), actor=STAFF)
    with pytest.raises(RuleViolated, match="before the reply"):
        s.withhold_disclosure(reason="涉密", on=d("2024-12-19"), actor=STAFF)
    assert s.collect_events() == [] and s.withholdings == ()


def test_a_new_reply_after_rehandling_needs_its_own_decision() -> None:
    s = at(Status.REHANDLING)
    s.reply(
        unit="省商务厅",
        result_class="A",
        text="已解决",
        on=d("2025-01-20"),
        clock=CLOCK,
        actor=UNIT,
    )
    doc = s.to_dict()
    assert doc["withheld"] is False
    assert "disclosure_due" in [e["deadline"] for e in open_deadlines(doc)]
    s.withhold_disclosure(reason="涉及个人隐私", on=d("2025-01-21"), actor=STAFF)
    assert s.to_dict()["withheld"] is True
    assert [w["round"] for w in s.withholdings] == [2]


# -- redaction: examples -------------------------------------------------------------------

ID_OK = "220104198001011237"  # check digit 7
ID_X = "22010419800101100X"  # check character X


@pytest.mark.parametrize(
    ("text", "gone", "label"),
    [
        ("手机13812345678，", "13812345678", "[手机号已隐去]"),
        ("手机 138 1234 5678。", "138 1234 5678", "[手机号已隐去]"),
        ("电话+86-138-1234-5678", "+86-138-1234-5678", "[手机号已隐去]"),
        ("电话+86 139 1234 5678", "139 1234 5678", "[手机号已隐去]"),
        ("座机0431-88886666，", "0431-88886666", "[电话已隐去]"),
        ("座机(0431)8888 6666，", "8888 6666", "[电话已隐去]"),
        ("座机（0431）88886666，", "88886666", "[电话已隐去]"),
        ("座机0431-8888-6666，", "8888-6666", "[电话已隐去]"),
        ("北京010-12345678", "12345678", "[电话已隐去]"),
        (f"身份证号{ID_OK}。", ID_OK, "[身份证号已隐去]"),
        (f"身份证号{ID_X}。", ID_X, "[身份证号已隐去]"),
        (f"身份证号{ID_X.lower()}。", ID_X.lower(), "[身份证号已隐去]"),
        ("邮箱wang@jl.gov.cn", "wang@jl.gov.cn", "[邮箱已隐去]"),
    ],
)
def test_redaction_covers_real_formats(text: str, gone: str, label: str) -> None:
    published, count = redact(text)
    assert gone not in published
    assert label in published and count == 1


@pytest.mark.parametrize(
    "text",
    [
        "2024年投资12亿元，建设3个口岸",
        "编号2024001号，共计12345678元",  # an amount is not a phone number
        "2024-09-27交办，2024-12-20答复",
        "220104198001011230",  # 18 digits whose check digit is wrong: not an ID number
        "22010419800101123X",
        "第十四届人民代表大会第二次会议",
    ],
)
def test_redaction_keeps_ordinary_numbers(text: str) -> None:
    assert redact(text) == (text, 0)


def test_check_digit_is_iso_7064_mod_11_2() -> None:
    # GB 11643-1999's own example: 11010519491231002X
    assert id_check_digit("11010519491231002") == "X"
    assert is_resident_id("11010519491231002X") and is_resident_id("11010519491231002x")
    assert not is_resident_id("110105194912310021")
    assert not is_resident_id("1101051949123100２X")  # full-width digit


# -- redaction: properties -----------------------------------------------------------------

digits = st.text(alphabet="0123456789", min_size=17, max_size=17)
filler = st.text(alphabet="关于建议答复办理情况联系人王科长。，：", max_size=12)
MOBILE_PREFIXES = ("138", "139", "150", "186", "199", "177", "135")


@given(first=digits, before=filler, after=filler)
def test_any_valid_id_number_is_redacted(first: str, before: str, after: str) -> None:
    number = first + id_check_digit(first)
    published, count = redact(before + number + after)
    assert number not in published and "[身份证号已隐去]" in published
    assert count >= 1


@given(first=digits, wrong=st.sampled_from("0123456789X"))
def test_an_18_digit_figure_with_a_wrong_check_digit_is_not_an_id(first: str, wrong: str) -> None:
    if wrong == id_check_digit(first):
        wrong = "0" if wrong != "0" else "1"
    published, _ = redact(f"金额{first}{wrong}元")
    assert "[身份证号已隐去]" not in published


@given(
    prefix=st.sampled_from(MOBILE_PREFIXES),
    rest=st.text(alphabet="0123456789", min_size=8, max_size=8),
    style=st.sampled_from(["{a}{b}{c}", "{a} {b} {c}", "+86-{a}-{b}-{c}", "+86 {a}{b}{c}"]),
    before=filler,
    after=filler,
)
def test_any_mobile_number_is_redacted_in_every_usual_format(
    prefix: str, rest: str, style: str, before: str, after: str
) -> None:
    written = style.format(a=prefix, b=rest[:4], c=rest[4:])
    published, count = redact(f"{before}手机{written}{after}")
    assert "[手机号已隐去]" in published and count == 1
    assert not re.search(r"\d{4}", published)


@given(text=st.text(max_size=80))
def test_redaction_is_idempotent_and_counts_nothing_the_second_time(text: str) -> None:
    once, _ = redact(text)
    assert redact(once) == (once, 0)


@given(text=st.text(alphabet=st.characters(blacklist_categories=("Nd",)), max_size=60))
def test_text_without_digits_or_at_signs_is_unchanged(text: str) -> None:
    if "@" in text or "【" in text:
        return
    assert redact(text) == (text, 0)
