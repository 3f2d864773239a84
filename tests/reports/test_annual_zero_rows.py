"""The annual report leaves out the figures at 0 it reads by name (issue 15, target 2).

A counter that went up and down again keeps its row at 0: every reply deadline once
open and replied since (``open_reply_due@all``, by due date) is such a row, and their
number grows with the province (47 rows at demo scale 1, 113 at scale 5, all of them
0). The annual report only sums what it reads by name, so it reads them no more; its
data must stay the same, now and as of a past moment (when such a row was not 0 yet).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import astuple
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import renda_core
from renda_core import RendaAPI
from renda_core.cli import cli
from renda_core.projections.reader import PlainView
from renda_core.projections.views import Figure, View
from tests.conftest import STAFF

FIGURES = View.figures
OPEN_DUE = "open_reply_due@all"

CASES: tuple[dict[str, Any], ...] = (
    {},
    {"area": "2201"},
    {"area": "220102"},
    {"level": "county"},
    {"as_of": date(2023, 7, 1)},
    {"as_of": date(2023, 10, 1), "area": "2202"},
)


def with_zeros(
    self: View,
    names: Sequence[str] | None = None,
    position: int | None = None,
    *,
    nonzero: bool = False,
) -> list[Figure]:
    """The read before this change: figures at 0 too."""
    return FIGURES(self, names, position)


@pytest.fixture
def demo(store: str, tmp_path: Path) -> Iterator[RendaAPI]:
    built = CliRunner().invoke(cli, ["demo", "--store", store, "--quiet", "--scale", "0.02"])
    assert built.exit_code == 0, built.output
    with renda_core.open(store, actor=STAFF) as api:
        yield api


def test_the_annual_report_is_the_same_without_the_figures_at_0(
    demo: RendaAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [demo.report("annual", year=2023, **case) for case in CASES]
    suggestions = demo._shared.runner().view("suggestions")
    zeros = [f for f in FIGURES(suggestions, [OPEN_DUE]) if f.value == 0]
    assert zeros  # the case this is about: deadlines opened and replied since
    monkeypatch.setattr(View, "figures", with_zeros)
    before = [demo.report("annual", year=2023, **case) for case in CASES]
    for case, new, old in zip(CASES, now, before, strict=True):
        new.pop("generated_at", None)
        old.pop("generated_at", None)
        assert json.dumps(new, default=str) == json.dumps(old, default=str), case


def test_a_figure_at_0_now_is_read_as_it_stood_at_a_past_position(demo: RendaAPI) -> None:
    view = demo._shared.runner().view("suggestions")
    now = {f.key: f.value for f in FIGURES(view, [OPEN_DUE])}
    assert {f.key for f in view.figures([OPEN_DUE], nonzero=True)} == {
        key for key, value in now.items() if value
    }
    # a deadline at 0 now, and a position at which it was still open (a change of the
    # figure: a batch's last, or one of its ``earlier`` ones)
    with view._transaction(commit=False) as c:
        c.execute(
            view._sql(
                f"SELECT key, position, value, earlier FROM {view.prefix}figure_history "
                "WHERE figure=?"
            ),
            (OPEN_DUE,),
        )
        history = c.fetchall()
    opened: dict[str, int] = {}
    for row in history:
        changes = [int(row["position"]), int(row["value"])]
        changes += json.loads(row["earlier"]) if row["earlier"] else []
        for position, value in zip(changes[::2], changes[1::2], strict=True):
            if value and now.get(str(row["key"])) == 0:
                opened[str(row["key"])] = position
    assert opened  # such a deadline exists in the demo
    key, position = sorted(opened.items())[0]
    then = {f.key: f.value for f in view.figures([OPEN_DUE], position, nonzero=True)}
    assert then[key] != 0
    assert 0 not in then.values()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_plain_reader_leaves_out_the_same_figures(store: str, demo: RendaAPI) -> None:
    view = demo._shared.runner().view("suggestions")
    plain = PlainView(Path(store + ".views") / "suggestions.sqlite", "suggestions")
    try:
        for names in ([OPEN_DUE, "replied@all"], None):
            read = [tuple(f) for f in plain.figures(names, nonzero=True)]
            assert read == [astuple(f) for f in view.figures(names, nonzero=True)]
            assert read and all(f[-1] for f in read)  # the value: never 0
    finally:
        plain.close()
