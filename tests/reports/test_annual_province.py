"""Province-wide figures (``<figure>@all``): each is the sum of its figure over every
area, its key mapped as the adapter says; the annual report for the whole province
reads them (and each view's position once), and says the same as from every figure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renda_adapters.annual import build_annual
from renda_adapters.annual import read as annual_read
from renda_adapters.rollup import PROVINCE_SUFFIX, SUFFIX, RolledUnit, drop_key, rolled_up
from renda_core.projections.views import View
from tests.reports.test_annual import world  # noqa: F401  (the hand-computed scenario)
from tests.reports.test_annual_sections import world as sections_world  # noqa: F401

VIEWS = ("stations", "deputy_roster", "training", "groups", "suggestions", "meetings")


class _Counts:
    """A stand-in ViewUnit that only counts."""

    def __init__(self) -> None:
        self.rows: Counter[tuple[str, str, str, str, int]] = Counter()
        self.get = self.peek = self.put = self.delete = None

    def add(
        self,
        figure: str,
        delta: int = 1,
        *,
        key: str = "",
        area: str = "",
        level: str = "",
        year: int = 0,
    ) -> None:
        self.rows[(figure, key, area, level, year)] += delta


def _province_sums(
    rows: list[Any], province: frozenset[str], mapped: dict[str, Callable[[str], str]]
) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    detail: Counter[tuple[Any, ...]] = Counter()
    wide: Counter[tuple[Any, ...]] = Counter()
    for r in rows:
        if r.figure in province:
            key = mapped.get(r.figure, lambda k: k)(r.key)
            detail[(r.figure, key, r.level, r.year)] += r.value
        elif r.figure.endswith(PROVINCE_SUFFIX):
            assert r.area == ""
            wide[(r.figure[: -len(PROVINCE_SUFFIX)], r.key, r.level, r.year)] += r.value
    return +detail, +wide


SUGGESTION_KEYS: dict[str, Callable[[str], str]] = {
    "reply_class": lambda key: key.partition("\t")[0],
    **{
        f: drop_key
        for f in (
            "submitted",
            "accepted",
            "assigned",
            "replied",
            "replied_on_time",
            "evaluated_first",
            "satisfied_first",
            "evaluated_final",
            "satisfied_final",
            "rehandled",
        )
    },
}


def _check_every_view(env: Any) -> int:
    runner = env.runner()
    assert all(r.error is None for r in runner.catch_up(list(VIEWS)))
    checked = 0
    for name in VIEWS:
        province = runner.projections[name].province
        assert province, name
        assert province <= runner.projections[name].rolled, name
        mapped = SUGGESTION_KEYS if name == "suggestions" else {}
        detail, wide = _province_sums(runner.view(name).figures(), province, mapped)
        assert detail == wide, name
        checked += len(detail)
    return checked


def test_every_province_wide_figure_sums_its_figure(world: dict[str, Any]) -> None:  # noqa: F811
    assert _check_every_view(world["env"]) > 20  # the scenario reaches many figures


def test_province_wide_meetings_figures_sum_theirs(sections_world: dict[str, Any]) -> None:  # noqa: F811
    assert _check_every_view(sections_world["env"]) > 5
    rows = sections_world["env"].runner().view("meetings").figures(["attendance@all"])
    assert sum(r.value for r in rows) == 4  # two present, one on leave, one absent


@pytest.mark.parametrize(("area", "level"), [(None, None), ("2224", None), (None, "provincial")])
def test_sections_report_from_province_wide_rows_equals_every_figure(
    sections_world: dict[str, Any],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    area: str | None,
    level: str | None,
) -> None:
    env = sections_world["env"]
    wide = build_annual(env.runner(), env.reports(), year=2025, area=area, level=level)
    monkeypatch.setattr(annual_read, "covers", lambda area: False)
    detailed = build_annual(env.runner(), env.reports(), year=2025, area=area, level=level)
    assert wide == detailed
    assert wide["sessions"]["attendance"]["present"] == 2


def test_the_whole_province_reads_province_wide_rows(
    world: dict[str, Any],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = world["env"]
    runner = env.runner()
    build_annual(runner, env.reports(), year=2023)  # caught up, views open
    asked: list[tuple[str, list[str]]] = []
    figures = View.figures

    def spy(self: View, names: Any = None, position: Any = None, **options: Any) -> Any:
        asked.append((self.view_name, list(names or [])))
        return figures(self, names, position, **options)

    monkeypatch.setattr(View, "figures", spy)
    build_annual(runner, env.reports(), year=2023)
    by_view = dict(asked)
    assert len(asked) == len(by_view)  # one query per view
    assert "days_to_feedback@all" in by_view["stations"]
    assert "divisions@pref" in by_view["stations"]  # shown by prefecture
    assert "assigned@all" in by_view["suggestions"]
    assert "attendance@all" in by_view["meetings"]
    prefectures = {n for names in by_view.values() for n in names if n.endswith(SUFFIX)}
    assert prefectures == {"divisions@pref", "divisions_covered@pref"}

    asked.clear()
    build_annual(runner, env.reports(), year=2023, area="2201")
    by_view = dict(asked)
    assert "assigned@pref" in by_view["suggestions"]
    assert not [n for names in by_view.values() for n in names if n.endswith(PROVINCE_SUFFIX)]


def test_the_report_reads_each_views_position_once(
    world: dict[str, Any],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = world["env"]
    runner = env.runner()
    build_annual(runner, env.reports(), year=2023)
    read: Counter[str] = Counter()
    position = type(runner).position

    def spy(self: Any, name: str) -> int:
        read[name] += 1
        return position(self, name)

    monkeypatch.setattr(type(runner), "position", spy)
    build_annual(runner, env.reports(), year=2023)
    assert read and set(read.values()) == {1}, read


# -- the decorator on its own -------------------------------------------------------


def test_province_wide_figures_must_be_rolled_up_too() -> None:
    with pytest.raises(ValueError, match="visits"):
        rolled_up("calls", province=("calls", "visits"))


ADDS = st.lists(
    st.tuples(
        st.sampled_from(["calls", "visits", "notes"]),
        st.integers(-3, 3),
        st.sampled_from(["", "A\tunit1", "B\tunit2", "A\tunit3"]),
        st.sampled_from(["", "22", "2201", "220102", "220104", "222401"]),
        st.sampled_from(["", "provincial", "county"]),
        st.sampled_from([0, 2023, 2024]),
    ),
    max_size=40,
)


@given(ADDS)
def test_rolled_counters_are_the_sums_of_the_figure(adds: list[Any]) -> None:
    """Whatever is added: ``@pref`` sums by prefecture, ``@all`` over every area with
    the key mapped, and figures left out of either get no such row."""
    unit = _Counts()
    rolled = RolledUnit(
        unit,  # type: ignore[arg-type]
        frozenset({"calls", "visits"}),
        {"calls": None, "visits": lambda key: key.partition("\t")[0]},
    )
    for figure, delta, key, area, level, year in adds:
        rolled.add(figure, delta, key=key, area=area, level=level, year=year)
    raw = Counter({k: v for k, v in unit.rows.items() if "@" not in k[0]})
    pref: Counter[tuple[Any, ...]] = Counter()
    wide: Counter[tuple[Any, ...]] = Counter()
    for (figure, key, area, level, year), value in raw.items():
        if figure == "notes":
            continue
        pref[(figure + SUFFIX, key, area[:4], level, year)] += value
        mapped = key if figure == "calls" else key.partition("\t")[0]
        wide[(figure + PROVINCE_SUFFIX, mapped, "", level, year)] += value
    stored = {k: v for k, v in unit.rows.items() if v}
    assert {k: v for k, v in stored.items() if k[0].endswith(SUFFIX)} == {
        k: v for k, v in pref.items() if v
    }
    assert {k: v for k, v in stored.items() if k[0].endswith(PROVINCE_SUFFIX)} == {
        k: v for k, v in wide.items() if v
    }
    assert not [k for k in stored if k[0].startswith("notes@")]
