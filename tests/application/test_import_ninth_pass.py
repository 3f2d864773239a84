"""The ninth pass on the import (issue 15, target 3) gives what the plain code gave: the
lines already parsed frozen as the parse goes (only in a heap the import froze itself),
each command run with exactly its own line's id, references resolved as before and the
fingerprint of ``model_dump(mode="json")``."""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renda_core import Renda
from renda_core.application import importer
from renda_core.application.importer import (
    _resolve,
    _resolve_data,
    apply_commands,
    default_new_id,
    parse_lines,
)
from renda_core.domain.ids import assigned_ids, ids_in_turn, new_id
from renda_core.domain.values import Actor
from tests.application.test_import_shortcuts import _lines


@pytest.fixture
def no_frozen_heap() -> Iterator[None]:
    gc.unfreeze()  # whatever an earlier test left frozen
    yield
    gc.unfreeze()


def _watched(lines: list[str], counts: list[int]) -> Iterator[str]:
    """The lines, noting how many objects are frozen as each is handed to the parse."""
    for raw in lines:
        counts.append(gc.get_freeze_count())
        yield raw


@pytest.mark.usefixtures("no_frozen_heap")
def test_the_parse_freezes_the_lines_it_has_parsed_as_it_goes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(importer, "REFREEZE_LINES", 4)
    counts: list[int] = []
    parsed = parse_lines(_watched(_lines(10), counts))
    assert len(parsed) == 12
    # frozen at the start, then again after lines 4 and 8: two steps up
    steps = [b for a, b in itertools.pairwise(counts) if b > a]
    assert len(steps) == 2 and counts[0] > 0
    assert gc.get_freeze_count() == 0  # all of it unfrozen at the end


@pytest.mark.usefixtures("no_frozen_heap")
def test_the_parse_does_not_freeze_more_of_a_heap_its_caller_froze(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(importer, "REFREEZE_LINES", 4)
    gc.freeze()
    frozen = gc.get_freeze_count()
    counts: list[int] = []
    assert len(parse_lines(_watched(_lines(10), counts))) == 12
    # the caller's unfreeze would not undo freezes of the parse's own: none made (the
    # count falls only as frozen objects are freed)
    assert len(set(counts)) == 1 and max(counts) <= frozen
    assert gc.get_freeze_count() <= frozen


def test_each_command_in_turn_takes_its_own_ids_only() -> None:
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    outside = new_id()
    with ids_in_turn() as assign:
        assign(first, second)
        assert new_id() == first  # the command takes one of its two
        assign(third)
        assert new_id() == third  # not ``second``, left by the command before
        assert new_id() not in (first, second, third)  # used up: a random one
        with assigned_ids(first):  # a command assigning its own, inside
            assert new_id() == first
        assign(second)
        assert new_id() == second
        assign(first)
    assert new_id() not in (first, second, third, outside)  # nothing left behind


def test_ids_in_turn_ends_with_its_block_when_a_command_fails() -> None:
    kept = uuid.uuid4()
    with pytest.raises(ValueError), ids_in_turn() as assign:
        assign(kept)
        raise ValueError("a command failed")
    assert new_id() != kept


def test_an_import_gives_each_line_its_own_id(store: str) -> None:
    """Two registrations in one batch: each deputy has its line's id (uuid5 of its
    command id), a contact between them takes none."""
    lines = _lines(1)
    second = json.loads(lines[0])
    second["id"] = "d2"
    lines.insert(3, json.dumps(second, ensure_ascii=False))
    with Renda(store, require_registered_actors=False) as app:
        result = apply_commands(app, parse_lines(lines), batch_size=10)
        assert result.error is None and result.applied == 4
        for cid in ("d1", "d2"):
            assert app.get_deputy(default_new_id(cid)).id == default_new_id(cid)


_ids = st.dictionaries(st.sampled_from(["a", "b", "c1"]), st.uuids().map(str), max_size=3)
_value = st.recursive(
    st.none()
    | st.integers()
    | st.text(max_size=4)
    | st.sampled_from(["@a", "@b", "@c1", "@zz", "@", "a@b"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)


@given(st.dictionaries(st.text(max_size=5), _value, max_size=5), _ids)
def test_a_line_s_data_is_resolved_in_place_as_resolve_resolves_it(
    data: dict[str, Any], ids: dict[str, str]
) -> None:
    wanted_missing: list[str] = []
    wanted = _resolve(json.loads(json.dumps(data)), ids, wanted_missing)
    missing: list[str] = []
    _resolve_data(data, ids, missing)
    assert data == wanted and missing == wanted_missing


def test_the_fingerprint_is_that_of_model_dump() -> None:
    (parsed,) = parse_lines(_lines(0)[:1])
    content = {
        "actor": {"id": "clerk-1", "role": "staff"},
        "command": "deputy.register",
        "data": parsed.model.model_dump(mode="json"),
        "new_id": str(parsed.new_id),
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert parsed.fingerprint == "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    assert parsed.actor == Actor("clerk-1", "staff")
