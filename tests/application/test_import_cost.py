"""The import's cheaper per-command path (issue 15, target 3) gives what the plain one
gave: the same refusals, the same methods run, the same bytes stored, today read once."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from eventsourcing.persistence import JSONTranscoder, TranscodingNotRegisteredError
from hypothesis import given
from hypothesis import strategies as st

from renda_core import Renda
from renda_core.application import inputs
from renda_core.application.importer import apply_commands, fingerprint_of, parse_lines
from renda_core.application.transcoding import RendaTranscoder
from renda_core.domain.errors import Forbidden
from renda_core.domain.values import Actor
from renda_core.projections.log import count_events
from tests.conftest import register_payload


def line(cid: str, command: str, data: dict[str, Any], role: str = "staff") -> str:
    actor = {"id": "clerk-1", "role": role}
    return json.dumps(
        {"id": cid, "command": command, "actor": actor, "data": data}, ensure_ascii=False
    )


def contact(cid: str, role: str = "staff") -> str:
    data = {"deputy_id": "@d1", "form": "visit", "date": "2023-03-01"}
    return line(cid, "deputy.contact", data, role)


def test_a_role_refused_after_an_allowed_one_is_refused_as_a_command_refuses_it(
    store: str,
) -> None:
    lines = [
        line("d1", "deputy.register", register_payload()),
        line("l1", "deputy.liaise", {"deputy_id": "@d1", "member": "甲", "date": "2023-02-01"}),
        contact("c1"),
        contact("c2"),
        contact("c3", role="unit:交通运输厅"),
    ]
    with Renda(store, require_registered_actors=False) as app:
        result = apply_commands(app, parse_lines(lines), batch_size=10)
        assert result.error is not None and result.error["line"] == 5
        assert result.error["kind"] == "forbidden"
        assert isinstance(result.exception, Forbidden)
        with pytest.raises(Forbidden) as direct:
            app.record_contact(
                {"deputy_id": str(uuid.uuid4()), "form": "visit", "date": "2023-03-01"},
                Actor("clerk-1", "unit:交通运输厅"),
            )
        assert result.error["message"] == direct.value.message
        assert count_events(app) == 0  # the batch was not written
        assert app.applied_commands(["d1", "c1"]) == set()


def test_every_line_runs_the_method_the_app_has(store: str) -> None:
    """A method replaced on the app object (an embedding system's wrapper) is the one
    each line runs, the later lines of a command included."""
    lines = [
        line("d1", "deputy.register", register_payload()),
        line("l1", "deputy.liaise", {"deputy_id": "@d1", "member": "甲", "date": "2023-02-01"}),
        *(contact(f"c{i}") for i in range(4)),
    ]
    with Renda(store, require_registered_actors=False) as app:
        seen: list[str] = []
        original = app.record_contact

        def wrapped(data: Any, actor: Actor) -> Any:
            seen.append(actor.id)
            return original(data, actor)

        app.record_contact = wrapped  # type: ignore[method-assign]
        result = apply_commands(app, parse_lines(lines), batch_size=3)
        assert result.error is None and result.applied == 6
        assert seen == ["clerk-1"] * 4
        deputy_id = parse_lines(lines[:1])[0].new_id
        assert len(app.deputy(deputy_id)["contacts"]) == 4


def test_a_parse_reads_the_clock_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            calls.append(1)
            return dt.datetime(2026, 11, 30, 12, 0, tzinfo=tz)

    monkeypatch.setattr(inputs, "datetime", Clock)
    lines = [line("d1", "deputy.register", register_payload())]
    lines += [contact(f"c{i}") for i in range(20)]
    assert len(parse_lines(lines)) == 21
    assert len(calls) == 1
    too_late = contact("late").replace("2023-03-01", "2027-01-15")  # after today + 31 days
    with pytest.raises(Exception, match="in the future"):
        parse_lines([lines[0], too_late])


@pytest.fixture(scope="module")
def transcoders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, JSONTranscoder]]:
    """The store's transcoder and the library's, with the same transcodings (one app
    for every example: a hypothesis test takes no function-scoped fixture)."""
    store = tmp_path_factory.mktemp("transcoder") / "s.sqlite"
    with Renda(str(store), require_registered_actors=False) as app:
        library = JSONTranscoder()
        app.register_transcodings(library)
        yield app.mapper.transcoder, library


_actors = st.builds(
    Actor,
    st.sampled_from(["clerk-1", "代表甲", 'q"uote']),
    st.sampled_from(["staff", "deputy:甲", "unit:交通运输厅"]),
    st.sampled_from([None, "root", "办公室"]),
)
_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.dates()
    | st.sampled_from([dt.date(2023, 3, 1), dt.date(2024, 2, 29)])  # repeated: cached
    | st.uuids()
    | st.datetimes(timezones=st.just(dt.UTC))
    | _actors,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=10,
)


@given(st.lists(st.dictionaries(st.text(max_size=6), _values, max_size=6), max_size=5))
def test_the_store_s_transcoder_writes_the_library_s_bytes(
    transcoders: tuple[Any, JSONTranscoder], states: list[dict[str, Any]]
) -> None:
    ours, library = transcoders
    assert type(ours) is RendaTranscoder
    for state in states:  # one transcoder over many states: its caches in play
        assert ours.encode(state) == library.encode(state)
        assert ours.decode(ours.encode(state)) == library.decode(library.encode(state))


def test_actors_differing_in_os_user_alone_are_written_apart(tmp_path: Any) -> None:
    with Renda(str(tmp_path / "s.sqlite"), require_registered_actors=False) as app:
        ours = app.mapper.transcoder
        plain, run_by = Actor("clerk-1", "staff"), Actor("clerk-1", "staff", "root")
        assert plain == run_by  # equal as actors
        assert b"os_user" not in ours.encode({"actor": plain})
        assert b'"os_user":"root"' in ours.encode({"actor": run_by})
        assert b"os_user" not in ours.encode({"actor": plain})
        with pytest.raises(TranscodingNotRegisteredError):
            ours.encode({"bad": object()})
        cycle: list[Any] = []
        cycle.append(cycle)
        with pytest.raises(ValueError, match="Circular reference"):  # as the library's
            ours.encode({"cycle": cycle})


_json_data = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)
_names = st.text(max_size=8) | st.sampled_from(
    ['q"uote', "back\\slash", "代表甲", "\x1b", "deputy.contact"]
)


@given(
    st.lists(
        st.tuples(_names, _names, _names, st.dictionaries(st.text(max_size=5), _json_data)),
        max_size=6,
    ),
    st.uuids(),
)
def test_the_fingerprint_is_the_digest_of_the_whole_canonical_text(
    lines: list[tuple[str, str, str, dict[str, Any]]], new_id: uuid.UUID
) -> None:
    """Hashing the head of the text once per command and actor (then copying the hash
    state) gives the digest of the whole text, as every earlier import recorded it."""
    for command, actor_id, role, data in lines:  # heads repeat: the kept ones in play
        content = {
            "command": command,
            "actor": {"id": actor_id, "role": role},
            "data": data,
            "new_id": str(new_id),
        }
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        expected = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert fingerprint_of(command, Actor(actor_id, role), data, new_id) == expected
