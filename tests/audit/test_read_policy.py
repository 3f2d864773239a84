"""The read policy (docs/permissions.md, "Read policy"): every role kind × every record
read, through the library API (the same module the CLI and HTTP use), on SQLite and
PostgreSQL; a sample through the CLI; the auditor's reason recorded first; unit and
deputy narrowing; events list, exports and the redacted audit export."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import renda_core
from renda_core import Actor, RendaAPI
from renda_core.application.export import manifest_path
from renda_core.application.permissions import READS, ROLE_KINDS, role_kind
from renda_core.application.readpolicy import REDACTED, redact
from renda_core.domain.errors import Forbidden, InvalidInput
from renda_core.projections.log import count_events, list_events
from tests.audit.policy_world import (
    CITIZEN,
    CITIZEN_PHONE,
    NOTE,
    OTHER_CITIZEN,
    PHONE,
    UNIT,
    World,
    build_world,
)
from tests.audit.raw import renda
from tests.conftest import STAFF

SECRETS = (PHONE, NOTE, CITIZEN, CITIZEN_PHONE, OTHER_CITIZEN)


@pytest.fixture
def api(store: str) -> Iterator[RendaAPI]:
    with renda_core.open(store) as opened:
        yield opened


@pytest.fixture
def world(api: RendaAPI) -> World:
    return build_world(api._application)


def head(api: RendaAPI) -> int:
    return count_events(api._application)


def secrets_in(data: Any) -> set[str]:
    text = json.dumps(data, ensure_ascii=False, default=str)
    return {s for s in SECRETS if s in text}


# What each actor gets of each record: "full" (personal fields shown), "redacted", or
# "refused" (Forbidden, nothing recorded). The auditor here gives no reason.
EXPECTED: dict[str, dict[str, str]] = {
    #                 deputy A    opinion o1  opinion o2  suggestion  station s1  group
    "staff": dict(a="full", o1="full", o2="full", g="full", s1="full", group="full"),
    "auditor": dict(a="redacted", o1="redacted", o2="redacted", g="full", s1="full", group="full"),
    "editor": dict(a="redacted", o1="redacted", o2="redacted", g="full", s1="full", group="full"),
    "leader": dict(a="redacted", o1="redacted", o2="redacted", g="full", s1="full", group="full"),
    "deputy A": dict(a="full", o1="full", o2="redacted", g="full", s1="full", group="full"),
    "deputy B": dict(a="redacted", o1="redacted", o2="full", g="full", s1="full", group="full"),
    "unit referred": dict(
        a="refused", o1="full", o2="refused", g="refused", s1="refused", group="refused"
    ),
    "unit lead": dict(
        a="refused", o1="refused", o2="refused", g="full", s1="refused", group="refused"
    ),
    "unit co": dict(
        a="refused", o1="refused", o2="refused", g="full", s1="refused", group="refused"
    ),
    "unit other": dict(
        a="refused", o1="refused", o2="refused", g="refused", s1="refused", group="refused"
    ),
}


def getters(api: RendaAPI, world: World) -> dict[str, Callable[..., Any]]:
    return {
        "a": lambda **kw: api.get_deputy(world.a, **kw),
        "o1": lambda **kw: api.get_opinion(world.o1, **kw),
        "o2": lambda **kw: api.get_opinion(world.o2, **kw),
        "g": lambda **kw: api.get_suggestion(world.g, **kw),
        "s1": lambda **kw: api.get_station(world.s1, **kw),
        "group": lambda **kw: api.get_group(world.group, **kw),
    }


def test_every_role_kind_on_every_record_read(api: RendaAPI, world: World) -> None:
    """The matrix: refused with nothing recorded, or the record with its personal fields
    shown or replaced by the marker (ids kept)."""
    assert {role_kind(a.role) for a in world.actors().values()} == set(ROLE_KINDS)
    get = getters(api, world)
    for who, actor in world.actors().items():
        for record, expected in EXPECTED[who].items():
            before = head(api)
            if expected == "refused":
                with pytest.raises(Forbidden):
                    get[record](actor=actor)
                assert head(api) == before, (who, record)
                continue
            data = get[record](actor=actor).model_dump(mode="json")
            assert head(api) == before, (who, record)  # a plain read records nothing
            full = get[record]().model_dump(mode="json")  # the embedding system itself
            assert data["id"] == full["id"]
            if expected == "full":
                assert data == full, (who, record)
            else:
                assert data == redact(full) != full, (who, record)
                assert not secrets_in(data), (who, record)
                assert REDACTED in json.dumps(data, ensure_ascii=False)


def test_the_matrix_covers_every_record_read() -> None:
    shows = {name for name in READS if name.endswith(".show")}
    covered = {"deputy.show", "opinion.show", "suggestion.show", "station.show", "group.show"}
    # bulletin.show and training.show go through the same read_record (a sample below).
    others = {"bulletin.show", "training.show", "calendar.show", "contact.show"}
    # records of issue 14 with no personal fields; member.show (contact notes) is staff's
    others |= {
        "session.show",
        "meeting.show",
        "motion.show",
        "inspection.show",
        "member.show",
        "body.show",
        "plan.show",
        "campaign.show",
        "actor.show",  # the registry: staff and auditors
        "term.show",  # a term's members, their mandates' status and seats: no personal fields
    }
    assert covered | others == shows  # contact.show: its own test below


def test_an_auditors_reason_is_recorded_before_personal_data_is_shown(
    api: RendaAPI, world: World
) -> None:
    auditor = Actor("au", "auditor")
    before = head(api)
    shown = api.get_opinion(world.o1, actor=auditor, reason="2026年度审计抽查第3号").model_dump()
    assert shown["citizen_name"] == CITIZEN and shown["citizen_phone"] == CITIZEN_PHONE
    assert head(api) == before + 1
    last = list_events(api._application)[-1]
    assert last["topic"] == "renda:Disclosure.PersonalDataDisclosed"
    assert last["actor"] == {"id": "au", "role": "auditor"}
    assert last["data"]["read"] == "opinion.show"
    assert last["data"]["records"] == [world.o1]
    assert last["data"]["reason"] == "2026年度审计抽查第3号"
    # A blank reason is invalid input: nothing shown, nothing recorded.
    for bad in ("   ", "", "x" * 5001):
        with pytest.raises(InvalidInput):
            api.get_deputy(world.a, actor=auditor, reason=bad)
    assert head(api) == before + 1
    # Without a reason: redacted, nothing recorded.
    assert api.get_deputy(world.a, actor=auditor).model_dump()["phone"] == REDACTED
    assert head(api) == before + 1


def test_a_refused_read_records_nothing_even_with_a_reason(api: RendaAPI, world: World) -> None:
    before = head(api)
    with pytest.raises(Forbidden):
        api.get_deputy(world.a, actor=Actor("x", "unit:其他厅"), reason="想看看")
    with pytest.raises(Forbidden):
        api.history(world.a, actor=Actor("ed", "editor"), reason="想看看")
    assert head(api) == before


def test_unit_narrowing_in_lists(api: RendaAPI, world: World) -> None:
    everyone = [s.id for s in api.list_suggestions().items]
    assert world.g in everyone
    lead = api.list_suggestions(actor=Actor("l", "unit:省商务厅")).items
    co = api.list_suggestions(actor=Actor("c", "unit:省交通运输厅")).items
    other = api.list_suggestions(actor=Actor("x", "unit:其他厅")).items
    assert [s.id for s in lead] == [s.id for s in co] == [world.g]
    assert other == []
    with pytest.raises(Forbidden):
        api.list_deputies(actor=Actor("x", f"unit:{UNIT}"))
    deputy_view = api.list_deputies(actor=Actor("b", f"deputy:{world.b}")).items
    assert {d.id for d in deputy_view} == {world.a, world.b}


def test_history_is_a_read_of_the_log(api: RendaAPI, world: World) -> None:
    full = [e.data for e in api.history(world.a, actor=STAFF)]
    assert {PHONE, NOTE} <= secrets_in(full)
    auditor = Actor("au", "auditor")
    redacted = [e.data for e in api.history(world.a, actor=auditor)]
    assert not secrets_in(redacted)
    assert [d.get("name") for d in redacted] == [d.get("name") for d in full]  # not personal
    for kind in ("editor", "leader:省长", f"deputy:{world.a}", f"unit:{UNIT}"):
        with pytest.raises(Forbidden):
            api.history(world.a, actor=Actor("x", kind))


# -- through the CLI --------------------------------------------------------------------


def cli(store: str, role: str, *args: str) -> Any:
    return renda(store, "--actor", "tester", "--role", role, *args)


@pytest.fixture
def cli_world(store: str) -> World:
    with renda_core.open(store) as opened:
        return build_world(opened._application)


def test_the_cli_applies_the_same_policy(store: str, cli_world: World) -> None:
    w = cli_world
    refused = cli(store, "unit:其他厅", "opinion", "show", w.o1)
    assert refused.exit_code == 6, refused.output
    assert CITIZEN not in refused.output and CITIZEN_PHONE not in refused.output
    referred = cli(store, f"unit:{UNIT}", "opinion", "show", w.o1, "--json")
    assert referred.exit_code == 0 and json.loads(referred.output)["citizen_name"] == CITIZEN
    listed = cli(store, f"unit:{UNIT}", "opinion", "list", "--json")
    assert [r["id"] for r in json.loads(listed.output)] == [w.o1]
    editor = cli(store, "editor", "deputy", "show", w.a, "--json")
    assert json.loads(editor.output)["phone"] == REDACTED and PHONE not in editor.output
    own = cli(store, f"deputy:{w.a}", "deputy", "show", w.a, "--json")
    assert json.loads(own.output)["phone"] == PHONE
    assert cli(store, f"unit:{UNIT}", "deputy", "list").exit_code == 6
    assert cli(store, "editor", "audit", "history", w.a).exit_code == 6
    assert cli(store, "auditor", "audit", "history", w.a).exit_code == 0
    assert cli(store, f"unit:{UNIT}", "audit", "verify").exit_code == 0


def test_the_cli_records_the_auditors_reason(store: str, cli_world: World) -> None:
    plain = cli(store, "auditor", "opinion", "show", cli_world.o1, "--json")
    assert plain.exit_code == 0 and CITIZEN not in plain.output
    with renda_core.open(store) as opened:
        before = head(opened)
    shown = cli(store, "auditor", "opinion", "show", cli_world.o1, "--reason", "抽查", "--json")
    assert shown.exit_code == 0 and json.loads(shown.output)["citizen_name"] == CITIZEN
    blank = cli(store, "auditor", "opinion", "show", cli_world.o1, "--reason", " ", "--json")
    assert blank.exit_code == 3 and CITIZEN not in blank.output
    with renda_core.open(store) as opened:
        assert head(opened) == before + 1
        last = list_events(opened._application)[-1]
    assert last["data"]["reason"] == "抽查" and last["actor"]["id"] == "tester"


def test_events_list_and_export_redact_personal_fields(store: str, cli_world: World) -> None:
    staff = cli(store, "staff", "events", "list", "--json")
    assert staff.exit_code == 0 and set(SECRETS) <= secrets_in(json.loads(staff.output))
    auditor = cli(store, "auditor", "events", "list", "--json")
    rows = json.loads(auditor.output)
    assert auditor.exit_code == 0 and not secrets_in(rows)
    assert len(rows) == len(json.loads(staff.output))  # every event, ids and topics kept
    assert REDACTED in auditor.output
    for fmt in ("cloudevents", "jsonl"):
        exported = cli(store, "auditor", "events", "export", "--format", fmt)
        assert exported.exit_code == 0 and exported.output.strip()
        assert not secrets_in(exported.output), fmt
    assert cli(store, "editor", "events", "export").exit_code == 6
    reasoned = cli(store, "auditor", "events", "list", "--json", "--reason", "核对第7号投诉")
    assert set(SECRETS) <= secrets_in(json.loads(reasoned.output))
    assert json.loads(reasoned.output)[-1]["topic"] == "renda:Disclosure.PersonalDataDisclosed"


def test_a_redacted_audit_export_verifies_offline(
    store: str, cli_world: World, tmp_path: Path
) -> None:
    out = tmp_path / "redacted.jsonl"
    made = cli(store, "auditor", "audit", "export", "--output", str(out))
    assert made.exit_code == 0, made.output
    text = out.read_text(encoding="utf-8")
    assert not secrets_in(text) and REDACTED in text
    manifest = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    assert manifest["redacted"] is True and manifest["withheld_states"] > 0
    assert manifest["withheld_states"] < manifest["events"]  # rows without personal data kept
    missing = str(tmp_path / "no-store.sqlite")
    checked = renda(missing, "audit", "verify", "--export", str(out), "--json")
    assert checked.exit_code == 0, checked.output
    data = json.loads(checked.output)
    assert data["ok"] and any("redacted export" in n for n in data["notes"])
    # Removing a row is still caught (the chain runs through the withheld rows' digests).
    lines = text.splitlines(keepends=True)
    del lines[3]
    out.write_text("".join(lines), encoding="utf-8")
    caught = renda(missing, "audit", "verify", "--export", str(out))
    assert caught.exit_code == 11, caught.output
    # With a reason: unredacted, and the reason recorded first.
    full = tmp_path / "full.jsonl"
    made = cli(store, "auditor", "audit", "export", "--output", str(full), "--reason", "年度审计")
    assert made.exit_code == 0, made.output
    assert set(SECRETS) <= secrets_in(full.read_text(encoding="utf-8"))
    assert "redacted" not in json.loads(manifest_path(full).read_text(encoding="utf-8"))
    assert renda(missing, "audit", "verify", "--export", str(full)).exit_code == 0


@pytest.mark.parametrize("recipient", ["", "someone", "unit:没有地址的单位", "deputy:nobody"])
def test_an_auditors_reveal_of_a_bad_or_unknown_recipient_records_nothing(
    store: str, recipient: str
) -> None:
    """The reason is recorded before addresses are shown, and only when there are some:
    a recipient that is not one, or has no addresses, is an error that records nothing."""
    with renda_core.open(store) as opened:
        before = head(opened)
    refused = cli(store, "auditor", "contact", "show", recipient, "--reveal", "--reason", "核对")
    assert refused.exit_code in (3, 4), refused.output
    with renda_core.open(store) as opened:
        assert head(opened) == before


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("events", "list", "--aggregate", "not-an-id"), 3),
        (("events", "list", "--aggregate", ""), 3),
        (("audit", "export", "--aggregate", ""), 3),
        (("audit", "export", "--aggregate", "zz"), 3),
        (("audit", "export", "--aggregate", "11111111-1111-1111-1111-111111111111"), 4),
        (("audit", "export", "--from", "100000"), 3),
    ],
)
def test_an_auditors_refused_read_of_the_log_records_no_disclosure(
    store: str, cli_world: World, tmp_path: Path, args: tuple[str, ...], code: int
) -> None:
    """A read of the log refused for its input (a bad or unknown record id, a range past
    the log's end) is refused before the auditor's reason is recorded: the log is left
    as it was, and no export file is written."""
    out = tmp_path / "refused.jsonl"
    extra = ("--output", str(out)) if args[0] == "audit" else ()
    with renda_core.open(store) as opened:
        before = head(opened)
    refused = cli(store, "auditor", *args, *extra, "--reason", "核对")
    assert refused.exit_code == code, refused.output
    with renda_core.open(store) as opened:
        assert head(opened) == before
    assert not out.exists() and not manifest_path(out).exists()
    # the same read with good input still records the reason first
    if args[0] == "audit":
        made = cli(store, "auditor", "audit", "export", "--output", str(out), "--reason", "核对")
        assert made.exit_code == 0, made.output
    else:
        made = cli(
            store, "auditor", "events", "list", "--aggregate", cli_world.o1, "--reason", "核对"
        )
        assert made.exit_code == 0, made.output
    with renda_core.open(store) as opened:
        assert head(opened) == before + 1
        assert list_events(opened._application)[-1]["data"]["reason"] == "核对"


def test_revealing_a_recipients_addresses_follows_the_policy(store: str) -> None:
    recipient = "unit:省商务厅"
    made = cli(store, "staff", "contact", "set", recipient, "email", "zhangsan@swt.example.cn")
    assert made.exit_code == 0, made.output
    masked = cli(store, "editor", "contact", "show", recipient, "--json")
    assert masked.exit_code == 0 and "zhangsan@" not in masked.output
    for role in ("editor", "unit:其他厅", "auditor"):
        refused = cli(store, role, "contact", "show", recipient, "--reveal")
        assert refused.exit_code == 6 and "zhangsan@" not in refused.output, role
    for role in ("staff", recipient):
        shown = cli(store, role, "contact", "show", recipient, "--reveal", "--json")
        assert shown.exit_code == 0 and "zhangsan@swt.example.cn" in shown.output, role
    with renda_core.open(store) as opened:
        before = head(opened)
    audited = cli(
        store, "auditor", "contact", "show", recipient, "--reveal", "--reason", "核对送达地址"
    )
    assert audited.exit_code == 0 and "zhangsan@swt.example.cn" in audited.output
    with renda_core.open(store) as opened:
        assert head(opened) == before + 1
        last = list_events(opened._application)[-1]
    assert last["data"] == {
        "read": "contact.show",
        "records": [recipient],
        "reason": "核对送达地址",
        "on": last["data"]["on"],
    }
