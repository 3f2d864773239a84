"""The import's fast paths give what the plain ones gave: the same ids, references,
fingerprints and refusals; a batch reads an unchanged record from the store once."""

from __future__ import annotations

import hashlib
import json
import pickle
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renda_core import Renda, RuleViolated
from renda_core.application.importer import (
    IMPORT_NAMESPACE,
    check_actors,
    default_new_id,
    fingerprint,
    parse_lines,
)
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import ConcurrentModification, Forbidden
from renda_core.domain.values import Actor
from renda_core.projections.log import count_events
from tests.conftest import STAFF, register_payload

ACTOR = {"id": "clerk-1", "role": "staff"}


def line(cid: str, command: str, data: dict[str, Any]) -> str:
    return json.dumps(
        {"id": cid, "command": command, "actor": ACTOR, "data": data}, ensure_ascii=False
    )


@given(st.text(min_size=1, max_size=60))
def test_default_new_id_is_uuid5_of_the_command_id(command_id: str) -> None:
    made, wanted = default_new_id(command_id), uuid.uuid5(IMPORT_NAMESPACE, command_id)
    assert made == wanted
    # built without UUID.__init__: the same object in every respect used
    assert type(made) is uuid.UUID and made.is_safe is wanted.is_safe
    assert (str(made), made.hex, hash(made), made.version) == (
        str(wanted),
        wanted.hex,
        hash(wanted),
        5,
    )
    assert pickle.loads(pickle.dumps(made)) == wanted


def test_a_reference_written_with_an_escaped_at_sign_resolves() -> None:
    register = line("d1", "deputy.register", register_payload())
    plain = line("l1", "deputy.liaise", {"deputy_id": "@d1", "member": "甲", "date": "2023-02-01"})
    escaped = plain.replace('"@d1"', '"\\u0040d1"')
    assert "@" not in escaped
    first, by_plain = parse_lines([register, plain])
    _, by_escape = parse_lines([register, escaped])
    assert by_plain.model.deputy_id == by_escape.model.deputy_id == first.new_id  # type: ignore[attr-defined]
    assert by_plain.fingerprint == by_escape.fingerprint  # the same line, spelled apart


def test_the_fingerprint_is_the_sha256_of_the_canonical_json() -> None:
    (parsed,) = parse_lines([line("d1", "deputy.register", register_payload(level="省"))])
    content = {
        "command": "deputy.register",
        "actor": ACTOR,
        "data": parsed.model.model_dump(mode="json"),
        "new_id": str(default_new_id("d1")),
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    expected = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert parsed.fingerprint == expected
    again = fingerprint("deputy.register", Actor("clerk-1", "staff"), parsed.model, parsed.new_id)
    assert again == expected
    assert "provincial" in text  # the label is fingerprinted as its value


class CountingRegistry:
    """An app whose registry refuses one actor, counting the look-ups."""

    def __init__(self) -> None:
        self.calls = 0

    def registry_refusal(self, command: str, actor: Actor) -> str | None:
        self.calls += 1
        return "not registered" if actor.id == "stranger" else None


def test_actors_are_looked_up_once_per_command_actor_and_role() -> None:
    lines = [line("d1", "deputy.register", register_payload())]
    lines += [
        line(f"c{i}", "deputy.contact", {"deputy_id": "@d1", "form": "visit", "date": "2023-03-01"})
        for i in range(20)
    ]
    commands = parse_lines(lines)
    app = CountingRegistry()
    check_actors(app, commands)  # type: ignore[arg-type]
    assert app.calls == 2  # deputy.register and deputy.contact, by the same actor
    stranger = [
        c if c.line % 2 else type(c)(**{**vars(c), "actor": Actor("stranger", "staff")})
        for c in commands
    ]
    app = CountingRegistry()
    with pytest.raises(Forbidden) as refused:
        check_actors(app, stranger)  # type: ignore[arg-type]
    assert app.calls == 3  # register by the clerk; contacts by the clerk, by the stranger
    assert "10 line(s) from actors the registry refuses" in str(refused.value)


def test_a_batch_reads_an_unchanged_record_from_the_store_once(
    app: Renda, monkeypatch: pytest.MonkeyPatch
) -> None:
    deputy_id = app.register_deputy(register_payload(), STAFF)
    loads: list[uuid.UUID] = []
    get = app.repository.get

    def counting(aggregate_id: uuid.UUID, *args: Any, **kwargs: Any) -> Any:
        loads.append(aggregate_id)
        return get(aggregate_id, *args, **kwargs)

    monkeypatch.setattr(app.repository, "get", counting)
    with app.batch(["b1", "b2", "b3"]):
        for _ in range(3):
            assert app.deputy(deputy_id)["name"] == "金美玉"
        app.liaise_deputy({"deputy_id": deputy_id, "member": "甲", "date": "2023-02-01"}, STAFF)
        app.record_contact({"deputy_id": deputy_id, "form": "visit", "date": "2023-03-01"}, STAFF)
    assert loads.count(deputy_id) == 1
    assert app.deputy(deputy_id)["contacts"][0]["member"] == "甲"
    assert app.applied_commands(["b1", "b2", "b3"]) == {"b1", "b2", "b3"}


def test_a_change_left_by_a_failed_command_is_not_read_again_in_its_batch(app: Renda) -> None:
    deputy_id = app.register_deputy(register_payload(), STAFF)
    with app.batch(["after"]):
        first = app._get(deputy_id)
        assert isinstance(first, Deputy)
        first.liaise(member="甲", on=first.registered_on, actor=STAFF)  # changed, not saved
        with pytest.raises(RuleViolated):
            first.liaise(member="甲", on=first.registered_on, actor=STAFF)
        again = app._get(deputy_id)  # the half-made change is not in what is read
        assert again is not first
        assert isinstance(again, Deputy) and not again.open_liaisons
        app.liaise_deputy({"deputy_id": deputy_id, "member": "乙", "date": "2023-02-01"}, STAFF)
    assert list(app.get_deputy(deputy_id).open_liaisons) == ["乙"]  # 甲 never written


def test_a_command_id_recorded_twice_fails_the_second_batch_whole(app: Renda) -> None:
    """Two imports racing with one command id: the later write fails as a whole (on
    PostgreSQL the ids are streamed with COPY, which must refuse it as INSERT did)."""
    with app.batch(["same", "other"], {"same": "sha256:a", "other": "sha256:b"}):
        app.register_deputy(register_payload(), STAFF)
    events = count_events(app)
    with pytest.raises(ConcurrentModification), app.batch(["new", "same"], {"same": "sha256:a"}):
        app.register_deputy(register_payload(name="朴东哲"), STAFF)
    assert count_events(app) == events
    assert app.applied_fingerprints(["same", "other", "new"]) == {
        "same": "sha256:a",
        "other": "sha256:b",
    }
