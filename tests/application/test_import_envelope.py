"""The import's quick reading of a usual line gives what pydantic's one-pass
validation gives (and leaves every other line to it)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from renda_core.application.importer import Envelope, _envelope

_text = st.text(max_size=12)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
_actor = st.one_of(
    st.fixed_dictionaries(
        {
            "id": st.sampled_from(["clerk", "代表甲", "", " "]),
            "role": st.sampled_from(["staff", "deputy:甲", "boss", "unit:x\x1b"]),
        }
    ),
    st.dictionaries(st.sampled_from(["id", "role", "x"]), _json, max_size=3),
    _json,
)
_line = st.dictionaries(
    st.sampled_from(["id", "command", "actor", "data", "new_id", "extra"]),
    st.one_of(
        _text,
        st.text(min_size=190, max_size=210),
        _json,
        _actor,
        st.dictionaries(_text, _json, max_size=3),
    ),
    max_size=6,
).map(lambda d: d)


def _one_pass(raw: str) -> dict[str, Any] | None:
    try:
        return Envelope.model_validate_json(raw).model_dump()
    except ValidationError:
        return None


def _quick(raw: str, actors: dict[Any, Any]) -> dict[str, Any] | None:
    found = _envelope(raw, actors)
    return None if found is None else found.model_dump()


@settings(deadline=None)  # no time is asserted (a shared, loaded machine)
@given(
    st.lists(
        st.one_of(
            _line,
            st.fixed_dictionaries(
                {
                    "id": _text,
                    "command": _text,
                    "actor": _actor,
                    "data": st.dictionaries(_text, _json, max_size=3),
                }
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_quick_reading_agrees_with_pydantic(lines: list[dict[str, Any]]) -> None:
    actors: dict[Any, Any] = {}
    for line in lines:
        raw = json.dumps(line, ensure_ascii=False)
        assert _quick(raw, actors) == _one_pass(raw)


def test_a_usual_line_is_read_quickly_after_its_actor_was_validated() -> None:
    actors: dict[Any, Any] = {}
    line = {
        "id": "c1",
        "command": "deputy.contact",
        "actor": {"id": "代表甲", "role": "staff"},
        "data": {"deputy_id": "@d1", "form": "走访"},
    }
    first = _envelope(json.dumps(line, ensure_ascii=False), actors)
    assert first is not None and ("代表甲", "staff") in actors
    second = _envelope(json.dumps({**line, "id": "c2"}, ensure_ascii=False), actors)
    assert second is not None and second.actor is first.actor
    assert second.model_dump() == Envelope.model_validate({**line, "id": "c2"}).model_dump()
    bad_actor = {**line, "actor": {"id": "代表甲", "role": "boss"}}
    assert _envelope(json.dumps(bad_actor), actors) is None
    too_long = {**line, "id": "x" * 201}
    assert _envelope(json.dumps(too_long), actors) is None
