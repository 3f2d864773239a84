"""The event catalogue, read from the aggregates themselves.

``python -m renda_core.docgen events > docs/events.md`` writes the catalogue; a test
checks that the committed file is current, so every event is documented.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Iterator

from eventsourcing.domain import Aggregate

import renda_core.domain

BASE_FIELDS = {"originator_id", "originator_version", "timestamp", "originator_topic"}

HEADER = """# Event catalogue

Generated from the aggregates by `python -m renda_core.docgen events > docs/events.md`;
a test checks it is current. Every event has a **stable topic**
(`renda:<Aggregate>.<Event>`) that does not depend on the Python module it is defined
in, so moving code never breaks an old log. Every event also carries:

| field | meaning |
|---|---|
| `originator_id` | the aggregate's id (UUID) |
| `originator_version` | the aggregate's version after this event (1, 2, …) |
| `timestamp` | **recorded time** (UTC), set when the event was recorded |
| `actor` | `{"id": …, "role": …}`: who caused it, in which role |
| `on` | **business date**: when the thing happened (reports count by it) |

Reports count by business date; audits replay by recorded time (`--as-of`).
Text is stored verbatim (UTF-8); enumerations are stored by their English value.
`renda events list [--aggregate ID] --json` prints events in log order with their
position. The rules behind each event are in the domain pages
([deputy](domain/deputy.md), [stations and opinions](stations.md),
[groups and training](groups-training.md), [suggestions](suggestions.md),
[bulletin](bulletin.md)).

## Schema evolution

A log written years ago must still replay, so an event's stored shape changes only by
these rules (a test replays a log of older shapes, `tests/audit/test_upcasting.py`):

- **Topics never change.** A stored topic (`renda:Deputy.ContactRecorded`) names the
  event for ever; moving or renaming the Python class changes nothing stored.
- **Add fields with defaults.** A new field gets a value for old events: the event
  class's `class_version` goes up by one and an `upcast_vN_vM(state)` static method
  fills the default (`state.setdefault("note", None)`).
- **Never rename (or retype) a field without an upcaster.** The same step: the class
  version goes up and the upcaster moves the old value (`state["form"] =
  state.pop("kind")`). Never remove a field that reports or adapters read.
- Events record their class version in their state when it is above 1; an event
  without one is version 1. eventsourcing applies the upcasters in order, on every
  load, before the event is built: adapters, reports and `--as-of` replays see only
  today's shape. The stored bytes are never rewritten (the hash chain covers them).

The table marks events above version 1 with their version (`v3`).
"""


def aggregates() -> list[type[Aggregate]]:
    """Every aggregate class of the domain, in module order."""
    found: list[type[Aggregate]] = []
    for info in pkgutil.iter_modules(renda_core.domain.__path__):
        module = importlib.import_module(f"renda_core.domain.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Aggregate)
                and value.__module__ == module.__name__
                and "TOPIC" in value.__dict__
            ):
                found.append(value)
    return found


def events(aggregate: type[Aggregate]) -> Iterator[tuple[str, list[str], str]]:
    """(topic, data fields, class version mark ``v2``… or "") of each event of
    ``aggregate``."""
    for name, value in vars(aggregate).items():
        if (
            isinstance(value, type)
            and issubclass(value, Aggregate.Event)
            and name not in ("Event", "Created")
            # an explicit topic of its own; a class written out in the aggregate's body
            # (a versioned event) is redefined by eventsourcing as a subclass of itself
            and getattr(value, "TOPIC", None)
            not in (
                None,
                getattr(aggregate.Event, "TOPIC", None),
                getattr(aggregate.Created, "TOPIC", None),
            )
        ):
            fields = [
                f.name
                for f in dataclasses.fields(value)
                if f.name not in BASE_FIELDS and f.name not in ("actor", "on")
            ]
            version = int(getattr(value, "class_version", 1))
            yield str(getattr(value, "TOPIC", "")), fields, f"v{version}" if version > 1 else ""


def render() -> str:
    lines = [HEADER]
    for aggregate in aggregates():
        doc = (aggregate.__doc__ or "").strip().splitlines()
        lines += [f"## {aggregate.__name__} — `{aggregate.__dict__['TOPIC']}`", ""]
        if doc:
            lines += [doc[0], ""]
        lines += ["| topic | data (besides `actor` and `on`) |", "|---|---|"]
        for topic, fields, version in events(aggregate):
            data = ", ".join(f"`{f}`" for f in fields) or "—"
            mark = f" ({version})" if version else ""
            lines.append(f"| `{topic}`{mark} | {data} |")
        lines.append("")
    return "\n".join(lines)


def topics() -> set[str]:
    return {topic for a in aggregates() for topic, _, _ in events(a)}
