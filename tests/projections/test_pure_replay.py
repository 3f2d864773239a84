"""A pure adapter (``pure = True``) keeps no undo copies: when an event fails, the
runner processes the batch's earlier events again into a fresh unit and writes them.
The view then holds exactly what the same adapter without ``pure`` would write: the
events before the failure, none of the failed one (even what it changed in place)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from renda_core import Renda
from renda_core.projections.runner import ProjectionRunner
from renda_core.projections.unit import ViewUnit

from .test_runner import populate


class Counting:
    name = "counting"
    topics: tuple[str, ...] = ()

    def __init__(self, pure: bool) -> None:
        self.name = "counting_pure" if pure else "counting_undo"
        self.pure = pure
        self.fail_at: int | None = None
        self.calls: Counter[int] = Counter()

    def process_event(self, event: Any, view: ViewUnit) -> None:
        self.calls[view.position] += 1
        total = view.get("total", "all") or {"n": 0, "positions": []}
        total["n"] += 1  # changed in place before the fault: must not be written
        total["positions"].append(view.position)
        view.add("events")
        if view.position == self.fail_at:
            raise RuntimeError("refused")
        view.put("total", "all", total)
        view.add("by_kind", key=type(event).__qualname__)


def state(runner: ProjectionRunner) -> tuple[Any, list[list[tuple[str, str, int]]]]:
    (name,) = runner.projections
    view = runner.view(name)
    history = [
        sorted((f.figure, f.key, f.value) for f in view.figures(position=p))
        for p in range(runner.head() + 1)
    ]
    return view.get_entity("total", "all"), history


@pytest.mark.parametrize("fail_at", [1, 4, 6])
def test_a_pure_adapter_writes_what_an_undoing_one_writes(app: Renda, fail_at: int) -> None:
    populate(app, 2)  # six events
    seen = {}
    for pure in (True, False):
        adapter = Counting(pure)
        adapter.fail_at = fail_at
        runner = ProjectionRunner(app, {adapter.name: adapter}, batch_size=4)
        (failed,) = runner.catch_up()  # an empty view, in batches of four
        assert failed.error is not None and "refused" in failed.error
        assert failed.position == fail_at - 1
        before_fault = state(runner)
        adapter.fail_at = None
        (done,) = runner.catch_up()
        assert done.error is None and done.position == 6
        seen[pure] = (before_fault, state(runner), adapter.calls)
        runner.close()
    assert seen[True][0] == seen[False][0]
    assert seen[True][1] == seen[False][1]
    total, history = seen[True][1]
    assert total == {"n": 6, "positions": [1, 2, 3, 4, 5, 6]}
    assert [dict((k, v) for f, k, v in row if f == "events").get("", 0) for row in history] == [
        0,
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    # The failed event came twice (failed, then after the fix) to both; the events of
    # its batch before it came twice to the pure adapter only (processed again).
    first_of_batch = (fail_at - 1) // 4 * 4 + 1
    again = set(range(first_of_batch, fail_at))
    assert seen[False][2] == {p: 2 if p == fail_at else 1 for p in range(1, 7)}
    assert seen[True][2] == {p: 2 if p == fail_at or p in again else 1 for p in range(1, 7)}
