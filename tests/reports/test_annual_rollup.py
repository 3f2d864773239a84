"""The annual report reads figures rolled up by prefecture: the same sums as the figures
themselves, under every filter, now and as of a past moment; overdue from counters."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest

from renda_adapters.annual import build_annual
from renda_adapters.annual import read as annual_read
from renda_adapters.rollup import SUFFIX, covers, prefecture
from renda_adapters.suggestions import build_suggestions, overdue_on
from renda_core.projections.asof import business_today
from renda_core.projections.reports import ReportContext
from tests.reports.test_annual import world  # noqa: F401  (the hand-computed scenario)

VIEWS = ("stations", "deputy_roster", "training", "groups", "suggestions")


def test_every_rolled_figure_sums_its_figure_by_prefecture(world: dict[str, Any]) -> None:  # noqa: F811
    runner = world["env"].runner()
    runner.catch_up(list(VIEWS))
    checked = 0
    for name in VIEWS:
        rolled = runner.projections[name].rolled
        assert rolled, name
        rows = runner.view(name).figures()
        detail: Counter[tuple[Any, ...]] = Counter()
        summed: Counter[tuple[Any, ...]] = Counter()
        for r in rows:
            if r.figure in rolled:
                detail[(r.figure, r.key, prefecture(r.area), r.level, r.year)] += r.value
            elif r.figure.endswith(SUFFIX):
                summed[(r.figure[: -len(SUFFIX)], r.key, r.area, r.level, r.year)] += r.value
        assert +detail == +summed, name
        checked += len(+detail)
    assert checked > 20  # the scenario reaches many rolled figures


@pytest.mark.parametrize(
    ("area", "level"),
    [(None, None), ("22", None), ("2201", None), ("220103", None), (None, "provincial")],
)
def test_rolled_up_report_equals_the_report_from_every_figure(
    world: dict[str, Any],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    area: str | None,
    level: str | None,
) -> None:
    env = world["env"]
    rolled = build_annual(env.runner(), env.reports(), year=2023, area=area, level=level)
    assert covers(area) == (area is None or len(area) <= 4)
    monkeypatch.setattr(annual_read, "covers", lambda area: False)
    detailed = build_annual(env.runner(), env.reports(), year=2023, area=area, level=level)
    assert rolled == detailed
    if area is None and level is None:
        assert rolled["stations"]["activities"]["total"] == 3  # not an empty report


def test_rolled_up_report_as_of_a_moment(world: dict[str, Any]) -> None:  # noqa: F811
    env = world["env"]
    now = build_annual(env.runner(), env.reports(), year=2023)
    as_of = build_annual(env.runner(), env.reports(), year=2023, as_of=business_today())
    assert {k: v for k, v in as_of.items() if k != "meta"} == {
        k: v for k, v in now.items() if k != "meta"
    }


@pytest.mark.parametrize(
    "day",
    ["2023-03-05", "2023-06-05", "2023-06-06", "2023-06-07", "2023-06-08", "2024-03-01"],
)
def test_overdue_from_counters_equals_overdue_from_documents(
    world: dict[str, Any],  # noqa: F811
    day: str,
) -> None:
    runner = world["env"].runner()
    runner.catch_up(["suggestions"])
    on = date.fromisoformat(day)
    view = runner.view("suggestions")
    from_docs = build_suggestions(ReportContext(view, as_of_date=on), year=2023)["overdue"]
    ctx = annual_read.SectionContext(
        view, as_of_date=on, rolled=runner.projections["suggestions"].rolled
    )
    assert overdue_on(ctx, on, 2023) == from_docs
    assert overdue_on(ctx, on, 2022) == 0


def test_overdue_counts_the_suggestion_left_without_a_reply(world: dict[str, Any]) -> None:  # noqa: F811
    runner = world["env"].runner()
    runner.catch_up(["suggestions"])
    view = runner.view("suggestions")
    ctx = annual_read.SectionContext(view, rolled=runner.projections["suggestions"].rolled)
    # 医药健康 was assigned on 2023-03-06 and never replied: due three months later
    assert overdue_on(ctx, date(2023, 3, 7), 2023) == 0
    assert overdue_on(ctx, date(2024, 1, 1), 2023) == 1


def test_a_renamed_prefecture_is_named_anew_and_as_of_before(world: dict[str, Any]) -> None:  # noqa: F811
    from renda_core.application.areas import read_division_csv
    from tests.application.scenario import DIVISIONS_CSV
    from tests.conftest import STAFF

    env, app = world["env"], world["app"]
    before = build_annual(env.runner(), env.reports(), year=2023)
    renamed = DIVISIONS_CSV.replace("220100,长春市", "220100,长春市（新）")
    app.import_divisions({"rows": read_division_csv(renamed), "date": "2024-01-01"}, STAFF)
    after = build_annual(env.runner(), env.reports(), year=2023)
    assert before["stations"]["coverage_by_prefecture"]["220100"]["name"] == "长春市"
    assert after["stations"]["coverage_by_prefecture"]["220100"]["name"] == "长春市（新）"
    assert {
        k: v
        for k, v in after["stations"]["coverage_by_prefecture"]["220100"].items()
        if k != "name"
    } == {
        k: v
        for k, v in before["stations"]["coverage_by_prefecture"]["220100"].items()
        if k != "name"
    }
