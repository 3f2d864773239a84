"""The assessment hook's contract: a province's scheme replaces the built-in example;
with several, one is named; points without facts, or with facts not in the record, are
refused."""

from __future__ import annotations

from typing import Any

import pytest

from renda_core.domain.errors import InvalidInput
from renda_core.ports import hookimpl
from renda_core.ports.assessment import (
    AssessmentItem,
    check_items,
    choose_scheme,
    collect_schemes,
)
from renda_core.ports.plugins import get_plugin_manager

RECORD: dict[str, Any] = {
    "name": "金美玉",
    "constituent_reports": [{"report_id": "r1", "on": "2024-06-01", "place": "代表之家"}],
    "attendance": [],
}


class ReportsOnly:
    """A province that scores only 述职, 10 points each."""

    name = "province"
    title = "某省履职积分办法"
    note = "某省人大常委会履职管理办法（测试用）"

    def score(self, record: dict[str, Any]) -> list[AssessmentItem]:
        facts = record.get("constituent_reports", [])
        return [AssessmentItem("constituent_reports", "述职", "每次10分", 10 * len(facts), facts)]


class Plugin:
    def __init__(self, *schemes: Any) -> None:
        self.schemes = schemes

    @hookimpl
    def renda_register_assessment(self, register: Any) -> None:
        for scheme in self.schemes:
            register(scheme)


def test_renda_register_assessment() -> None:
    schemes = collect_schemes(get_plugin_manager([Plugin(ReportsOnly())]))
    assert set(schemes) == {"example", "province"}
    chosen = choose_scheme(schemes, None)  # the province's replaces the example
    assert chosen.name == "province"
    (item,) = check_items(chosen, RECORD, chosen.score(RECORD))
    assert item.to_dict() == {
        "duty": "constituent_reports",
        "label": "述职",
        "rule": "每次10分",
        "count": 1,
        "points": 10,
        "facts": RECORD["constituent_reports"],
    }
    assert choose_scheme(schemes, "example").name == "example"


def test_without_a_plugin_the_example_is_used() -> None:
    scheme = choose_scheme(collect_schemes(get_plugin_manager()), None)
    assert scheme.name == "example" and "示例" in scheme.note


def test_several_schemes_need_a_name(monkeypatch: pytest.MonkeyPatch) -> None:
    other = ReportsOnly()
    other.name = "other"
    schemes = collect_schemes(get_plugin_manager([Plugin(ReportsOnly(), other)]))
    with pytest.raises(InvalidInput, match="several"):
        choose_scheme(schemes, None)
    monkeypatch.setenv("RENDA_ASSESSMENT_SCHEME", "other")
    assert choose_scheme(schemes, None) is other
    with pytest.raises(InvalidInput, match="no assessment scheme named 'x'"):
        choose_scheme(schemes, "x")


def test_a_duplicate_name_is_refused() -> None:
    with pytest.raises(ValueError, match="two assessment schemes"):
        collect_schemes(get_plugin_manager([Plugin(ReportsOnly(), ReportsOnly())]))
    with pytest.raises(TypeError):
        collect_schemes(get_plugin_manager([Plugin(object())]))


def test_points_need_facts_from_the_record() -> None:
    scheme = ReportsOnly()
    with pytest.raises(ValueError, match="without facts"):
        check_items(scheme, RECORD, [AssessmentItem("x", "凭空", "—", 5, ())])
    invented = {"report_id": "r9", "on": "2024-07-01", "place": "别处"}
    with pytest.raises(ValueError, match="not an entry of the duty record"):
        check_items(scheme, RECORD, [AssessmentItem("x", "述职", "—", 5, (invented,))])
