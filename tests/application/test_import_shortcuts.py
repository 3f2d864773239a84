"""The seventh pass on the import (issue 15, target 3) gives what the plain code gave:
a line read as ``json.loads`` reads it, the import id's text as ``str`` writes it, the
chain's links as the reference functions hash them, the date bounds the clock would
give, the actor checked wherever it can be refused, the garbage collector left as it
was found."""

from __future__ import annotations

import gc
import json
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renda_core import Renda
from renda_core.application.audit.chain import GENESIS, StoredRow, link_rows, new_links
from renda_core.application.importer import (
    IMPORT_NAMESPACE,
    _json_object,
    apply_commands,
    default_new_id_and_text,
    parse_lines,
)
from renda_core.application.inputs import DatePolicy, dates_as_of
from renda_core.domain.values import Actor
from tests.conftest import register_payload

_text = st.text(max_size=8)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
_space = st.text(alphabet=" \t\n\r\x0b\u3000", max_size=3)


@given(_space, _json, _space, st.sampled_from(["", "x", "{}", "]", "\ufeff"]), st.booleans())
def test_a_line_is_read_as_json_loads_reads_it(
    before: str, value: Any, after: str, tail: str, bom: bool
) -> None:
    raw = ("\ufeff" if bom else "") + before + json.dumps(value, ensure_ascii=False) + after + tail
    try:
        wanted = json.loads(raw)
    except ValueError:
        assert _json_object(raw) is None
    else:
        assert _json_object(raw) == wanted


def test_a_line_that_is_not_text_is_left_to_the_plain_path() -> None:
    assert _json_object(b'{"id": "x"}') is None  # type: ignore[arg-type]


@given(st.text(max_size=60))
def test_the_import_id_s_text_is_str_of_it(command_id: str) -> None:
    made, text = default_new_id_and_text(command_id)
    wanted = uuid.uuid5(IMPORT_NAMESPACE, command_id)
    assert made == wanted and text == str(wanted) == str(made)


# a few fixed ones, so a write holds several events of one record
_originator = (
    st.sampled_from([uuid.UUID(int=7), "甲-1"]) | st.uuids() | st.text(min_size=1, max_size=10)
)
_event = st.tuples(
    _originator,
    st.integers(min_value=1, max_value=10**6),
    st.sampled_from(["renda:Deputy.Registered", "renda:Deputy.ContactRecorded", "其他:Topic"]),
    st.binary(max_size=60),
)


@given(st.lists(_event, max_size=8), st.integers(min_value=0, max_value=10**9), st.booleans())
def test_the_chain_s_links_are_the_reference_functions_links(
    events: list[tuple[Any, int, str, bytes]], start: int, genesis: bool
) -> None:
    prev = (start, GENESIS if genesis else "ab" * 32)
    rows = [StoredRow(start + 1 + i, *event) for i, event in enumerate(events)]
    fast = list(new_links([(r.position, *events[i]) for i, r in enumerate(rows)], prev))
    reference = [(k.position, k.prev_position, k.digest, k.hash) for k in link_rows(rows, prev)]
    assert fast == reference


@pytest.mark.parametrize("today", [date(2026, 11, 30), date(2024, 2, 29)])
def test_a_fixed_today_gives_the_bounds_the_clock_would(today: date) -> None:
    fixed = DatePolicy(today=today, margin_days=10, planned_years=3)
    assert fixed.latest_business == today + timedelta(days=10)
    assert fixed.latest_planned == today + timedelta(days=366 * 3)
    assert fixed == DatePolicy(today=today, margin_days=10, planned_years=3)
    with dates_as_of(today, margin_days=5) as policy:
        assert policy.latest_business == today + timedelta(days=5)
    clock = DatePolicy()  # today from the clock: computed on every ask
    assert clock.latest_business == clock.current() + timedelta(days=31)


def _lines(count: int) -> list[str]:
    actor = {"id": "clerk-1", "role": "staff"}

    def line(cid: str, command: str, data: dict[str, Any]) -> str:
        envelope = {"id": cid, "command": command, "actor": actor, "data": data}
        return json.dumps(envelope, ensure_ascii=False)

    contact = {"deputy_id": "@d1", "form": "visit", "date": "2023-03-01"}
    return [
        line("d1", "deputy.register", register_payload()),
        line("l1", "deputy.liaise", {"deputy_id": "@d1", "member": "甲", "date": "2023-02-01"}),
        *(line(f"c{i}", "deputy.contact", contact) for i in range(count)),
    ]


def test_the_actor_check_runs_wherever_it_can_refuse(store: str) -> None:
    """With the registry off a staff role cannot be refused by the actor check: after
    its first line of a command it is not asked again. A deputy's role, or any role
    with the registry on, is asked on every line."""
    with Renda(store, require_registered_actors=False) as app:
        assert not app.may_refuse(Actor("clerk-1", "staff"))
        assert app.may_refuse(Actor("x", f"deputy:{uuid.uuid4()}"))
        asked: list[str] = []
        verify = app.verify_actor

        def counted(name: str, actor: Actor) -> None:
            asked.append(name)
            verify(name, actor)

        app.verify_actor = counted  # type: ignore[method-assign]
        result = apply_commands(app, parse_lines(_lines(5)), batch_size=4)
        assert result.error is None and result.applied == 7
        assert asked == ["deputy.register", "deputy.liaise", "deputy.contact"]
    with Renda(store, require_registered_actors=True) as app:
        assert app.may_refuse(Actor("clerk-1", "staff"))


@pytest.fixture
def no_frozen_heap() -> Iterator[None]:
    gc.unfreeze()  # whatever an earlier test left frozen
    yield
    gc.unfreeze()


@pytest.mark.usefixtures("no_frozen_heap")
def test_the_import_unfreezes_the_heap_it_froze(store: str) -> None:
    with Renda(store, require_registered_actors=False) as app:
        commands = parse_lines(_lines(3))
        assert gc.get_freeze_count() == 0
        result = apply_commands(app, commands)
        assert result.error is None and gc.get_freeze_count() == 0


@pytest.mark.usefixtures("no_frozen_heap")
def test_the_import_leaves_a_heap_frozen_by_its_caller_frozen(store: str) -> None:
    kept = ["an object the caller froze"]
    gc.freeze()
    with Renda(store, require_registered_actors=False) as app:
        result = apply_commands(app, parse_lines(_lines(3)))
        assert result.error is None
    assert gc.get_freeze_count() > 0  # the generations do not list frozen objects:
    assert not any(o is kept for o in gc.get_objects())  # still frozen
