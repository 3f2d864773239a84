"""Random interleaved command sequences over deputies, stations, suggestions and the
bulletin, as import envelopes, for the batch-order properties.

:func:`command_sequences` draws a sequence that is valid whatever the batching: a small
model of the world decides which commands are possible at each step (a deputy enters a
station only while in office and not yet on its roster, a suggestion moves through its
lifecycle, a bulletin item is forwarded only once the issue is published, …). Later
lines refer to records by ``"@<command id>"``, bulletin issues included; the suggestion
a forwarded text item creates is replied to and evaluated by the forward's id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from renda_core import Renda
from renda_core.application.importer import apply_commands, parse_lines
from renda_core.domain.ids import assigned_ids
from tests.application.scenario import DIVISIONS_CSV

STAFF = {"id": "clerk-1", "role": "staff"}
EDITOR = {"id": "《人大代表之声》编辑部", "role": "editor"}
LEADER = {"id": "省长", "role": "leader:省长"}
UNIT_NAME = "省交通运输厅"
UNIT = {"id": "办理人", "role": f"unit:{UNIT_NAME}"}
DIVISIONS = ("220102001", "220102002", "220102101", "220103101")
START = date(2023, 2, 1)
LEVELS = ("provincial", "municipal", "county", "township")


def _division_rows() -> list[dict[str, str]]:
    lines = DIVISIONS_CSV.strip().splitlines()
    header = lines[0].split(",")
    return [dict(zip(header, row.split(","), strict=True)) for row in lines[1:]]


@dataclass
class World:
    """What the drawn commands have made so far (by command id)."""

    deputies: dict[str, bool] = field(default_factory=dict)  # id -> in office
    stations: dict[str, set[str]] = field(default_factory=dict)  # id -> roster
    suggestions: dict[str, str] = field(default_factory=dict)  # id -> status
    in_bulletin: set[str] = field(default_factory=set)  # suggestions held by an item
    no_lead: set[str] = field(default_factory=set)  # created by a forward: none to evaluate
    bulletins: dict[str, dict[str, Any]] = field(default_factory=dict)
    lines: list[dict[str, Any]] = field(default_factory=list)

    def add(self, command: str, actor: dict[str, str], data: dict[str, Any]) -> str:
        cid = f"c{len(self.lines):03d}"
        day = START + timedelta(days=len(self.lines))
        self.lines.append(
            {
                "id": cid,
                "command": command,
                "actor": actor,
                "data": {**data, "date": day.isoformat()},
            }
        )
        return cid

    def active(self) -> list[str]:
        return [d for d, on in self.deputies.items() if on]


def _options(w: World) -> list[str]:
    """The kinds of step possible now."""
    active = w.active()
    s = w.suggestions
    options = []
    if len(w.deputies) < 6:
        options.append("register")
    if len(w.stations) < 3:
        options.append("establish")
    if any(d not in roster for roster in w.stations.values() for d in active):
        options.append("enter")
    if any(set(active) & roster for roster in w.stations.values()):
        options.append("activity")
    if len(active) > 1:
        options.append("terminate")
    if active:
        options.append("draft")
    for status, step in (
        ("draft", "submit"),
        ("submitted", "accept"),
        ("accepted", "assign"),
        ("assigned", "reply"),
        ("replied", "evaluate"),
    ):
        held = w.in_bulletin if step in ("accept", "assign") else set()
        if step == "evaluate":
            held = w.no_lead
        if any(st_ == status for i, st_ in s.items() if i not in held):
            options.append(step)
    if len(w.bulletins) < 2:
        options.append("open")
    if any(not b["published"] for b in w.bulletins.values()):
        options.append("include")
        if any(b["items"] and not b["published"] for b in w.bulletins.values()):
            options.append("publish")
    if any(b["published"] and len(b["forwarded"]) < len(b["items"]) for b in w.bulletins.values()):
        options.append("forward")
    return options


def _step(w: World, kind: str, draw: st.DrawFn) -> None:
    pick = lambda xs: draw(st.sampled_from(sorted(xs)))  # noqa: E731
    s = w.suggestions
    if kind == "register":
        n = len(w.deputies)
        cid = w.add(
            "deputy.register",
            STAFF,
            {
                "name": f"代表{n}",
                "level": pick(LEVELS),
                "term": 14,
                "electoral_unit": "长春市人民代表大会",
                "area": "220102",
            },
        )
        w.deputies[cid] = True
    elif kind == "establish":
        n = len(w.stations)
        cid = w.add(
            "station.establish",
            STAFF,
            {"name": f"代表联络站{n}", "kind": "liaison", "division": pick(DIVISIONS)},
        )
        w.stations[cid] = set()
    elif kind == "enter":
        pairs = [(st_, d) for st_, r in w.stations.items() for d in w.active() if d not in r]
        station, deputy = pick(pairs)
        w.add("station.enter", STAFF, {"station_id": f"@{station}", "deputy_id": f"@{deputy}"})
        w.stations[station].add(deputy)
    elif kind == "activity":
        station = pick(i for i, r in w.stations.items() if set(w.active()) & r)
        present = sorted(set(w.active()) & w.stations[station])
        w.add(
            "station.activity",
            STAFF,
            {
                "station_id": f"@{station}",
                "kind": pick(("face_to_face", "reception_day", "cloud_reception")),
                "deputies": [f"@{d}" for d in present],
                "people_received": draw(st.integers(0, 30)),
            },
        )
    elif kind == "terminate":
        deputy = pick(w.active())
        w.add("deputy.terminate", STAFF, {"deputy_id": f"@{deputy}", "reason": "transfer"})
        w.deputies[deputy] = False
    elif kind == "draft":
        deputy = pick(w.active())
        cid = w.add(
            "suggestion.draft",
            STAFF,
            {
                "title": f"关于农村公路养护的建议{len(s)}",
                "body": "建议加大投入",
                "channel": "recess",
                "source": "forum",
                "lead_deputy": f"@{deputy}",
            },
        )
        s[cid] = "draft"
    elif kind in ("submit", "accept", "assign", "reply", "evaluate"):
        before = {
            "submit": "draft",
            "accept": "submitted",
            "assign": "accepted",
            "reply": "assigned",
            "evaluate": "replied",
        }[kind]
        held = w.in_bulletin if kind in ("accept", "assign") else set()
        if kind == "evaluate":
            held = w.no_lead
        sid = pick(i for i, status in s.items() if status == before and i not in held)
        data: dict[str, Any] = {"suggestion_id": f"@{sid}"}
        actor = STAFF
        if kind == "assign":
            data["lead_unit"] = UNIT_NAME
        elif kind == "reply":
            data.update(result_class=pick("ABCD"), text="已列入计划")
            actor = UNIT
        elif kind == "evaluate":
            rating = pick(("满意", "基本满意", "不满意"))
            data.update(attitude="满意", result=rating)
            data["reason"] = "未解决" if rating == "不满意" else None
        w.add(f"suggestion.{kind}", actor, data)
        s[sid] = {
            "submit": "submitted",
            "accept": "accepted",
            "assign": "assigned",
            "reply": "replied",
            "evaluate": "evaluated",
        }[kind]
    elif kind == "open":
        number = len(w.bulletins) + 1
        cid = w.add(
            "bulletin.open", EDITOR, {"year": 2023, "number": number, "title": f"专刊{number}"}
        )
        w.bulletins[cid] = {"items": [], "published": False, "forwarded": set()}
    elif kind == "include":
        bid = pick(i for i, b in w.bulletins.items() if not b["published"])
        candidates = [
            i for i, status in s.items() if status == "submitted" and i not in w.in_bulletin
        ]
        if candidates and draw(st.booleans()):
            sid = pick(candidates)
            w.add(
                "bulletin.include",
                EDITOR,
                {"bulletin": f"@{bid}", "ref": f"@{sid}", "summary": "摘要"},
            )
            w.in_bulletin.add(sid)
            w.bulletins[bid]["items"].append(sid)
        else:
            n = len(w.bulletins[bid]["items"])
            w.add(
                "bulletin.include",
                EDITOR,
                {
                    "bulletin": f"@{bid}",
                    "kind": "text",
                    "title": f"群众反映{n}",
                    "summary": "社情民意摘要",
                },
            )
            w.bulletins[bid]["items"].append(None)
    elif kind == "publish":
        bid = pick(i for i, b in w.bulletins.items() if b["items"] and not b["published"])
        w.add("bulletin.publish", EDITOR, {"bulletin": f"@{bid}", "recipients": ["省委", "省政府"]})
        w.bulletins[bid]["published"] = True
    elif kind == "forward":
        bid = pick(
            i
            for i, b in w.bulletins.items()
            if b["published"] and len(b["forwarded"]) < len(b["items"])
        )
        b = w.bulletins[bid]
        item = pick(n for n in range(1, len(b["items"]) + 1) if n not in b["forwarded"])
        cid = w.add(
            "bulletin.forward",
            LEADER,
            {"bulletin": f"@{bid}", "item": item, "lead_unit": UNIT_NAME},
        )
        b["forwarded"].add(item)
        sid = b["items"][item - 1]
        if sid is None:
            s[cid] = "assigned"  # the suggestion the forward created, named by its id
            w.no_lead.add(cid)
        else:
            s[sid] = "assigned"
            w.in_bulletin.discard(sid)


@st.composite
def command_sequences(draw: st.DrawFn, min_steps: int = 8, max_steps: int = 40) -> list[str]:
    """A valid file: the divisions, then a random interleaving of commands."""
    w = World()
    w.add("area.import", STAFF, {"rows": _division_rows()})
    steps = draw(st.integers(min_steps, max_steps))
    for _ in range(steps):
        _step(w, draw(st.sampled_from(_options(w))), draw)
    return [json.dumps(line, ensure_ascii=False) for line in w.lines]


def apply_directly(app: Renda, lines: list[str]) -> None:
    """Each command on its own, without any batch: the order the file states."""
    from renda_core.application.commands import COMMANDS

    for c in parse_lines(lines):
        with assigned_ids(c.new_id):
            getattr(app, COMMANDS[c.command].method)(c.model, c.actor)


def apply_in_batches(app: Renda, lines: list[str], batch_size: int) -> None:
    result = apply_commands(app, parse_lines(lines), batch_size=batch_size)
    if result.exception is not None:
        raise result.exception
    assert result.applied == len(lines)


def log_of(app: Renda) -> list[tuple[str, int, str]]:
    """The log as (originator id, version, topic), in notification order."""
    out: list[tuple[str, int, str]] = []
    start = 0
    while True:
        found = app.recorder.select_notifications(start, 500, inclusive_of_start=False)
        if not found:
            return out
        out += [(str(n.originator_id), n.originator_version, n.topic) for n in found]
        start = found[-1].id
